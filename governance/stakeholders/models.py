from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from governance.base import Record
from governance.vocab import Sector, StakeholderKind, enum_column


class Stakeholder(Record):
    __tablename__ = "stakeholders"
    # The name search (``q=``) scans this narrow index in name order instead of the table.
    __table_args__ = (Index("ix_stakeholders_search", "deleted_at", "name", "id", "search_key"),)
    record_type = "stakeholder"

    name: Mapped[str] = mapped_column(String(200), index=True)
    #: Other names the stakeholder goes by (acronyms, Indonesian and English names).
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    kind: Mapped[StakeholderKind] = mapped_column(enum_column(StakeholderKind, "stakeholder_kind"))
    sector: Mapped[Sector] = mapped_column(enum_column(Sector, "sector"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    #: Resource profile, each 0–4 or absent: authority, staff, budget, data_access, knowledge.
    resources: Mapped[dict[str, int | None]] = mapped_column(JSON, default=dict)
    #: Personal data (email, phone, address, note): never in researcher exports.
    contact: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: Lower-cased, accent-free name and aliases, kept by the service for search.
    search_key: Mapped[str] = mapped_column(Text, default="")

    @property
    def is_state(self) -> bool:
        """Government stakeholders are the state side of a collaboration."""
        return self.sector.is_state
