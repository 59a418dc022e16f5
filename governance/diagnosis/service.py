"""The diagnosis of a stored collaboration: read its rows once, then the pure functions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from governance.cases.snapshot import cycle_collector_paused, load_case
from governance.diagnosis import series as quarterly
from governance.diagnosis.diagnose import diagnose
from governance.diagnosis.schemas import DiagnosisRead, SeriesRead
from governance.diagnosis.thresholds import MAX_WINDOW_DAYS, MIN_WINDOW_DAYS, Thresholds
from governance.errors import Invalid
from governance.revision import RevisionCache

#: The as-of dates a diagnosis accepts: far enough back for any record, and not so far
#: ahead that a quarterly series becomes absurd.
EARLIEST_AS_OF = dt.date(1900, 1, 1)
LATEST_AS_OF = dt.date(2199, 12, 31)


#: Recent answers, per data revision (a large case takes seconds to read and diagnose).
_diagnoses: RevisionCache[tuple[int, dt.date, int, Thresholds], DiagnosisRead] = RevisionCache(16)
_series: RevisionCache[tuple[int, dt.date, Thresholds], SeriesRead] = RevisionCache(8)


def today() -> dt.date:
    """The default as-of date: today in UTC."""
    return dt.datetime.now(dt.UTC).date()


def get_diagnosis(
    session: Session,
    *,
    collaboration_id: int,
    as_of: dt.date,
    window_days: int,
    thresholds: Thresholds,
) -> DiagnosisRead:
    """Where the collaboration stands as of ``as_of`` (NotFound when missing or deleted)."""
    _check(as_of=as_of, window_days=window_days)

    def compute() -> DiagnosisRead:
        with cycle_collector_paused():
            case = load_case(session, collaboration_id)
            found = diagnose(case, as_of=as_of, window_days=window_days, thresholds=thresholds)
            return DiagnosisRead.of(found)

    key = (collaboration_id, as_of, window_days, thresholds)
    return _diagnoses.get_or_compute(session, key, compute)


def get_series(
    session: Session, *, collaboration_id: int, as_of: dt.date, thresholds: Thresholds
) -> SeriesRead:
    """The diagnosis per calendar quarter up to ``as_of``."""
    _check(as_of=as_of, window_days=MIN_WINDOW_DAYS)

    def compute() -> SeriesRead:
        with cycle_collector_paused():
            case = load_case(session, collaboration_id)
            found = quarterly.series(case, as_of=as_of, thresholds=thresholds)
            return SeriesRead.of(case.collaboration_id, found, thresholds)

    return _series.get_or_compute(session, (collaboration_id, as_of, thresholds), compute)


def _check(*, as_of: dt.date, window_days: int) -> None:
    problems = {}
    if not EARLIEST_AS_OF <= as_of <= LATEST_AS_OF:
        problems["as_of"] = (
            f"must lie between {EARLIEST_AS_OF.isoformat()} and {LATEST_AS_OF.isoformat()}"
        )
    if not MIN_WINDOW_DAYS <= window_days <= MAX_WINDOW_DAYS:
        problems["window_days"] = f"must lie between {MIN_WINDOW_DAYS} and {MAX_WINDOW_DAYS}"
    if problems:
        raise Invalid(problems)
