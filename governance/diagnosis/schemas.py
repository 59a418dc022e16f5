"""Read shapes of the diagnosis and its series, for the API and the pages.

Every sentence is given twice: in English (``reason``, ``message``…, as it always was)
and as its message id with parameters (``reason_id`` and ``reason_params``…), so that a
client — the pages of this app among them — can say it in another language with the
catalog (docs/diagnosis.md, "Languages"). The ``*_text`` properties give the message
back for rendering.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from governance.diagnosis import cycle, lifecycle
from governance.diagnosis.diagnose import Component, Diagnosis
from governance.diagnosis.indicator import Indicator, Kind, Scope
from governance.diagnosis.messages import Message, Param, of
from governance.diagnosis.series import Series
from governance.diagnosis.thresholds import Thresholds
from governance.diagnosis.warning_signs import WarningSign
from governance.vocab import ModelVariable

MESSAGE_ID = "The English sentence's message id, the key to its translation in the catalog"
MESSAGE_PARAMS = (
    "The values the message id's %(name)s placeholders take: a string as it is, an integer, "
    "or a typed value (number, share, date, label, message, list)"
)


def _params(message: Message | None) -> dict[str, Param]:
    return {} if message is None else dict(message.params)


class PhaseRead(BaseModel):
    code: str = Field(description='"P0" … "P6"')
    name: str
    reason: str = ""
    reason_id: str = Field("", description=MESSAGE_ID)
    reason_params: dict[str, Param] = Field(default_factory=dict, description=MESSAGE_PARAMS)

    @property
    def reason_text(self) -> Message:
        return of(self.reason_id, self.reason_params)


class ComponentRead(BaseModel):
    key: str
    name: str
    phase: str = Field(description="The phase this link of the cycle belongs to")
    variable: ModelVariable
    met: bool
    score: float | None = Field(description="How strong the link is, 0–1; null when unknown")
    reason: str
    reason_id: str = Field(description=MESSAGE_ID)
    reason_params: dict[str, Param] = Field(description=MESSAGE_PARAMS)

    @property
    def reason_text(self) -> Message:
        return of(self.reason_id, self.reason_params)

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
            reason_id=component.reason_message.message_id,
            reason_params=_params(component.reason_message),
        )


class BottleneckRead(ComponentRead):
    why_chosen: str
    why_chosen_id: str = Field(description=MESSAGE_ID)
    why_chosen_params: dict[str, Param] = Field(description=MESSAGE_PARAMS)

    @property
    def why_chosen_text(self) -> Message:
        return of(self.why_chosen_id, self.why_chosen_params)


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
    reason_id: str = Field(description=MESSAGE_ID)
    reason_params: dict[str, Param] = Field(description=MESSAGE_PARAMS)
    rules: str = lifecycle.RULES
    evidence: dict[str, Any]

    @property
    def reason_text(self) -> Message:
        return of(self.reason_id, self.reason_params)


class IndicatorRead(BaseModel):
    key: str
    label: str
    variable: ModelVariable
    kind: Kind
    scope: Scope
    value: float | None = Field(description="null when there is too little data; see reason")
    formula: str = Field(description="In words; also its own message id")
    source: str
    source_id: str = Field(
        description="The source's message id: the works it cites by placeholder "
        "(%(ansell_gash)s…), each filled with the work's short citation"
    )
    detail: dict[str, Any]
    reason: str | None
    reason_id: str | None = Field(description=MESSAGE_ID + "; null with a value")
    reason_params: dict[str, Param] = Field(description=MESSAGE_PARAMS)

    @property
    def reason_text(self) -> Message | None:
        return None if self.reason_id is None else of(self.reason_id, self.reason_params)

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
            source_id=indicator.source_id,
            detail=dict(indicator.detail),
            reason=indicator.reason,
            reason_id=None
            if indicator.reason_message is None
            else indicator.reason_message.message_id,
            reason_params=_params(indicator.reason_message),
        )


class WarningRead(BaseModel):
    key: str
    variable: ModelVariable
    message: str = Field(description="The sign in plain English")
    message_id: str = Field(description=MESSAGE_ID)
    message_params: dict[str, Param] = Field(description=MESSAGE_PARAMS)
    evidence: dict[str, Any]

    @property
    def message_text(self) -> Message:
        return of(self.message_id, self.message_params)

    @classmethod
    def of(cls, warning: WarningSign) -> WarningRead:
        return cls(
            key=warning.key,
            variable=warning.variable,
            message=warning.message,
            message_id=warning.text.message_id,
            message_params=_params(warning.text),
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
                code=diagnosis.phase.code,
                name=diagnosis.phase.name,
                reason=diagnosis.phase.reason,
                reason_id=diagnosis.phase.reason_message.message_id,
                reason_params=_params(diagnosis.phase.reason_message),
            ),
            bottleneck=None
            if weakest is None
            else BottleneckRead(
                **dict(ComponentRead.of(weakest)),
                why_chosen=diagnosis.bottleneck_reason,
                why_chosen_id=diagnosis.bottleneck_why.message_id,
                why_chosen_params=_params(diagnosis.bottleneck_why),
            ),
            components=[ComponentRead.of(c) for c in diagnosis.components],
            cycles=CyclesRead(
                count=len(diagnosis.turns),
                turns=[TurnRead(**vars(t)) for t in diagnosis.turns],
            ),
            lifecycle=LifecycleRead(
                status=diagnosis.lifecycle.status,
                reason=diagnosis.lifecycle.reason,
                reason_id=diagnosis.lifecycle.reason_message.message_id,
                reason_params=_params(diagnosis.lifecycle.reason_message),
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
