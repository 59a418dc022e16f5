from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from governance.schemas import KEEP, Id, Input, ListQuery, Name, Patch, RecordRead, Text
from governance.vocab import Sector, StakeholderKind

Level = Annotated[int, Field(ge=0, le=4)]
Aliases = Annotated[list[Name], Field(max_length=30)]


class ResourceProfile(BaseModel):
    """What a stakeholder brings, each scored 0 (none) to 4 (decisive), or left unknown."""

    model_config = ConfigDict(extra="forbid")

    authority: Level | None = None
    staff: Level | None = None
    budget: Level | None = None
    data_access: Level | None = None
    knowledge: Level | None = None


class Contact(BaseModel):
    """Personal data: shown to the secretariat, never exported for research."""

    model_config = ConfigDict(extra="forbid")

    email: Annotated[str, StringConstraints(strip_whitespace=True, max_length=254)] = ""
    phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=50)] = ""
    address: Annotated[str, StringConstraints(max_length=500)] = ""
    note: Annotated[str, StringConstraints(max_length=2000)] = ""

    @field_validator("email")
    @classmethod
    def _looks_like_email(cls, value: str) -> str:
        if value and ("@" not in value or value.startswith("@") or value.endswith("@")):
            raise ValueError("is not an e-mail address (expected name@domain)")
        return value


class StakeholderCreate(Input):
    name: Name
    aliases: Aliases = Field(default_factory=list)
    kind: StakeholderKind
    sector: Sector
    description: Text = ""
    resources: ResourceProfile = ResourceProfile()
    contact: Contact = Contact()


class StakeholderPatch(Patch):
    name: Name = KEEP
    aliases: Aliases = KEEP
    kind: StakeholderKind = KEEP
    sector: Sector = KEEP
    description: Text = KEEP
    resources: ResourceProfile = KEEP
    contact: Contact = KEEP


class StakeholderRead(RecordRead):
    name: str
    aliases: list[str]
    kind: StakeholderKind
    sector: Sector
    is_state: bool = Field(description="Whether the stakeholder is a state actor (government)")
    description: str
    resources: ResourceProfile
    contact: Contact | None = Field(
        description="Personal data: null for roles that may not see contact details "
        "(researcher, viewer)"
    )


class StakeholderQuery(ListQuery):
    kind: StakeholderKind | None = None
    sector: Sector | None = None
    collaboration_id: Id | None = Field(
        None, description="Only stakeholders taking part in this collaboration"
    )
