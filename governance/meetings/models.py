from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.base import Base, Record
from governance.vocab import (
    AttendanceRole,
    DecisionKind,
    MeetingMode,
    MeetingStatus,
    enum_column,
)


class Meeting(Record):
    __tablename__ = "meetings"
    # A case's live meetings in date order: the list's count reads only the index and a
    # deep page (offset 10,000) skips index entries instead of rows.
    __table_args__ = (
        Index("ix_meetings_case_list", "collaboration_id", "deleted_at", "starts_at", "id"),
    )
    record_type = "meeting"

    forum_id: Mapped[int] = mapped_column(ForeignKey("forums.id"), index=True)
    #: Copied from the forum when the meeting is created, so a case's meetings need no join.
    collaboration_id: Mapped[int] = mapped_column(ForeignKey("collaborations.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    starts_at: Mapped[dt.datetime] = mapped_column(index=True)
    ends_at: Mapped[dt.datetime | None]
    mode: Mapped[MeetingMode] = mapped_column(
        enum_column(MeetingMode, "meeting_mode"), default=MeetingMode.IN_PERSON
    )
    location: Mapped[str] = mapped_column(String(300), default="")
    agenda: Mapped[str] = mapped_column(Text, default="")
    #: Markdown; rendered sanitised wherever it is shown.
    minutes: Mapped[str] = mapped_column(Text, default="")
    minutes_circulated_on: Mapped[dt.date | None]
    status: Mapped[MeetingStatus] = mapped_column(
        enum_column(MeetingStatus, "meeting_status"), default=MeetingStatus.PLANNED, index=True
    )

    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="meeting",
        cascade="all, delete-orphan",
        lazy="raise",
        order_by="Attendance.id",
    )
    decisions: Mapped[list[Decision]] = relationship(
        back_populates="meeting",
        lazy="raise",
        order_by="Decision.id",
        primaryjoin="and_(Meeting.id == Decision.meeting_id, Decision.deleted_at.is_(None))",
        viewonly=True,
    )


class Attendance(Base):
    """Whether one stakeholder was invited to and attended one meeting, and in what role."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "stakeholder_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    stakeholder_id: Mapped[int] = mapped_column(ForeignKey("stakeholders.id"), index=True)
    invited: Mapped[bool] = mapped_column(Boolean, default=True)
    attended: Mapped[bool] = mapped_column(Boolean, default=True)
    role: Mapped[AttendanceRole] = mapped_column(
        enum_column(AttendanceRole, "attendance_role"), default=AttendanceRole.PARTICIPANT
    )
    #: The person who came on the stakeholder's behalf, when it is an organisation.
    represented_by: Mapped[str] = mapped_column(String(200), default="")

    meeting: Mapped[Meeting] = relationship(back_populates="attendance", lazy="raise")


class Decision(Record):
    __tablename__ = "decisions"
    record_type = "decision"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    rationale: Mapped[str] = mapped_column(Text, default="")
    by_consensus: Mapped[bool] = mapped_column(Boolean, default=True)
    kind: Mapped[DecisionKind] = mapped_column(
        enum_column(DecisionKind, "decision_kind"), default=DecisionKind.ORDINARY
    )

    meeting: Mapped[Meeting] = relationship(lazy="raise", viewonly=True)
