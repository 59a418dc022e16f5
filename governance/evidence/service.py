"""Evidence: register sources, and link them to the records they support.

The link helpers serve every record built with ``evidence_relationship`` (assessments,
relationships, trust events…): validate the ids, write the links, log them, and read
the links of a whole page in one query.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from typing import Any, Protocol, TypeVar, cast

from sqlalchemy import Select, bindparam, inspect, select
from sqlalchemy.orm import Session

from governance import records
from governance.audit.service import Actor
from governance.base import Record
from governance.collaborations.models import Collaboration
from governance.evidence.models import Evidence, evidence_links
from governance.evidence.schemas import EvidenceCreate, EvidencePatch, EvidenceQuery
from governance.records import Page

R = TypeVar("R", bound=Record)


class _Supported(Protocol):
    """A record whose model declares ``evidence = evidence_relationship(...)``."""

    evidence: list[Evidence]


def get(session: Session, evidence_id: int, *, include_deleted: bool = False) -> Evidence:
    """The piece of evidence with this id."""
    return records.get(session, Evidence, evidence_id, include_deleted=include_deleted)


def search(session: Session, *, query: EvidenceQuery) -> Page[Evidence]:
    """Evidence matching the query's filters, newest first (undated last)."""
    statement = records.base_query(Evidence, include_deleted=query.include_deleted)
    if query.collaboration_id is not None:
        statement = statement.where(Evidence.collaboration_id == query.collaboration_id)
    if query.kind is not None:
        statement = statement.where(Evidence.kind == query.kind)
    if query.confidential is not None:
        statement = statement.where(Evidence.confidential.is_(query.confidential))
    if query.q and query.q.strip():
        statement = statement.where(
            records.text_filter([Evidence.title, Evidence.citation, Evidence.excerpt], query.q)
        )
    return records.paginate(
        session,
        statement,
        limit=query.limit,
        offset=query.offset,
        order_by=(Evidence.date.desc().nulls_last(), Evidence.id),
    )


def create(session: Session, *, data: EvidenceCreate, actor: Actor) -> Evidence:
    """Register a piece of evidence."""
    records.require_live(session, Collaboration, data.collaboration_id, field="collaboration_id")
    return records.add(session, Evidence(**data.model_dump()), actor=actor)


def update(session: Session, *, record: Evidence, data: EvidencePatch, actor: Actor) -> Evidence:
    """Change a piece of evidence's fields, refusing a stale version."""
    changes = data.changes()
    if "collaboration_id" in changes:
        records.require_live(
            session, Collaboration, changes["collaboration_id"], field="collaboration_id"
        )
    return records.apply_changes(session, record, changes, version=data.version, actor=actor)


def require_evidence(
    session: Session, evidence_ids: Sequence[int], *, field: str = "evidence_ids"
) -> list[Evidence]:
    """The live evidence with these ids, in id order; ``Invalid`` on ``field`` if any is not."""
    records.require_all_live(session, Evidence, evidence_ids, field=field)
    if not evidence_ids:
        return []
    statement = select(Evidence).where(Evidence.id.in_(set(evidence_ids))).order_by(Evidence.id)
    return list(session.scalars(statement))


def add_with_evidence(session: Session, record: R, *, evidence: list[Evidence], actor: Actor) -> R:
    """Insert a record that evidence supports with its links; log both in one entry."""
    cast(_Supported, record).evidence = evidence
    return records.add(
        session,
        record,
        actor=actor,
        extra_changes={"evidence_ids": [None, [item.id for item in evidence]]},
    )


def replace_evidence(
    session: Session, record: Record, evidence: list[Evidence]
) -> dict[str, list[Any]]:
    """Link ``record`` to exactly ``evidence``; the change to log, or nothing if the same.

    Pass the result to ``records.apply_changes(extra_changes=...)``, which logs it and
    moves the record's version on.
    """
    supported = cast(_Supported, record)
    if "evidence" in inspect(record).unloaded:
        session.refresh(record, ["evidence"])
    before = [item.id for item in supported.evidence]
    after = [item.id for item in evidence]
    if sorted(before) == sorted(after):
        return {}
    supported.evidence = evidence
    return {"evidence_ids": [before, after]}


def apply_with_evidence(
    session: Session,
    record: R,
    changes: dict[str, Any],
    *,
    evidence_ids: Sequence[int] | None,
    version: int,
    actor: Actor,
) -> R:
    """:func:`records.apply_changes`, also replacing the evidence when ids are given."""
    linked: dict[str, list[Any]] = {}
    if evidence_ids is not None:
        linked = replace_evidence(session, record, require_evidence(session, evidence_ids))
    return records.apply_changes(
        session, record, changes, version=version, actor=actor, extra_changes=linked
    )


def ids_by_record(
    session: Session, link_column: str, record_ids: Sequence[int]
) -> dict[int, list[int]]:
    """Live evidence ids per record, in id order, for a page of records in one query.

    ``link_column`` is the records' column of ``evidence_links`` ("relationship_id"…).
    Deleted evidence is left out, so a read can be sent back unchanged in a PATCH.
    """
    if not record_ids:
        return {}
    rows = session.execute(_linked_evidence(link_column), {"ids": list(set(record_ids))})
    found: dict[int, list[int]] = defaultdict(list)
    for record_id, evidence_id in rows:
        found[record_id].append(evidence_id)
    return dict(found)


@functools.cache
def _linked_evidence(link_column: str) -> Select[int, int]:
    """The query of :func:`ids_by_record`, built once per column: it runs for every
    page and answer that shows evidence, and building it took longer than running it."""
    owner = evidence_links.c[link_column]
    return (
        select(owner, evidence_links.c.evidence_id)
        .join(Evidence, Evidence.id == evidence_links.c.evidence_id)
        .where(owner.in_(bindparam("ids", expanding=True)), Evidence.deleted_at.is_(None))
        .order_by(evidence_links.c.evidence_id)
    )
