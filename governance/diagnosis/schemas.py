"""Read shapes of the diagnosis and its series, for the API and the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from governance.diagnosis import cycle, lifecycle
from governance.diagnosis.diagnose import Component, Diagnosis
from governance.diagnosis.indicator import Indicator, Kind, Scope
from governance.diagnosis.series import Series
from governance.diagnosis.thresholds import Thresholds
from governance.diagnosis.warning_signs import WarningSign
from governance.vocab import ModelVariable


class PhaseRead(BaseModel):
    code: str = Field(description='"P0" … "P6"')
    name: str
    reason: str = ""


class ComponentRead(BaseModel):
    key: str
    name: str
    phase: str = Field(description="The phase this link of the cycle belongs to")
    variable: ModelVariable
    met: bool
    score: float | None = Field(description="How strong the link is, 0–1; null when unknown")
    reason: str

    @classmethod
    def of(cls, component: Component) -> ComponentRead:
        return cls(
            key=component.key,
            name=component.name,
            phase=f"P{component.phase}",
            variable=component.variable,
            met=component.met,
            score=component.score,
            reason=component.reason,
        )


class BottleneckRead(ComponentRead):
    why_chosen: str


class TurnRead(BaseModel):
    small_win_on: dt.date
    outcome: str
    commitment_id: int
    commitment: str
    made_on: dt.date
    fulfilled_on: dt.date


class CyclesRead(BaseModel):
    count: int = Field(description="Turns of the virtuous cycle up to the as-of date")
    rule: str = cycle.RULE
    turns: list[TurnRead]


class LifecycleRead(BaseModel):
    status: lifecycle.Status
    reason: str
    rules: str = lifecycle.RULES
    evidence: dict[str, Any]


class IndicatorRead(BaseModel):
    key: str
    label: str
    variable: ModelVariable
    kind: Kind
    scope: Scope
    value: float | None = Field(description="null when there is too little data; see reason")
    formula: str
    source: str
    detail: dict[str, Any]
    reason: str | None

    @classmethod
    def of(cls, indicator: Indicator) -> IndicatorRead:
        return cls(
            key=indicator.key,
            label=indicator.label,
            variable=indicator.variable,
            kind=indicator.kind,
            scope=indicator.scope,
            value=indicator.value,
            formula=indicator.formula,
            source=indicator.source,
            detail=dict(indicator.detail),
            reason=indicator.reason,
        )


class WarningRead(BaseModel):
    key: str
    variable: ModelVariable
    message: str
    evidence: dict[str, Any]

    @classmethod
    def of(cls, warning: WarningSign) -> WarningRead:
        return cls(
            key=warning.key,
            variable=warning.variable,
            message=warning.message,
            evidence=dict(warning.evidence),
        )


class ThresholdRead(BaseModel):
    name: str
    value: float = Field(description="The value this diagnosis used")
    default: float
    description: str


def thresholds_read(thresholds: Thresholds) -> list[ThresholdRead]:
    return [
        ThresholdRead(name=name, value=value, default=default, description=description)
        for name, value, default, description in thresholds.described()
    ]


class DiagnosisRead(BaseModel):
    collaboration_id: int
    as_of: dt.date
    window_days: int
    window_start: dt.date
    phase: PhaseRead
    bottleneck: BottleneckRead | None
    components: list[ComponentRead]
    cycles: CyclesRead
    lifecycle: LifecycleRead
    indicators: list[IndicatorRead]
    warnings: list[WarningRead]
    thresholds: list[ThresholdRead]

    @classmethod
    def of(cls, diagnosis: Diagnosis) -> DiagnosisRead:
        weakest = diagnosis.bottleneck
        return cls(
            collaboration_id=diagnosis.collaboration_id,
            as_of=diagnosis.as_of,
            window_days=diagnosis.window.days,
            window_start=diagnosis.window.start,
            phase=PhaseRead(
                code=diagnosis.phase.code, name=diagnosis.phase.name, reason=diagnosis.phase.reason
            ),
            bottleneck=None
            if weakest is None
            else BottleneckRead(
                **ComponentRead.of(weakest).model_dump(), why_chosen=diagnosis.bottleneck_reason
            ),
            components=[ComponentRead.of(c) for c in diagnosis.components],
            cycles=CyclesRead(
                count=len(diagnosis.turns),
                turns=[TurnRead(**vars(t)) for t in diagnosis.turns],
            ),
            lifecycle=LifecycleRead(
                status=diagnosis.lifecycle.status,
                reason=diagnosis.lifecycle.reason,
                evidence=dict(diagnosis.lifecycle.evidence),
            ),
            indicators=[IndicatorRead.of(i) for i in diagnosis.indicators],
            warnings=[WarningRead.of(w) for w in diagnosis.warnings],
            thresholds=thresholds_read(diagnosis.thresholds),
        )


class IndicatorInfo(BaseModel):
    """What a series' indicator key means, given once for the whole series."""

    key: str
    label: str
    variable: ModelVariable
    kind: Kind
    formula: str


class SeriesPoint(BaseModel):
    quarter: str = Field(description='"2020Q2"')
    start: dt.date
    end: dt.date
    phase: PhaseRead
    lifecycle: lifecycle.Status
    cycles: int
    indicators: dict[str, float | None]
    warnings: list[str]


class SeriesRead(BaseModel):
    collaboration_id: int
    as_of: dt.date
    truncated: bool = Field(description="Whether the oldest quarters were left out")
    indicators: list[IndicatorInfo]
    thresholds: list[ThresholdRead]
    points: list[SeriesPoint]

    @classmethod
    def of(cls, collaboration_id: int, series: Series, thresholds: Thresholds) -> SeriesRead:
        legend: dict[str, IndicatorInfo] = {}
        points = []
        for point in series.points:
            found = point.diagnosis
            for i in found.indicators:
                legend.setdefault(
                    i.key,
                    IndicatorInfo(
                        key=i.key,
                        label=i.label,
                        variable=i.variable,
                        kind=i.kind,
                        formula=i.formula,
                    ),
                )
            points.append(
                SeriesPoint(
                    quarter=point.quarter,
                    start=point.window.start,
                    end=point.window.end,
                    phase=PhaseRead(code=found.phase.code, name=found.phase.name),
                    lifecycle=found.lifecycle.status,
                    cycles=len(found.turns),
                    indicators={i.key: i.value for i in found.indicators},
                    warnings=[w.key for w in found.warnings],
                )
            )
        return cls(
            collaboration_id=collaboration_id,
            as_of=series.as_of,
            truncated=series.truncated,
            indicators=list(legend.values()),
            thresholds=thresholds_read(thresholds),
            points=points,
        )
