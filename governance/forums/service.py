"""Forums of a collaboration: their institutional design and the six defining criteria."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from governance import records
from governance.audit.models import AuditEntry
from governance.audit.service import Actor
from governance.base import Record
from governance.collaborations.models import Collaboration
from governance.errors import Invalid
from governance.evidence.models import Evidence
from governance.forums.models import Forum, ForumCriterion
from governance.forums.schemas import (
    CriterionInput,
    CriterionRead,
    ForumCreate,
    ForumPatch,
    ForumQuery,
    ForumRead,
    GroundRules,
)
from governance.records import Page
from governance.schemas import ensure_order
from governance.stakeholders.models import Stakeholder
from governance.vocab import Criterion, CriterionRating, GroundRule


def get(session: Session, forum_id: int, *, include_deleted: bool = False) -> Forum:
    """The forum with this id, with its criteria."""
    return records.get(session, Forum, forum_id, include_deleted=include_deleted)


def search(session: Session, *, query: ForumQuery) -> Page[Forum]:
    """Forums matching the query's filters, by name."""
    statement = records.base_query(Forum, include_deleted=query.include_deleted)
    if query.collaboration_id is not None:
        statement = statement.where(Forum.collaboration_id == query.collaboration_id)
    if query.public is not None:
        statement = statement.where(Forum.public.is_(query.public))
    if query.q:
        statement = statement.where(records.text_filter([Forum.name], query.q))
    return records.paginate(
        session, statement, limit=query.limit, offset=query.offset, order_by=(Forum.name, Forum.id)
    )


def create(session: Session, *, data: ForumCreate, actor: Actor) -> Forum:
    """Set up a forum in a live collaboration, with its ground rules and rated criteria."""
    fields = data.model_dump(exclude={"criteria"})
    evidence = _validate(
        session,
        fields,
        references={"collaboration_id": Collaboration} | _STAKEHOLDERS,
        criteria=data.criteria,
    )
    forum = Forum(**fields)
    _replace_criteria(forum, data.criteria, evidence)
    records.add(session, forum, actor=actor)
    if forum.criteria:
        _log_created_criteria(session, forum)
    return forum


def update(session: Session, *, record: Forum, data: ForumPatch, actor: Actor) -> Forum:
    """Change a forum, refusing a stale version; ``criteria`` replaces the whole set."""
    records.check_version(record, data.version)
    changes = data.changes()
    # Criteria are child rows, not columns: replaced below and logged as extra changes.
    criteria = data.criteria if "criteria" in changes else None
    changes.pop("criteria", None)
    if "ground_rules" in changes:
        # The checklist is replaced whole: codes left out of the object are false.
        changes["ground_rules"] = data.ground_rules.model_dump()
    evidence = _validate(
        session,
        records.merged(record, changes),
        references={field: model for field, model in _STAKEHOLDERS.items() if field in changes},
        criteria=criteria,
    )
    extra: dict[str, list[Any]] = {}
    if criteria is not None:
        before = criteria_log(record)
        _replace_criteria(record, criteria, evidence)
        after = criteria_log(record)
        if before != after:
            extra["criteria"] = [before, after]
    return records.apply_changes(
        session, record, changes, version=data.version, actor=actor, extra_changes=extra
    )


def present(session: Session, forums: Sequence[Forum]) -> list[ForumRead]:
    """The read shape: the full ground-rules checklist and all six criteria, rated or not."""
    return [_read(forum) for forum in forums]


def criteria_log(forum: Forum) -> list[dict[str, Any]]:
    """The forum's rated criteria as the audit log keeps them, in the model's order."""
    return [
        {
            "criterion": row.criterion.value,
            "rating": row.rating.value,
            "note": row.note,
            "evidence_ids": sorted(evidence.id for evidence in row.evidence),
        }
        for row in sorted(forum.criteria, key=lambda row: row.position)
    ]


_STAKEHOLDERS: dict[str, type[Record]] = {
    "convener_id": Stakeholder,
    "facilitator_id": Stakeholder,
}


def _validate(
    session: Session,
    state: dict[str, Any],
    *,
    references: dict[str, type[Record]],
    criteria: Sequence[CriterionInput] | None,
) -> dict[int, Evidence]:
    """Every problem with the forum's state at once; the evidence the criteria cite, by id."""
    errors: dict[str, str] = {}
    for field, model in references.items():
        errors |= records.live_errors(session, model, state[field], field=field)
    errors |= ensure_order(
        state["established_on"],
        state["closed_on"],
        end_field="closed_on",
        start_field="established_on",
    )
    evidence: dict[int, Evidence] = {}
    if criteria:
        errors |= _repeated_criteria(criteria)
        evidence, problems = _cited_evidence(session, criteria)
        errors |= problems
    if errors:
        raise Invalid(errors)
    return evidence


def _repeated_criteria(criteria: Sequence[CriterionInput]) -> dict[str, str]:
    first: dict[Criterion, int] = {}
    errors: dict[str, str] = {}
    for index, item in enumerate(criteria):
        if item.criterion in first:
            errors[f"criteria[{index}].criterion"] = (
                f"{item.criterion.value} is already rated in criteria[{first[item.criterion]}]"
            )
        else:
            first[item.criterion] = index
    return errors


def _cited_evidence(
    session: Session, criteria: Sequence[CriterionInput]
) -> tuple[dict[int, Evidence], dict[str, str]]:
    """The live evidence the criteria cite (one query), and an error per bad citation."""
    wanted = {evidence_id for item in criteria for evidence_id in item.evidence_ids}
    if not wanted:
        return {}, {}
    found = session.scalars(select(Evidence).where(Evidence.id.in_(wanted)))
    live = {evidence.id: evidence for evidence in found if not evidence.is_deleted}
    errors: dict[str, str] = {}
    for index, item in enumerate(criteria):
        missing = sorted(set(item.evidence_ids) - live.keys())
        if missing:
            listed = ", ".join(str(evidence_id) for evidence_id in missing)
            errors[f"criteria[{index}].evidence_ids"] = (
                f"evidence {listed} does not exist or is deleted"
            )
    return live, errors


def _replace_criteria(
    forum: Forum, criteria: Sequence[CriterionInput], evidence: dict[int, Evidence]
) -> None:
    """Make ``criteria`` the forum's whole set, updating rows in place where they exist.

    Rows are kept rather than recreated: a delete and an insert of the same criterion
    in one flush would trip the (forum, criterion) unique constraint.
    """
    current = {row.criterion: row for row in forum.criteria}
    given = {item.criterion: item for item in criteria}
    rows: list[ForumCriterion] = []
    for position, criterion in enumerate(Criterion):
        item = given.get(criterion)
        if item is None:
            continue
        row = current.get(criterion) or ForumCriterion(criterion=criterion)
        row.position = position
        row.rating = item.rating
        row.note = item.note
        row.evidence = [evidence[evidence_id] for evidence_id in sorted(set(item.evidence_ids))]
        rows.append(row)
    forum.criteria = rows


def _log_created_criteria(session: Session, forum: Forum) -> None:
    """``records.add`` logs the forum's columns; add its criteria to that same entry."""
    entry = session.scalars(
        select(AuditEntry).where(
            AuditEntry.record_type == forum.record_type,
            AuditEntry.record_id == forum.id,
            AuditEntry.action == "create",
        )
    ).one()
    entry.changes = entry.changes | {"criteria": [None, criteria_log(forum)]}


def _read(forum: Forum) -> ForumRead:
    rated = {row.criterion: row for row in forum.criteria}
    criteria = [_criterion_read(criterion, rated.get(criterion)) for criterion in Criterion]
    stored = forum.ground_rules or {}
    ground_rules = GroundRules(**{rule.value: bool(stored.get(rule.value)) for rule in GroundRule})
    columns = {column.key: getattr(forum, column.key) for column in Forum.__mapper__.column_attrs}
    return ForumRead.model_validate(
        columns
        | {
            "ground_rules": ground_rules,
            "criteria": criteria,
            "criteria_met": sum(item.rating is CriterionRating.MET for item in criteria),
        }
    )


def _criterion_read(criterion: Criterion, row: ForumCriterion | None) -> CriterionRead:
    if row is None:
        return CriterionRead(criterion=criterion, rating=None, note="", evidence_ids=[])
    # Deleted evidence stays linked (a restore brings it back) but is not shown.
    shown = sorted(evidence.id for evidence in row.evidence if not evidence.is_deleted)
    return CriterionRead(criterion=criterion, rating=row.rating, note=row.note, evidence_ids=shown)
