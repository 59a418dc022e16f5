from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from governance.base import Record
from governance.evidence.models import evidence_relationship
from governance.vocab import ModelVariable, enum_column

if TYPE_CHECKING:
    from governance.evidence.models import Evidence


class Assessment(Record):
    """One coder's 0–4 score of one model variable for a collaboration and period."""

    __tablename__ = "assessments"
    __table_args__ = (CheckConstraint("score BETWEEN 0 AND 4", name="score_range"),)
    record_type = "assessment"

    collaboration_id: Mapped[int] = mapped_column(ForeignKey("collaborations.id"), index=True)
    variable: Mapped[ModelVariable] = mapped_column(enum_column(ModelVariable, "model_variable"))
    period_start: Mapped[dt.date]
    period_end: Mapped[dt.date]
    score: Mapped[int] = mapped_column(SmallInteger)
    rationale: Mapped[str] = mapped_column(Text)
    #: Who coded it: a researcher's name or code, so several coders can be compared.
    coder: Mapped[str] = mapped_column(String(200))

    evidence: Mapped[list[Evidence]] = evidence_relationship("Assessment", "assessment_id")
