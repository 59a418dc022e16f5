"""Where a collaboration stands in the Ansell & Gash cycle: the diagnosis page.

The cycle drawn with the collaboration's phase and bottleneck marked, the warning
signs, every indicator by model variable with its formula in words and the
researchers' coded scores beside it, and the quarterly trends — as of any date, over
any window, in a fixed number of queries.

The domain speaks English. Its fixed texts (indicator labels, phase and component
names, the report's titles) are message ids, listed below with ``N_`` so that the
catalog carries them; formulas, sources, reasons and warning messages stay English.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field

from api.deps import RecordId, SessionDep
from api.i18n import Language
from api.pages.diagnosis_charts import CycleDiagram, TrendChart, cycle_diagram, trend_chart
from api.pages.editing import validated
from api.pages.forms import FormState, field_errors
from api.pages.labels import N_, label_id
from api.web import LanguageDep, render
from governance.cases.snapshot import load_case
from governance.collaborations import service as collaboration_service
from governance.collaborations.models import Collaboration
from governance.config import Settings
from governance.diagnosis import series as quarterly
from governance.diagnosis.diagnose import diagnose
from governance.diagnosis.indicator import SPECS, Kind
from governance.diagnosis.service import today
from governance.diagnosis.thresholds import (
    DEFAULT_WINDOW_DAYS,
    MAX_WINDOW_DAYS,
    MIN_WINDOW_DAYS,
    Thresholds,
)
from governance.errors import Invalid
from governance.report import comparison
from governance.report import service as report_service
from governance.report.build import build_report
from governance.report.schemas import CaseCoding, CaseHeader, CaseReport
from governance.report.wording import Wording

router = APIRouter()

# -- the domain's fixed texts, for the catalog (tests check they match the domain) --------

#: Indicator labels by specification key (``governance.diagnosis.indicator.SPECS``).
INDICATOR_LABELS: dict[str, str] = {
    "resource_asymmetry": N_("Resource asymmetry"),
    "incentives_recorded": N_("Incentives to take part"),
    "constraints_recorded": N_("Constraints on taking part"),
    "prehistory_balance": N_("Prehistory of cooperation or conflict"),
    "attendance_share": N_("Attendance share"),
    "affected_group_coverage": N_("Coverage of affected groups"),
    "alternative_venue_events": N_("Protests and alternative venues"),
    "ground_rules": N_("Ground rules in place"),
    "collaborative_criteria": N_("Defining criteria met"),
    "minutes_on_time": N_("Minutes circulated on time"),
    "facilitator_designated": N_("Facilitator designated"),
    "facilitator_attendance": N_("Facilitator's attendance"),
    "empowerment_actions": N_("Empowerment actions"),
    "meetings_per_30_days": N_("Meetings per 30 days"),
    "regularity": N_("Regularity of meetings"),
    "in_person_share": N_("Meetings in a shared room"),
    "net_trust_balance": N_("Net trust balance"),
    "reliability": N_("Reliability"),
    "on_time_fulfilment": N_("On-time fulfilment"),
    "overdue_ratio": N_("Overdue commitments"),
    "median_days_overdue": N_("Median days overdue"),
    "reciprocity": N_("Reciprocity of commitments"),
    "retention": N_("Retention of organisations"),
    "shared_statement": N_("Jointly endorsed statement"),
    "small_wins": N_("Small wins"),
    "days_since_small_win": N_("Days since the last small win"),
    "joint_fact_finding": N_("Joint fact-finding activities"),
    "outcome_progress": N_("Progress on final outcomes"),
}
#: ``governance.diagnosis.diagnose.PHASES``.
PHASE_NAMES: dict[int, str] = {
    0: N_("No meetings"),
    1: N_("Engagement"),
    2: N_("Trust-building"),
    3: N_("Commitment"),
    4: N_("Shared understanding"),
    5: N_("Intermediate outcomes"),
    6: N_("Outcomes / institutionalised"),
}
#: The links of the cycle, as ``governance.diagnosis.diagnose.components`` names them.
COMPONENT_NAMES: dict[str, str] = {
    "dialogue": N_("Face-to-face dialogue"),
    "trust": N_("Trust-building"),
    "commitment": N_("Commitment to the process"),
    "shared_understanding": N_("Shared understanding"),
    "intermediate_outcomes": N_("Intermediate outcomes"),
    "outcomes": N_("Outcomes / institutionalisation"),
}
#: ``governance.report.wording.WARNING_TITLES``.
WARNING_TITLES: dict[str, str] = {
    "overdue_commitments": N_("Overdue commitments"),
    "government_commitment_late": N_("A government commitment is late"),
    "attendance_drop": N_("Attendance is falling"),
    "trust_deficit": N_("Trust deficit"),
    "alternative_venue": N_("Conflict taken to another venue"),
    "no_small_win": N_("No recent small win"),
    "transparency_lapse": N_("Minutes not circulated"),
    "unaddressed_asymmetry": N_("Unaddressed asymmetry"),
    "leadership_gap": N_("Leadership gap"),
}
#: ``governance.report.wording``: life-cycle, verdict, scope and coefficient names.
LIFECYCLE_NAMES: dict[str, str] = {
    "active": N_("Active"),
    "dormant": N_("Dormant"),
    "declining": N_("Declining"),
}
VERDICT_NAMES: dict[str, str] = {
    "met": N_("Met"),
    "not_met": N_("Not met"),
    "unknown": N_("Unknown"),
}
SCOPE_NAMES: dict[str, str] = {
    "window": N_("over the window"),
    "to_date": N_("up to the as-of date"),
    "prehistory": N_("before the first meeting"),
}
STATISTIC_NAMES: dict[str, str] = {
    "kappa_quadratic": N_("Cohen's weighted kappa (quadratic)"),
    "kappa_linear": N_("Cohen's weighted kappa (linear)"),
    "alpha_ordinal": N_("Krippendorff's alpha (ordinal)"),
    "alpha_interval": N_("Krippendorff's alpha (interval)"),
    "alpha_nominal": N_("Krippendorff's alpha (nominal)"),
}
#: ``governance.assessments.schemas.SCORE_ANCHORS``.
SCORE_ANCHORS: dict[int, str] = {
    0: N_("absent or contrary"),
    1: N_("weak"),
    2: N_("partial or mixed"),
    3: N_("substantial"),
    4: N_("strong and triangulated"),
}
#: ``governance.report.parts.TITLES``.
PART_TITLES: dict[str, str] = {
    "starting_conditions": N_("Starting conditions"),
    "institutional_design": N_("Institutional design"),
    "facilitative_leadership": N_("Facilitative leadership"),
    "collaborative_process": N_("The collaborative process"),
    "outcomes": N_("Outcomes"),
}
#: Other texts the report's wording uses.
OTHER_TEXTS = (N_("not enough data"), N_("Q%(quarter)s %(year)s"))

#: The indicators drawn as trends, quarter by quarter.
TREND_KEYS: tuple[str, ...] = (
    "meetings_per_30_days",
    "regularity",
    "net_trust_balance",
    "on_time_fulfilment",
    "overdue_ratio",
    "small_wins",
    "outcome_progress",
)


def wording_for(language: Language) -> Wording:
    """How the report's domain speaks in ``language``: its catalog, its labels, its numbers."""

    def vocabulary_label(vocabulary: str, code: str) -> str:
        return language.gettext(label_id(vocabulary, code))

    return Wording(
        gettext=language.translations.gettext,
        vocabulary_label=vocabulary_label,
        locale=language.code,
    )


def thresholds_of(request: Request) -> Thresholds:
    """The deployment's thresholds (COLLABGOV_DIAGNOSIS_THRESHOLDS over the defaults)."""
    settings: Settings = request.app.state.settings
    return Thresholds.with_overrides(settings.diagnosis_thresholds)


def header_of(collaboration: Collaboration) -> CaseHeader:
    return CaseHeader(place=collaboration.place, policy_domain=collaboration.policy_domain)


# -- the as-of date and the window, from the page's query ---------------------------------


class DatesQuery(BaseModel):
    """The as-of date and window a diagnosis page is asked for."""

    model_config = ConfigDict(extra="ignore")

    as_of: dt.date | None = None
    window_days: int = Field(DEFAULT_WINDOW_DAYS, ge=MIN_WINDOW_DAYS, le=MAX_WINDOW_DAYS)


@dataclass(frozen=True)
class Dates:
    as_of: dt.date
    window_days: int
    #: What the form shows: the values typed and an error beside each bad one.
    form: FormState


def default_as_of(collaboration: Collaboration) -> dt.date:
    """Today, or the day a collaboration that has ended ended."""
    now = today()
    ended = collaboration.ended_on
    return ended if ended is not None and ended < now else now


def read_dates(
    language: Language, as_of: str | None, window_days: str | None, *, default: dt.date
) -> Dates:
    """The dates asked for; a bad one is named beside its field and its default used."""
    typed = {"as_of": (as_of or "").strip(), "window_days": (window_days or "").strip()}
    given = {key: value for key, value in typed.items() if value}
    valid, errors = validated(DatesQuery, given, language)
    if valid is None:
        valid = DatesQuery.model_validate(
            {key: value for key, value in given.items() if key not in errors}
        )
    chosen_as_of = valid.as_of or default
    try:
        report_service.check_dates(as_of=chosen_as_of, window_days=valid.window_days)
    except Invalid as invalid:
        errors |= field_errors(invalid, language)
        if "as_of" in invalid.errors:
            chosen_as_of = default
    values = {
        "as_of": typed["as_of"] or chosen_as_of.isoformat(),
        "window_days": typed["window_days"] or str(valid.window_days),
    }
    return Dates(chosen_as_of, valid.window_days, FormState(values=values, errors=errors))


# -- the page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Trend:
    key: str
    label: str
    kind: Kind
    chart: TrendChart | None
    latest: str


@dataclass(frozen=True)
class QuarterRow:
    quarter: str
    phase: str
    values: list[str]
    warnings: list[str]


@router.get("/collaborations/{collaboration_id:int}/diagnosis", name="collaboration_diagnosis")
def diagnosis_page(
    request: Request,
    session: SessionDep,
    language: LanguageDep,
    collaboration_id: RecordId,
    as_of: str | None = None,
    window_days: str | None = None,
) -> HTMLResponse:
    """The diagnosis as of a date over a window (today and 90 days unless asked otherwise)."""
    collaboration = collaboration_service.get(session, collaboration_id)
    dates = read_dates(language, as_of, window_days, default=default_as_of(collaboration))
    thresholds = thresholds_of(request)
    case = load_case(session, collaboration_id)
    found = diagnose(case, as_of=dates.as_of, window_days=dates.window_days, thresholds=thresholds)
    coding = CaseCoding(assessments=report_service.load_assessments(session, collaboration_id))
    report = build_report(
        case, found, coding, header=header_of(collaboration), thresholds=thresholds
    )
    say = wording_for(language)
    history = quarterly.series(case, as_of=dates.as_of, thresholds=thresholds)
    trends, quarters = trend_views(history, say)
    return render(
        request,
        "diagnosis/page.html",
        {
            "collaboration": collaboration,
            "report": report,
            "say": say,
            "dates": dates.form,
            "cycle": cycle_of(report, say),
            "trends": trends,
            "quarters": quarters,
            "truncated": history.truncated,
            **context_counts(report),
            "thresholds": found.thresholds.described(),
            "high_score": comparison.HIGH_SCORE,
            "low_score": comparison.LOW_SCORE,
        },
        status_code=400 if dates.form.invalid else 200,
    )


def cycle_of(report: CaseReport, say: Wording) -> CycleDiagram:
    """The cycle with the report's phase and bottleneck marked, in the page's language."""
    labels = {c.key: say(c.name) for c in report.components}
    labels |= {
        "starting_conditions": say("Starting conditions"),
        "institutional_design": say("Institutional design"),
        "leadership": say("Facilitative leadership"),
        "outcomes": say("Outcomes"),
        "process": say("The collaborative process"),
    }
    weakest = report.bottleneck.key if report.bottleneck is not None else None
    return cycle_diagram(
        labels,
        phase=report.phase.code,
        bottleneck=weakest,
        met={c.key: c.met for c in report.components},
    )


def quarter_label(quarter: str, say: Wording) -> str:
    """``"2020Q2"`` as the language writes a quarter ("Q2 2020" / "TW2 2020")."""
    year, _, number = quarter.partition("Q")
    return say("Q%(quarter)s %(year)s", quarter=number, year=year)


def trend_views(history: quarterly.Series, say: Wording) -> tuple[list[Trend], list[QuarterRow]]:
    """A chart per key indicator over the quarters, and the same figures as table rows."""
    labels = [quarter_label(point.quarter, say) for point in history.points]
    trends = []
    for key in TREND_KEYS:
        spec = SPECS[key]
        values = [point.diagnosis.indicator(key).value for point in history.points]
        shown = [say.value(spec.kind, value) for value in values]
        low, high = _range(spec.kind)
        trends.append(
            Trend(
                key=key,
                label=say.indicator(key, spec.label),
                kind=spec.kind,
                chart=trend_chart(values, labels, low=low, high=high, point_labels=shown),
                latest=shown[-1] if shown else say("not enough data"),
            )
        )
    rows = [
        QuarterRow(
            quarter=label,
            phase=point.diagnosis.phase.code,
            values=[
                say.value(SPECS[key].kind, point.diagnosis.indicator(key).value)
                for key in TREND_KEYS
            ],
            warnings=[say.warning(w.key) for w in point.diagnosis.warnings],
        )
        for label, point in zip(labels, history.points, strict=True)
    ]
    return trends, rows


def _range(kind: Kind) -> tuple[float | None, float | None]:
    if kind in (Kind.RATIO, Kind.FLAG):
        return 0.0, 1.0
    if kind is Kind.BALANCE:
        return -1.0, 1.0
    return None, None


def context_counts(report: CaseReport) -> dict[str, Any]:
    """How many coded scores there are, and how many disagree with the records."""
    coded = [c for part in report.parts for v in part.variables for c in v.coded]
    return {"coded": len(coded), "disagreements": sum(1 for c in coded if c.disagrees)}
