from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from governance.base import Record
from governance.vocab import ParticipationRole, enum_column


class Participation(Record):
    __tablename__ = "participations"
    record_type = "participation"

    collaboration_id: Mapped[int] = mapped_column(ForeignKey("collaborations.id"), index=True)
    stakeholder_id: Mapped[int] = mapped_column(ForeignKey("stakeholders.id"), index=True)
    role: Mapped[ParticipationRole] = mapped_column(
        enum_column(ParticipationRole, "participation_role")
    )
    joined_on: Mapped[dt.date | None]
    left_on: Mapped[dt.date | None]
    incentives: Mapped[str] = mapped_column(Text, default="")
    constraints: Mapped[str] = mapped_column(Text, default="")
