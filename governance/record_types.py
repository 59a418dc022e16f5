"""Every record type the audit log and the trash name, with how to title it in a list
and which records it belongs to.

The audit log stores a record as ``(record_type, record_id)``; reading it back as
"Meeting “Rapat koordinasi” (deleted)" needs the model, a short title and whether the
record is still live. The trash needs the same for every soft-deleted record, and the
parents a record belongs to, so it can refuse to restore a meeting into a deleted forum.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, Text, cast, func, literal, select
from sqlalchemy.orm import aliased

from governance.base import Record
from governance.models import (
    ApiToken,
    Assessment,
    Collaboration,
    Commitment,
    Decision,
    Evidence,
    Forum,
    Measurement,
    Meeting,
    Outcome,
    Participation,
    Relationship,
    Stakeholder,
    TrustEvent,
    User,
)

#: Longest title read from the database: descriptions may run to 50,000 characters.
TITLE_LENGTH = 160


#: ``(id, title, deleted_at)`` rows of one record type.
TitleRows = Select[int, str, dt.datetime | None]


def _short(column: Any) -> ColumnElement[str]:
    return func.substr(cast(column, Text), 1, TITLE_LENGTH)


@dataclass(frozen=True)
class Parent:
    """A record this one belongs to: restoring it while the parent is deleted is refused."""

    column: str
    record_type: str


@dataclass(frozen=True)
class RecordType:
    """One type of record: its model and a query of ``(id, title, deleted_at)`` rows."""

    name: str
    model: type[Any]
    #: Builds ``select(id, title, deleted_at)`` of this type; callers add the filters.
    rows: Callable[[], TitleRows]
    parents: tuple[Parent, ...] = ()
    #: Soft-deleted records of this type appear in the trash.
    in_trash: bool = True

    @property
    def id_column(self) -> ColumnElement[int]:
        column: ColumnElement[int] = self.model.id
        return column


def _plain(model: type[Record], title: Any) -> Callable[[], TitleRows]:
    def rows() -> TitleRows:
        return select(model.id, _short(title).label("title"), model.deleted_at)

    return rows


def _relationship_rows() -> TitleRows:
    source, target = aliased(Stakeholder), aliased(Stakeholder)
    title = func.substr(
        cast(source.name, Text) + literal(" → ") + cast(target.name, Text), 1, TITLE_LENGTH
    )
    return (
        select(Relationship.id, title.label("title"), Relationship.deleted_at)
        .join(source, source.id == Relationship.source_id)
        .join(target, target.id == Relationship.target_id)
    )


def _participation_rows() -> TitleRows:
    return select(
        Participation.id, _short(Stakeholder.name).label("title"), Participation.deleted_at
    ).join(Stakeholder, Stakeholder.id == Participation.stakeholder_id)


def _measurement_rows() -> TitleRows:
    title = func.substr(
        cast(Outcome.title, Text) + literal(" · ") + cast(Measurement.measured_on, Text),
        1,
        TITLE_LENGTH,
    )
    return select(Measurement.id, title.label("title"), Measurement.deleted_at).join(
        Outcome, Outcome.id == Measurement.outcome_id
    )


def _assessment_rows() -> TitleRows:
    title = func.substr(
        cast(Assessment.variable, Text) + literal(" · ") + cast(Assessment.coder, Text),
        1,
        TITLE_LENGTH,
    )
    return select(Assessment.id, title.label("title"), Assessment.deleted_at)


def _token_rows() -> TitleRows:
    # Tokens are revoked, never deleted: they have no ``deleted_at``.
    return select(
        ApiToken.id, _short(ApiToken.name).label("title"), ApiToken.revoked_at.label("deleted_at")
    )


_IN_COLLABORATION = Parent("collaboration_id", "collaboration")

RECORD_TYPES: Mapping[str, RecordType] = {
    kind.name: kind
    for kind in (
        RecordType("collaboration", Collaboration, _plain(Collaboration, Collaboration.name)),
        RecordType("stakeholder", Stakeholder, _plain(Stakeholder, Stakeholder.name)),
        RecordType(
            "relationship",
            Relationship,
            _relationship_rows,
            parents=(Parent("source_id", "stakeholder"), Parent("target_id", "stakeholder")),
        ),
        RecordType(
            "participation",
            Participation,
            _participation_rows,
            parents=(_IN_COLLABORATION, Parent("stakeholder_id", "stakeholder")),
        ),
        RecordType("forum", Forum, _plain(Forum, Forum.name), parents=(_IN_COLLABORATION,)),
        RecordType(
            "meeting",
            Meeting,
            _plain(Meeting, Meeting.title),
            parents=(_IN_COLLABORATION, Parent("forum_id", "forum")),
        ),
        RecordType(
            "decision",
            Decision,
            _plain(Decision, Decision.text),
            parents=(Parent("meeting_id", "meeting"),),
        ),
        RecordType(
            "commitment",
            Commitment,
            _plain(Commitment, Commitment.description),
            parents=(_IN_COLLABORATION,),
        ),
        RecordType(
            "trust_event",
            TrustEvent,
            _plain(TrustEvent, TrustEvent.description),
            parents=(_IN_COLLABORATION,),
        ),
        RecordType(
            "outcome",
            Outcome,
            _plain(Outcome, Outcome.title),
            parents=(_IN_COLLABORATION, Parent("parent_id", "outcome")),
        ),
        RecordType(
            "measurement",
            Measurement,
            _measurement_rows,
            parents=(Parent("outcome_id", "outcome"),),
        ),
        RecordType(
            "evidence",
            Evidence,
            _plain(Evidence, Evidence.title),
            parents=(_IN_COLLABORATION,),
        ),
        RecordType("assessment", Assessment, _assessment_rows, parents=(_IN_COLLABORATION,)),
        # Accounts are disabled by an administrator, not put in the trash.
        RecordType("user", User, _plain(User, User.name), in_trash=False),
        RecordType("api_token", ApiToken, _token_rows, in_trash=False),
    )
}

#: The types whose deleted records the trash lists, in the order its filter offers them.
TRASH_TYPES: tuple[str, ...] = tuple(name for name, kind in RECORD_TYPES.items() if kind.in_trash)


def rows_of(record_type: str, ids: Collection[int]) -> TitleRows | None:
    """``(id, title, deleted_at)`` of these records of one type; None for an unknown type."""
    kind = RECORD_TYPES.get(record_type)
    if kind is None or not ids:
        return None
    return kind.rows().where(kind.id_column.in_(sorted(set(ids))))
