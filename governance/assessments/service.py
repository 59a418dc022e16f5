"""Researchers' 0–4 scores of the model's variables, each resting on evidence."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from governance import records
from governance.assessments.agreement import agreement_report
from governance.assessments.models import Assessment
from governance.assessments.schemas import (
    SCORE_ANCHORS,
    AgreementRead,
    AgreementReportRead,
    AssessmentCreate,
    AssessmentPatch,
    AssessmentQuery,
    AssessmentRead,
)
from governance.audit.service import Actor
from governance.cases.snapshot import AssessmentRow
from governance.collaborations.models import Collaboration
from governance.errors import Invalid
from governance.evidence import service as evidence_service
from governance.records import Page
from governance.schemas import ensure_order


def get(session: Session, assessment_id: int, *, include_deleted: bool = False) -> Assessment:
    """The assessment with this id."""
    return records.get(session, Assessment, assessment_id, include_deleted=include_deleted)


def search(session: Session, *, query: AssessmentQuery) -> Page[Assessment]:
    """Assessments matching the query's filters, by variable, period and coder."""
    statement = records.base_query(Assessment, include_deleted=query.include_deleted)
    if query.collaboration_id is not None:
        statement = statement.where(Assessment.collaboration_id == query.collaboration_id)
    if query.variable is not None:
        statement = statement.where(Assessment.variable == query.variable)
    if query.coder is not None:
        statement = statement.where(Assessment.coder == query.coder.strip())
    # A period overlaps [from, to] when it ends on or after `from` and starts on or before `to`.
    if query.period_from is not None:
        statement = statement.where(Assessment.period_end >= query.period_from)
    if query.period_to is not None:
        statement = statement.where(Assessment.period_start <= query.period_to)
    if query.q and query.q.strip():
        statement = statement.where(records.text_filter([Assessment.rationale], query.q))
    return records.paginate(
        session,
        statement,
        limit=query.limit,
        offset=query.offset,
        order_by=(
            Assessment.collaboration_id,
            Assessment.variable,
            Assessment.period_start,
            Assessment.coder,
            Assessment.id,
        ),
    )


def create(session: Session, *, data: AssessmentCreate, actor: Actor) -> Assessment:
    """Record one coder's score of one variable for a period."""
    fields = data.model_dump(exclude={"evidence_ids"})
    _check(session, fields, changed=fields.keys())
    evidence = evidence_service.require_evidence(session, data.evidence_ids)
    return evidence_service.add_with_evidence(
        session, Assessment(**fields), evidence=evidence, actor=actor
    )


def update(
    session: Session, *, record: Assessment, data: AssessmentPatch, actor: Actor
) -> Assessment:
    """Change an assessment's fields or evidence, refusing a stale version."""
    records.check_version(record, data.version)
    changes = data.changes()
    evidence_ids: list[int] | None = changes.pop("evidence_ids", None)
    _check(session, records.merged(record, changes), changed=changes.keys())
    return evidence_service.apply_with_evidence(
        session, record, changes, evidence_ids=evidence_ids, version=data.version, actor=actor
    )


def present(session: Session, assessments: Sequence[Assessment]) -> list[AssessmentRead]:
    """The read shape of a page of assessments: the score's anchor, evidence in one query."""
    evidence = evidence_service.ids_by_record(
        session, "assessment_id", [item.id for item in assessments]
    )
    return [
        AssessmentRead.model_validate(
            records.merged(
                item,
                {"anchor": SCORE_ANCHORS[item.score], "evidence_ids": evidence.get(item.id, [])},
            )
        )
        for item in assessments
    ]


def _check(session: Session, state: dict[str, Any], *, changed: Collection[str]) -> None:
    """Refuse a missing or deleted collaboration, or a period that ends before it starts."""
    if "collaboration_id" in changed:
        records.require_live(
            session, Collaboration, state["collaboration_id"], field="collaboration_id"
        )
    errors = ensure_order(
        state["period_start"],
        state["period_end"],
        end_field="period_end",
        start_field="period_start",
    )
    if errors:
        raise Invalid(errors)


def agreement(session: Session, *, collaboration: Collaboration) -> AgreementReportRead:
    """Agreement between the coders of a collaboration's assessments, overall and per variable."""
    rows = session.execute(
        select(
            Assessment.id,
            Assessment.variable,
            Assessment.period_start,
            Assessment.period_end,
            Assessment.score,
            Assessment.coder,
        ).where(Assessment.collaboration_id == collaboration.id, Assessment.deleted_at.is_(None))
    )
    report = agreement_report(AssessmentRow(*row) for row in rows)
    return AgreementReportRead(
        collaboration_id=collaboration.id,
        overall=AgreementRead.model_validate(report.overall),
        variables=[AgreementRead.model_validate(item) for item in report.variables],
    )
