"""The case report of a stored collaboration: read its rows once, then the pure functions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from governance import records
from governance.assessments.models import Assessment
from governance.cases.snapshot import CaseData, load_case
from governance.collaborations.models import Collaboration
from governance.commitments.models import Commitment, CommitmentStatusChange
from governance.diagnosis import facts
from governance.diagnosis.diagnose import diagnose
from governance.diagnosis.service import EARLIEST_AS_OF, LATEST_AS_OF
from governance.diagnosis.thresholds import MAX_WINDOW_DAYS, MIN_WINDOW_DAYS, Thresholds
from governance.errors import Invalid
from governance.evidence import service as evidence_service
from governance.evidence.models import Evidence, evidence_links
from governance.forums.models import Forum, ForumCriterion
from governance.outcomes.models import Measurement, Outcome
from governance.report.build import build_report
from governance.report.parts import Part
from governance.report.schemas import (
    CaseCoding,
    CaseHeader,
    CaseReport,
    CodedAssessment,
    EvidenceItem,
    EvidenceUse,
)
from governance.revision import RevisionCache
from governance.trust.models import TrustEvent
from governance.vocab import OutcomeLevel


def get_report(
    session: Session,
    *,
    collaboration_id: int,
    as_of: dt.date,
    window_days: int,
    thresholds: Thresholds,
) -> CaseReport:
    """The case report as of ``as_of`` (NotFound when the collaboration is missing or deleted)."""
    check_dates(as_of=as_of, window_days=window_days)
    collaboration = records.get(session, Collaboration, collaboration_id)

    def compute() -> CaseReport:
        case = load_case(session, collaboration_id)
        found = diagnose(case, as_of=as_of, window_days=window_days, thresholds=thresholds)
        return build_report(
            case,
            found,
            load_coding(session, case),
            header=CaseHeader(place=collaboration.place, policy_domain=collaboration.policy_domain),
            thresholds=thresholds,
        )

    key = (collaboration_id, as_of, window_days, thresholds)
    return _reports.get_or_compute(session, key, compute)


#: Recent reports, per data revision (a large case takes seconds to read and diagnose).
_reports: RevisionCache[tuple[int, dt.date, int, Thresholds], CaseReport] = RevisionCache(8)


def check_dates(*, as_of: dt.date, window_days: int) -> None:
    """Refuse an as-of date or a window the diagnosis does not accept (``Invalid``)."""
    problems = {}
    if not EARLIEST_AS_OF <= as_of <= LATEST_AS_OF:
        problems["as_of"] = (
            f"must lie between {EARLIEST_AS_OF.isoformat()} and {LATEST_AS_OF.isoformat()}"
        )
    if not MIN_WINDOW_DAYS <= window_days <= MAX_WINDOW_DAYS:
        problems["window_days"] = f"must lie between {MIN_WINDOW_DAYS} and {MAX_WINDOW_DAYS}"
    if problems:
        raise Invalid(problems)


def load_coding(session: Session, case: CaseData) -> CaseCoding:
    """The case's coded scores with their rationale and evidence, and the evidence behind
    its measurements, trust events, commitment changes and forum criteria.

    A fixed number of queries, whatever the size of the case; deleted records and
    deleted evidence are left out.
    """
    coded = load_assessments(session, case.collaboration_id)
    uses = _record_uses(session, case)
    wanted = {use.evidence_id for use in uses} | {i for a in coded for i in a.evidence_ids}
    evidence = {
        e.id: EvidenceItem(
            id=e.id,
            kind=e.kind,
            title=e.title,
            date=e.date,
            citation=e.citation,
            url=e.url,
            excerpt=e.excerpt,
            confidential=e.confidential,
        )
        for e in session.scalars(
            select(Evidence).where(Evidence.id.in_(wanted), Evidence.deleted_at.is_(None))
        )
    }
    return CaseCoding(
        assessments=coded,
        evidence=evidence,
        uses=tuple(use for use in uses if use.evidence_id in evidence),
    )


def load_assessments(session: Session, collaboration_id: int) -> tuple[CodedAssessment, ...]:
    """The collaboration's live assessments with their live evidence ids (two queries)."""
    assessments = session.scalars(
        select(Assessment)
        .where(Assessment.collaboration_id == collaboration_id, Assessment.deleted_at.is_(None))
        .order_by(Assessment.variable, Assessment.period_start, Assessment.id)
    ).all()
    linked = evidence_service.ids_by_record(session, "assessment_id", [a.id for a in assessments])
    return tuple(
        CodedAssessment(
            id=a.id,
            variable=a.variable,
            period_start=a.period_start,
            period_end=a.period_end,
            score=a.score,
            coder=a.coder,
            rationale=a.rationale,
            evidence_ids=tuple(linked.get(a.id, [])),
        )
        for a in assessments
    )


def _record_uses(session: Session, case: CaseData) -> list[EvidenceUse]:
    """Evidence linked to the case's measurements, trust events, commitment changes and
    forum criteria, each with the part of the model it informs (one query per kind)."""
    collaboration_id = case.collaboration_id
    link = evidence_links.c
    first_meeting = facts.first_meeting_day(case.held_meetings, dt.date.max)
    uses: list[EvidenceUse] = []

    measurements = (
        select(link.evidence_id, Measurement.id, Measurement.measured_on, Outcome.level)
        .join(Measurement, Measurement.id == link.measurement_id)
        .join(Outcome, Outcome.id == Measurement.outcome_id)
        .where(
            Outcome.collaboration_id == collaboration_id,
            Outcome.deleted_at.is_(None),
            Measurement.deleted_at.is_(None),
        )
    )
    for evidence_id, record_id, on, level in _rows(session, measurements):
        part = Part.OUTCOMES if level is OutcomeLevel.OUTCOME else Part.COLLABORATIVE_PROCESS
        uses.append(
            EvidenceUse(
                evidence_id=evidence_id, part=part, via="measurement", record_id=record_id, on=on
            )
        )

    events = (
        select(link.evidence_id, TrustEvent.id, TrustEvent.occurred_on)
        .join(TrustEvent, TrustEvent.id == link.trust_event_id)
        .where(TrustEvent.collaboration_id == collaboration_id, TrustEvent.deleted_at.is_(None))
    )
    for evidence_id, record_id, on in _rows(session, events):
        prehistory = first_meeting is None or on < first_meeting
        part = Part.STARTING_CONDITIONS if prehistory else Part.COLLABORATIVE_PROCESS
        uses.append(
            EvidenceUse(
                evidence_id=evidence_id, part=part, via="trust_event", record_id=record_id, on=on
            )
        )

    changes = (
        select(link.evidence_id, CommitmentStatusChange.id, CommitmentStatusChange.changed_on)
        .join(CommitmentStatusChange, CommitmentStatusChange.id == link.status_change_id)
        .join(Commitment, Commitment.id == CommitmentStatusChange.commitment_id)
        .where(Commitment.collaboration_id == collaboration_id, Commitment.deleted_at.is_(None))
    )
    for evidence_id, record_id, on in _rows(session, changes):
        uses.append(
            EvidenceUse(
                evidence_id=evidence_id,
                part=Part.COLLABORATIVE_PROCESS,
                via="status_change",
                record_id=record_id,
                on=on,
            )
        )

    criteria = (
        select(link.evidence_id, ForumCriterion.id)
        .join(ForumCriterion, ForumCriterion.id == link.forum_criterion_id)
        .join(Forum, Forum.id == ForumCriterion.forum_id)
        .where(Forum.collaboration_id == collaboration_id, Forum.deleted_at.is_(None))
    )
    for evidence_id, record_id in _rows(session, criteria):
        uses.append(
            EvidenceUse(
                evidence_id=evidence_id,
                part=Part.INSTITUTIONAL_DESIGN,
                via="forum_criterion",
                record_id=record_id,
            )
        )
    return uses


def _rows(session: Session, statement: Select[Any]) -> Iterable[Any]:
    return session.execute(statement.order_by(evidence_links.c.id)).all()
