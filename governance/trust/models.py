from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, SmallInteger, Text
from sqlalchemy.orm import Mapped, mapped_column

from governance.base import Record
from governance.evidence.models import evidence_relationship
from governance.vocab import TrustEventKind, TrustForm, Valence, enum_column

if TYPE_CHECKING:
    from governance.evidence.models import Evidence


class TrustEvent(Record):
    __tablename__ = "trust_events"
    __table_args__ = (CheckConstraint("severity BETWEEN 1 AND 3", name="severity_range"),)
    record_type = "trust_event"

    collaboration_id: Mapped[int] = mapped_column(ForeignKey("collaborations.id"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    occurred_on: Mapped[dt.date] = mapped_column(index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("stakeholders.id"), index=True)
    #: Empty when the event concerns the whole forum rather than one stakeholder.
    target_id: Mapped[int | None] = mapped_column(ForeignKey("stakeholders.id"), index=True)
    kind: Mapped[TrustEventKind] = mapped_column(enum_column(TrustEventKind, "trust_event_kind"))
    trust_form: Mapped[TrustForm] = mapped_column(enum_column(TrustForm, "trust_form"))
    valence: Mapped[Valence] = mapped_column(enum_column(Valence, "valence"))
    severity: Mapped[int] = mapped_column(SmallInteger, default=1)
    description: Mapped[str] = mapped_column(Text, default="")

    evidence: Mapped[list[Evidence]] = evidence_relationship("TrustEvent", "trust_event_id")
