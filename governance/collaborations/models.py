from __future__ import annotations

import datetime as dt

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from governance.base import Record
from governance.vocab import CollaborationStatus, enum_column


class Collaboration(Record):
    __tablename__ = "collaborations"
    record_type = "collaboration"

    name: Mapped[str] = mapped_column(String(200), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    policy_domain: Mapped[str] = mapped_column(String(200), default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    started_on: Mapped[dt.date | None]
    ended_on: Mapped[dt.date | None]
    status: Mapped[CollaborationStatus] = mapped_column(
        enum_column(CollaborationStatus, "collaboration_status"), default=CollaborationStatus.ACTIVE
    )
