"""Where a collaboration stands in the Ansell & Gash cycle: the diagnosis page.

The cycle drawn with the collaboration's phase and bottleneck marked, the warning
signs, every indicator by model variable with its formula in words and the
researchers' coded scores beside it, and the quarterly trends — as of any date, over
any window, in a fixed number of queries.

The domain speaks English in message ids: its fixed texts (indicator labels, formulas
and sources, phase and component names) and its sentences (reasons, warning messages,
each a message id with typed parameters) are rendered here through the request
language's catalog by :func:`wording_for`, numbers and dates written the language's way.
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
from governance.revision import RevisionCache

router = APIRouter()

# -- texts the domain does not mark for the catalog itself ------------------------------
# The diagnosis and the report mark their texts with ``N_`` in governance/ (babel.cfg
# extracts them there); these come from elsewhere, and tests check they match.

#: ``governance.assessments.schemas.SCORE_ANCHORS``.
SCORE_ANCHORS: dict[int, str] = {
    0: N_("absent or contrary"),
    1: N_("weak"),
    2: N_("partial or mixed"),
    3: N_("substantial"),
    4: N_("strong and triangulated"),
}
#: How a quarter is written on the trend charts.
QUARTER = N_("Q%(quarter)s %(year)s")

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


#: What the page computes, per data revision: reading and diagnosing a large case takes
#: seconds, its quarterly series more; the wording is applied per request.
PageParts = tuple[CaseReport, quarterly.Series, list[tuple[str, float, float, str]]]
_pages: RevisionCache[tuple[int, dt.date, int, Thresholds], PageParts] = RevisionCache(8)


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

    def compute() -> PageParts:
        case = load_case(session, collaboration_id)
        found = diagnose(
            case, as_of=dates.as_of, window_days=dates.window_days, thresholds=thresholds
        )
        coding = CaseCoding(assessments=report_service.load_assessments(session, collaboration_id))
        report = build_report(
            case, found, coding, header=header_of(collaboration), thresholds=thresholds
        )
        history = quarterly.series(case, as_of=dates.as_of, thresholds=thresholds)
        return report, history, found.thresholds.described()

    report, history, described = _pages.get_or_compute(
        session, (collaboration_id, dates.as_of, dates.window_days, thresholds), compute
    )
    say = wording_for(language)
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
            "thresholds": described,
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
    return say(QUARTER, quarter=number, year=year)


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
