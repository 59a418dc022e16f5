from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Column, Float, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.base import Base, Record
from governance.evidence.models import evidence_relationship
from governance.vocab import OutcomeLevel, enum_column

if TYPE_CHECKING:
    from governance.commitments.models import Commitment
    from governance.evidence.models import Evidence
    from governance.meetings.models import Meeting

#: The provenance chain: which commitments feed an outcome.
outcome_commitments = Table(
    "outcome_commitments",
    Base.metadata,
    Column("outcome_id", ForeignKey("outcomes.id", ondelete="CASCADE"), primary_key=True),
    Column("commitment_id", ForeignKey("commitments.id", ondelete="CASCADE"), primary_key=True),
)

#: ...and at which meetings it was worked on.
outcome_meetings = Table(
    "outcome_meetings",
    Base.metadata,
    Column("outcome_id", ForeignKey("outcomes.id", ondelete="CASCADE"), primary_key=True),
    Column("meeting_id", ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
)


class Outcome(Record):
    __tablename__ = "outcomes"
    __table_args__ = (
        CheckConstraint("target <> baseline", name="target_differs"),
        CheckConstraint("weight > 0", name="weight_positive"),
    )
    record_type = "outcome"

    collaboration_id: Mapped[int] = mapped_column(ForeignKey("collaborations.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("outcomes.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    level: Mapped[OutcomeLevel] = mapped_column(enum_column(OutcomeLevel, "outcome_level"))
    #: Share of the parent's progress this outcome carries, relative to its siblings.
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    unit: Mapped[str] = mapped_column(String(100), default="")
    baseline: Mapped[float] = mapped_column(Float, default=0.0)
    target: Mapped[float] = mapped_column(Float)
    started_on: Mapped[dt.date | None]
    due_on: Mapped[dt.date | None]

    commitments: Mapped[list[Commitment]] = relationship(
        secondary=outcome_commitments, lazy="raise", order_by="Commitment.id"
    )
    meetings: Mapped[list[Meeting]] = relationship(
        secondary=outcome_meetings, lazy="raise", order_by="Meeting.id"
    )


class Measurement(Record):
    __tablename__ = "measurements"
    record_type = "measurement"

    outcome_id: Mapped[int] = mapped_column(ForeignKey("outcomes.id"), index=True)
    measured_on: Mapped[dt.date]
    value: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")

    evidence: Mapped[list[Evidence]] = evidence_relationship("Measurement", "measurement_id")
