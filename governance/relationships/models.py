from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, SmallInteger, Text
from sqlalchemy.orm import Mapped, mapped_column

from governance.base import Record
from governance.evidence.models import evidence_relationship
from governance.vocab import RelationshipType, enum_column

if TYPE_CHECKING:
    from governance.evidence.models import Evidence


class Relationship(Record):
    __tablename__ = "relationships"
    __table_args__ = (
        CheckConstraint("source_id <> target_id", name="not_self"),
        CheckConstraint("strength BETWEEN 1 AND 3", name="strength_range"),
    )
    record_type = "relationship"

    source_id: Mapped[int] = mapped_column(ForeignKey("stakeholders.id"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("stakeholders.id"), index=True)
    type: Mapped[RelationshipType] = mapped_column(
        enum_column(RelationshipType, "relationship_type")
    )
    started_on: Mapped[dt.date | None]
    ended_on: Mapped[dt.date | None]
    strength: Mapped[int] = mapped_column(SmallInteger, default=2)
    note: Mapped[str] = mapped_column(Text, default="")

    evidence: Mapped[list[Evidence]] = evidence_relationship("Relationship", "relationship_id")
