"""The codes of DESIGN.md's vocabulary table: one spelling in the database, API and files.

People see translated labels; these codes never change between versions.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa


class StakeholderKind(enum.StrEnum):
    ORGANISATION = "organisation"
    PERSON = "person"
    COALITION = "coalition"
    GROUP = "group"


class Sector(enum.StrEnum):
    GOVERNMENT = "government"
    CIVIL_SOCIETY = "civil_society"
    COMMUNITY = "community"
    PRIVATE = "private"
    ACADEMIC = "academic"
    MEDIA = "media"
    DONOR = "donor"
    OTHER = "other"

    @property
    def is_state(self) -> bool:
        """Government is the state side of a collaboration; every other sector is not."""
        return self is Sector.GOVERNMENT


class RelationshipType(enum.StrEnum):
    MEMBER_OF = "member_of"
    REPRESENTS = "represents"
    FUNDS = "funds"
    REPORTS_TO = "reports_to"
    ALLIED_WITH = "allied_with"
    IN_CONFLICT_WITH = "in_conflict_with"
    ADVISES = "advises"
    SHARES_DATA_WITH = "shares_data_with"
    OTHER = "other"


@dataclass(frozen=True)
class RelationshipLabels:
    forward: str
    reverse: str

    @property
    def symmetric(self) -> bool:
        return self.forward == self.reverse


#: How each tie reads from its source ("member of") and from its target ("has member").
RELATIONSHIP_LABELS: dict[RelationshipType, RelationshipLabels] = {
    RelationshipType.MEMBER_OF: RelationshipLabels("member of", "has member"),
    RelationshipType.REPRESENTS: RelationshipLabels("represents", "is represented by"),
    RelationshipType.FUNDS: RelationshipLabels("funds", "is funded by"),
    RelationshipType.REPORTS_TO: RelationshipLabels("reports to", "receives reports from"),
    RelationshipType.ALLIED_WITH: RelationshipLabels("allied with", "allied with"),
    RelationshipType.IN_CONFLICT_WITH: RelationshipLabels("in conflict with", "in conflict with"),
    RelationshipType.ADVISES: RelationshipLabels("advises", "is advised by"),
    RelationshipType.SHARES_DATA_WITH: RelationshipLabels("shares data with", "shares data with"),
    RelationshipType.OTHER: RelationshipLabels("related to", "related to"),
}


class CollaborationStatus(enum.StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    PAUSED = "paused"
    CONCLUDED = "concluded"


class ParticipationRole(enum.StrEnum):
    CONVENER = "convener"
    FACILITATOR = "facilitator"
    PARTICIPANT = "participant"
    OBSERVER = "observer"
    AFFECTED_GROUP = "affected_group"


class Inclusiveness(enum.StrEnum):
    OPEN = "open"
    INVITED = "invited"
    CLOSED = "closed"


class DecisionRule(enum.StrEnum):
    CONSENSUS = "consensus"
    MAJORITY = "majority"
    ADVISORY = "advisory"
    NONE = "none"


class GroundRule(enum.StrEnum):
    """The ground-rules checklist of a forum's institutional design."""

    TERMS_OF_REFERENCE = "terms_of_reference"
    DECISION_RULE = "decision_rule"
    ROLES = "roles"
    SCHEDULE = "schedule"
    DISPUTE_PROCEDURE = "dispute_procedure"
    DEADLINES = "deadlines"


class Criterion(enum.StrEnum):
    """Ansell & Gash's six defining criteria of collaborative governance (2008, p. 544)."""

    INITIATED_BY_PUBLIC_AGENCY = "initiated_by_public_agency"
    INCLUDES_NON_STATE_ACTORS = "includes_non_state_actors"
    PARTICIPANTS_DECIDE = "participants_decide"
    FORMALLY_ORGANISED = "formally_organised"
    AIMS_AT_CONSENSUS = "aims_at_consensus"
    PUBLIC_POLICY = "public_policy"


class CriterionRating(enum.StrEnum):
    MET = "met"
    PARTIAL = "partial"
    NOT_MET = "not_met"


class MeetingMode(enum.StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    HYBRID = "hybrid"


class MeetingStatus(enum.StrEnum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class AttendanceRole(enum.StrEnum):
    CHAIR = "chair"
    FACILITATOR = "facilitator"
    PARTICIPANT = "participant"
    OBSERVER = "observer"


class DecisionKind(enum.StrEnum):
    """What a decision is, for the diagnosis: most are ordinary."""

    ORDINARY = "ordinary"
    #: A jointly endorsed mission or problem statement (shared understanding).
    SHARED_STATEMENT = "shared_statement"
    #: A decision that formalises or institutionalises the collaboration's results.
    FORMALISATION = "formalisation"


class CommitmentStatus(enum.StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    FULFILLED = "fulfilled"
    PARTLY_FULFILLED = "partly_fulfilled"
    BROKEN = "broken"
    WITHDRAWN = "withdrawn"


#: Which status a commitment may move to from each status. ``open`` is only ever the first.
COMMITMENT_TRANSITIONS: dict[CommitmentStatus, frozenset[CommitmentStatus]] = {
    CommitmentStatus.OPEN: frozenset(
        {
            CommitmentStatus.IN_PROGRESS,
            CommitmentStatus.FULFILLED,
            CommitmentStatus.PARTLY_FULFILLED,
            CommitmentStatus.BROKEN,
            CommitmentStatus.WITHDRAWN,
        }
    ),
    CommitmentStatus.IN_PROGRESS: frozenset(
        {
            CommitmentStatus.FULFILLED,
            CommitmentStatus.PARTLY_FULFILLED,
            CommitmentStatus.BROKEN,
            CommitmentStatus.WITHDRAWN,
        }
    ),
    CommitmentStatus.PARTLY_FULFILLED: frozenset(
        {CommitmentStatus.IN_PROGRESS, CommitmentStatus.FULFILLED, CommitmentStatus.BROKEN}
    ),
    CommitmentStatus.BROKEN: frozenset({CommitmentStatus.IN_PROGRESS}),
    CommitmentStatus.FULFILLED: frozenset(),
    CommitmentStatus.WITHDRAWN: frozenset(),
}


class TrustEventKind(enum.StrEnum):
    INFORMATION_SHARED = "information_shared"
    PROMISE_KEPT = "promise_kept"
    PROMISE_BROKEN = "promise_broken"
    JOINT_ACTION = "joint_action"
    RECOGNITION = "recognition"
    APOLOGY = "apology"
    PUBLIC_CRITICISM = "public_criticism"
    PROTEST = "protest"
    ALTERNATIVE_VENUE = "alternative_venue"
    CONFLICT = "conflict"
    OTHER = "other"


class TrustForm(enum.StrEnum):
    """Stern & Coleman (2015), "The multidimensionality of trust"."""

    RATIONAL = "rational"
    PROCEDURAL = "procedural"
    AFFINITIVE = "affinitive"
    DISPOSITIONAL = "dispositional"


class Valence(enum.StrEnum):
    POSITIVE = "positive"
    NEGATIVE = "negative"


class OutcomeLevel(enum.StrEnum):
    SMALL_WIN = "small_win"
    STRATEGIC_PLAN = "strategic_plan"
    JOINT_FACT_FINDING = "joint_fact_finding"
    OUTCOME = "outcome"

    @property
    def is_intermediate(self) -> bool:
        return self is not OutcomeLevel.OUTCOME


class EvidenceKind(enum.StrEnum):
    INTERVIEW = "interview"
    MINUTES = "minutes"
    DOCUMENT = "document"
    NEWS = "news"
    OBSERVATION = "observation"
    DATASET = "dataset"


class ModelVariable(enum.StrEnum):
    """The variables of Ansell & Gash's model a researcher can score (0–4)."""

    POWER_RESOURCE_KNOWLEDGE_ASYMMETRY = "power_resource_knowledge_asymmetry"
    INCENTIVES_AND_CONSTRAINTS = "incentives_and_constraints"
    PREHISTORY = "prehistory"
    PARTICIPATORY_INCLUSIVENESS = "participatory_inclusiveness"
    FORUM_EXCLUSIVENESS = "forum_exclusiveness"
    CLEAR_GROUND_RULES = "clear_ground_rules"
    PROCESS_TRANSPARENCY = "process_transparency"
    FACILITATIVE_LEADERSHIP = "facilitative_leadership"
    FACE_TO_FACE_DIALOGUE = "face_to_face_dialogue"
    TRUST_BUILDING = "trust_building"
    COMMITMENT_TO_PROCESS = "commitment_to_process"
    SHARED_UNDERSTANDING = "shared_understanding"
    INTERMEDIATE_OUTCOMES = "intermediate_outcomes"
    OUTCOMES = "outcomes"


class UserRole(enum.StrEnum):
    ADMIN = "admin"
    SECRETARIAT = "secretariat"
    RESEARCHER = "researcher"
    VIEWER = "viewer"


def enum_column(enum_cls: type[enum.StrEnum], name: str) -> sa.Enum:
    """A string column that stores an enum's codes, guarded by a CHECK constraint."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(40, *(len(member.value) for member in enum_cls)),
        values_callable=_codes,
        validate_strings=True,
    )


def _codes(enum_cls: Any) -> list[str]:
    return [member.value for member in enum_cls]
