from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.base import Base, Record
from governance.vocab import EvidenceKind, enum_column

#: The records evidence can be attached to, each a nullable column of ``evidence_links``.
EVIDENCE_TARGETS = {
    "assessment_id": "assessments.id",
    "trust_event_id": "trust_events.id",
    "status_change_id": "commitment_status_changes.id",
    "measurement_id": "measurements.id",
    "relationship_id": "relationships.id",
    "forum_criterion_id": "forum_criteria.id",
}

_exactly_one_target = " + ".join(
    f"(CASE WHEN {column} IS NULL THEN 0 ELSE 1 END)" for column in EVIDENCE_TARGETS
)

#: Links one piece of evidence to exactly one record it supports.
evidence_links = Table(
    "evidence_links",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("evidence_id", ForeignKey("evidence.id"), nullable=False, index=True),
    *(
        Column(column, ForeignKey(target, ondelete="CASCADE"), nullable=True, index=True)
        for column, target in EVIDENCE_TARGETS.items()
    ),
    CheckConstraint(f"{_exactly_one_target} = 1", name="one_target"),
)


class Evidence(Record):
    __tablename__ = "evidence"
    record_type = "evidence"

    collaboration_id: Mapped[int | None] = mapped_column(
        ForeignKey("collaborations.id"), index=True
    )
    kind: Mapped[EvidenceKind] = mapped_column(enum_column(EvidenceKind, "evidence_kind"))
    title: Mapped[str] = mapped_column(String(300))
    date: Mapped[dt.date | None]
    citation: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(2000), default="")
    excerpt: Mapped[str] = mapped_column(Text, default="")
    #: Confidential evidence (an interview under anonymity) is left out of public pages.
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)


def evidence_relationship(
    owner: str, link_column: str, *, lazy: Literal["raise", "selectin"] = "raise"
) -> Any:
    """The ``evidence`` list of a record (class ``owner``) that evidence can support.

    Each such record writes its own column of ``evidence_links``; they all share the
    ``evidence_id`` column on purpose, hence ``overlaps``.
    """
    return relationship(
        "Evidence",
        secondary=evidence_links,
        primaryjoin=f"{owner}.id == evidence_links.c.{link_column}",
        secondaryjoin="Evidence.id == evidence_links.c.evidence_id",
        lazy=lazy,
        order_by="Evidence.id",
        overlaps="evidence",
    )
