from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.base import Base, Record, utcnow
from governance.evidence.models import evidence_relationship
from governance.vocab import CommitmentStatus, enum_column

if TYPE_CHECKING:
    from governance.evidence.models import Evidence


class Commitment(Record):
    __tablename__ = "commitments"
    # A case's live commitments by due date: the list's count reads only the index.
    __table_args__ = (
        Index("ix_commitments_case_list", "collaboration_id", "deleted_at", "due_on", "id"),
    )
    record_type = "commitment"

    collaboration_id: Mapped[int] = mapped_column(ForeignKey("collaborations.id"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("stakeholders.id"), index=True)
    counterpart_id: Mapped[int | None] = mapped_column(ForeignKey("stakeholders.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    made_on: Mapped[dt.date]
    due_on: Mapped[dt.date | None] = mapped_column(index=True)
    status: Mapped[CommitmentStatus] = mapped_column(
        enum_column(CommitmentStatus, "commitment_status"),
        default=CommitmentStatus.OPEN,
        index=True,
    )
    fulfilled_on: Mapped[dt.date | None]

    history: Mapped[list[CommitmentStatusChange]] = relationship(
        back_populates="commitment",
        cascade="all, delete-orphan",
        lazy="raise",
        order_by="(CommitmentStatusChange.changed_on, CommitmentStatusChange.id)",
    )


class CommitmentStatusChange(Base):
    """One step of a commitment's history; the first step records it as open."""

    __tablename__ = "commitment_status_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("commitments.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[CommitmentStatus | None] = mapped_column(
        enum_column(CommitmentStatus, "from_status")
    )
    to_status: Mapped[CommitmentStatus] = mapped_column(enum_column(CommitmentStatus, "to_status"))
    changed_on: Mapped[dt.date]
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    commitment: Mapped[Commitment] = relationship(back_populates="history", lazy="raise")
    evidence: Mapped[list[Evidence]] = evidence_relationship(
        "CommitmentStatusChange", "status_change_id"
    )
