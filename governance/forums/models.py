from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.base import Base, Record, utcnow
from governance.evidence.models import evidence_relationship
from governance.vocab import Criterion, CriterionRating, DecisionRule, Inclusiveness, enum_column

if TYPE_CHECKING:
    from governance.evidence.models import Evidence


class Forum(Record):
    __tablename__ = "forums"
    record_type = "forum"

    collaboration_id: Mapped[int] = mapped_column(ForeignKey("collaborations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    purpose: Mapped[str] = mapped_column(Text, default="")
    convener_id: Mapped[int | None] = mapped_column(ForeignKey("stakeholders.id"))
    facilitator_id: Mapped[int | None] = mapped_column(ForeignKey("stakeholders.id"))
    established_on: Mapped[dt.date | None]
    closed_on: Mapped[dt.date | None]
    inclusiveness: Mapped[Inclusiveness] = mapped_column(
        enum_column(Inclusiveness, "inclusiveness"), default=Inclusiveness.INVITED
    )
    decision_rule: Mapped[DecisionRule] = mapped_column(
        enum_column(DecisionRule, "decision_rule"), default=DecisionRule.CONSENSUS
    )
    #: The ground-rules checklist: each GroundRule code → whether the forum has it.
    ground_rules: Mapped[dict[str, bool]] = mapped_column(JSON, default=dict)
    #: Whether the forum's minutes are published to the public pages.
    public: Mapped[bool] = mapped_column(Boolean, default=False)

    criteria: Mapped[list[ForumCriterion]] = relationship(
        back_populates="forum",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="ForumCriterion.position",
    )


class ForumCriterion(Base):
    """One of the six defining criteria, rated for a forum with a note and evidence."""

    __tablename__ = "forum_criteria"
    __table_args__ = (UniqueConstraint("forum_id", "criterion"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forums.id", ondelete="CASCADE"), index=True)
    criterion: Mapped[Criterion] = mapped_column(enum_column(Criterion, "criterion"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    rating: Mapped[CriterionRating] = mapped_column(enum_column(CriterionRating, "rating"))
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    forum: Mapped[Forum] = relationship(back_populates="criteria", lazy="raise")
    evidence: Mapped[list[Evidence]] = evidence_relationship(
        "ForumCriterion", "forum_criterion_id", lazy="selectin"
    )
