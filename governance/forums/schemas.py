from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from governance.schemas import KEEP, Id, Input, ListQuery, Name, Patch, RecordRead, Text
from governance.vocab import Criterion, CriterionRating, DecisionRule, Inclusiveness

EvidenceIds = Annotated[list[Id], Field(max_length=100)]


class GroundRules(BaseModel):
    """The ground-rules checklist: one flag per GroundRule code; codes left out are false."""

    model_config = ConfigDict(extra="forbid")

    terms_of_reference: bool = False
    decision_rule: bool = False
    roles: bool = False
    schedule: bool = False
    dispute_procedure: bool = False
    deadlines: bool = False


class CriterionInput(BaseModel):
    """A rating of one of the six defining criteria, with the evidence behind it."""

    model_config = ConfigDict(extra="forbid")

    criterion: Criterion
    rating: CriterionRating
    note: Text = ""
    evidence_ids: EvidenceIds = Field(default_factory=list)


#: Each criterion at most once; sending the list replaces every rating the forum had.
CriteriaInput = Annotated[list[CriterionInput], Field(max_length=len(Criterion))]


class ForumCreate(Input):
    collaboration_id: Id
    name: Name
    purpose: Text = ""
    convener_id: Id | None = None
    facilitator_id: Id | None = None
    established_on: dt.date | None = None
    closed_on: dt.date | None = Field(None, description="Not before established_on")
    inclusiveness: Inclusiveness = Inclusiveness.INVITED
    decision_rule: DecisionRule = DecisionRule.CONSENSUS
    ground_rules: GroundRules = GroundRules()
    public: bool = Field(False, description="Whether the minutes are published")
    criteria: CriteriaInput = Field(default_factory=list)


class ForumPatch(Patch):
    """The collaboration is fixed. ``ground_rules`` and ``criteria`` are replaced whole."""

    name: Name = KEEP
    purpose: Text = KEEP
    convener_id: Id | None = None
    facilitator_id: Id | None = None
    established_on: dt.date | None = None
    closed_on: dt.date | None = Field(None, description="Not before established_on")
    inclusiveness: Inclusiveness = KEEP
    decision_rule: DecisionRule = KEEP
    ground_rules: GroundRules = KEEP
    public: bool = KEEP
    criteria: CriteriaInput = KEEP


class CriterionRead(BaseModel):
    criterion: Criterion
    rating: CriterionRating | None = Field(description="Null while the criterion is unrated")
    note: str
    evidence_ids: list[int]


class ForumRead(RecordRead):
    collaboration_id: int
    name: str
    purpose: str
    convener_id: int | None
    facilitator_id: int | None
    established_on: dt.date | None
    closed_on: dt.date | None
    inclusiveness: Inclusiveness
    decision_rule: DecisionRule
    ground_rules: GroundRules
    public: bool
    criteria: list[CriterionRead] = Field(description="All six criteria, in the model's order")
    criteria_met: int = Field(description="How many of the six criteria are met")


class ForumQuery(ListQuery):
    collaboration_id: Id | None = None
    public: bool | None = None
