"""What people read for each code of the vocabulary: one mapping per vocabulary.

The codes (``civil_society``) never change; the labels here are English message ids,
translated when shown (``{{ stakeholder.sector | label("sector") }}``). ``N_`` only
marks a string for extraction into the catalog.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from governance import vocab


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional marker name
    """Mark ``message`` for translation without translating it now."""
    return message


VOCABULARIES: Mapping[str, Mapping[str, str]] = {
    "stakeholder_kind": {
        vocab.StakeholderKind.ORGANISATION: N_("Organisation"),
        vocab.StakeholderKind.PERSON: N_("Person"),
        vocab.StakeholderKind.COALITION: N_("Coalition"),
        vocab.StakeholderKind.GROUP: N_("Informal group"),
    },
    "sector": {
        vocab.Sector.GOVERNMENT: N_("Government"),
        vocab.Sector.CIVIL_SOCIETY: N_("Civil society"),
        vocab.Sector.COMMUNITY: N_("Community"),
        vocab.Sector.PRIVATE: N_("Private sector"),
        vocab.Sector.ACADEMIC: N_("Academic"),
        vocab.Sector.MEDIA: N_("Media"),
        vocab.Sector.DONOR: N_("Donor"),
        vocab.Sector.OTHER: N_("Other"),
    },
    "relationship_type": {
        vocab.RelationshipType.MEMBER_OF: N_("Member of"),
        vocab.RelationshipType.REPRESENTS: N_("Represents"),
        vocab.RelationshipType.FUNDS: N_("Funds"),
        vocab.RelationshipType.REPORTS_TO: N_("Reports to"),
        vocab.RelationshipType.ALLIED_WITH: N_("Allied with"),
        vocab.RelationshipType.IN_CONFLICT_WITH: N_("In conflict with"),
        vocab.RelationshipType.ADVISES: N_("Advises"),
        vocab.RelationshipType.SHARES_DATA_WITH: N_("Shares data with"),
        vocab.RelationshipType.OTHER: N_("Related to"),
    },
    #: How a tie reads from its target: "SPRI has member …".
    "relationship_reverse": {
        vocab.RelationshipType.MEMBER_OF: N_("Has member"),
        vocab.RelationshipType.REPRESENTS: N_("Is represented by"),
        vocab.RelationshipType.FUNDS: N_("Is funded by"),
        vocab.RelationshipType.REPORTS_TO: N_("Receives reports from"),
        vocab.RelationshipType.ALLIED_WITH: N_("Allied with"),
        vocab.RelationshipType.IN_CONFLICT_WITH: N_("In conflict with"),
        vocab.RelationshipType.ADVISES: N_("Is advised by"),
        vocab.RelationshipType.SHARES_DATA_WITH: N_("Shares data with"),
        vocab.RelationshipType.OTHER: N_("Related to"),
    },
    "collaboration_status": {
        vocab.CollaborationStatus.PLANNED: N_("Planned"),
        vocab.CollaborationStatus.ACTIVE: N_("Active"),
        vocab.CollaborationStatus.PAUSED: N_("Paused"),
        vocab.CollaborationStatus.CONCLUDED: N_("Concluded"),
    },
    "participation_role": {
        vocab.ParticipationRole.CONVENER: N_("Convener"),
        vocab.ParticipationRole.FACILITATOR: N_("Facilitator"),
        vocab.ParticipationRole.PARTICIPANT: N_("Participant"),
        vocab.ParticipationRole.OBSERVER: N_("Observer"),
        vocab.ParticipationRole.AFFECTED_GROUP: N_("Affected group"),
    },
    "inclusiveness": {
        vocab.Inclusiveness.OPEN: N_("Open to all"),
        vocab.Inclusiveness.INVITED: N_("By invitation"),
        vocab.Inclusiveness.CLOSED: N_("Closed"),
    },
    "decision_rule": {
        vocab.DecisionRule.CONSENSUS: N_("Consensus"),
        vocab.DecisionRule.MAJORITY: N_("Majority vote"),
        vocab.DecisionRule.ADVISORY: N_("Advisory only"),
        vocab.DecisionRule.NONE: N_("No decision rule"),
    },
    "ground_rule": {
        vocab.GroundRule.TERMS_OF_REFERENCE: N_("Terms of reference"),
        vocab.GroundRule.DECISION_RULE: N_("Decision rule"),
        vocab.GroundRule.ROLES: N_("Roles"),
        vocab.GroundRule.SCHEDULE: N_("Meeting schedule"),
        vocab.GroundRule.DISPUTE_PROCEDURE: N_("Dispute procedure"),
        vocab.GroundRule.DEADLINES: N_("Deadlines"),
    },
    "criterion": {
        vocab.Criterion.INITIATED_BY_PUBLIC_AGENCY: N_("Initiated by a public agency"),
        vocab.Criterion.INCLUDES_NON_STATE_ACTORS: N_("Includes non-state actors"),
        vocab.Criterion.PARTICIPANTS_DECIDE: N_("Participants decide, not merely consulted"),
        vocab.Criterion.FORMALLY_ORGANISED: N_("Formally organised, meets collectively"),
        vocab.Criterion.AIMS_AT_CONSENSUS: N_("Aims at consensus"),
        vocab.Criterion.PUBLIC_POLICY: N_("Public policy or management"),
    },
    "criterion_rating": {
        vocab.CriterionRating.MET: N_("Met"),
        vocab.CriterionRating.PARTIAL: N_("Partly met"),
        vocab.CriterionRating.NOT_MET: N_("Not met"),
    },
    "meeting_mode": {
        vocab.MeetingMode.IN_PERSON: N_("In person"),
        vocab.MeetingMode.ONLINE: N_("Online"),
        vocab.MeetingMode.HYBRID: N_("Hybrid"),
    },
    "meeting_status": {
        vocab.MeetingStatus.PLANNED: N_("Planned"),
        vocab.MeetingStatus.HELD: N_("Held"),
        vocab.MeetingStatus.CANCELLED: N_("Cancelled"),
    },
    "attendance_role": {
        vocab.AttendanceRole.CHAIR: N_("Chair"),
        vocab.AttendanceRole.FACILITATOR: N_("Facilitator"),
        vocab.AttendanceRole.PARTICIPANT: N_("Participant"),
        vocab.AttendanceRole.OBSERVER: N_("Observer"),
    },
    "decision_kind": {
        vocab.DecisionKind.ORDINARY: N_("Ordinary decision"),
        vocab.DecisionKind.SHARED_STATEMENT: N_("Shared mission or problem statement"),
        vocab.DecisionKind.FORMALISATION: N_("Formalises the results"),
    },
    "commitment_status": {
        vocab.CommitmentStatus.OPEN: N_("Open"),
        vocab.CommitmentStatus.IN_PROGRESS: N_("In progress"),
        vocab.CommitmentStatus.FULFILLED: N_("Fulfilled"),
        vocab.CommitmentStatus.PARTLY_FULFILLED: N_("Partly fulfilled"),
        vocab.CommitmentStatus.BROKEN: N_("Broken"),
        vocab.CommitmentStatus.WITHDRAWN: N_("Withdrawn"),
    },
    "trust_event_kind": {
        vocab.TrustEventKind.INFORMATION_SHARED: N_("Information shared"),
        vocab.TrustEventKind.PROMISE_KEPT: N_("Promise kept"),
        vocab.TrustEventKind.PROMISE_BROKEN: N_("Promise broken"),
        vocab.TrustEventKind.JOINT_ACTION: N_("Joint action"),
        vocab.TrustEventKind.RECOGNITION: N_("Recognition"),
        vocab.TrustEventKind.APOLOGY: N_("Apology"),
        vocab.TrustEventKind.PUBLIC_CRITICISM: N_("Public criticism"),
        vocab.TrustEventKind.PROTEST: N_("Protest"),
        vocab.TrustEventKind.ALTERNATIVE_VENUE: N_("Turn to another venue"),
        vocab.TrustEventKind.CONFLICT: N_("Conflict"),
        vocab.TrustEventKind.OTHER: N_("Other"),
    },
    "trust_form": {
        vocab.TrustForm.RATIONAL: N_("Rational"),
        vocab.TrustForm.PROCEDURAL: N_("Procedural"),
        vocab.TrustForm.AFFINITIVE: N_("Affinitive"),
        vocab.TrustForm.DISPOSITIONAL: N_("Dispositional"),
    },
    "valence": {
        vocab.Valence.POSITIVE: N_("Builds trust"),
        vocab.Valence.NEGATIVE: N_("Erodes trust"),
    },
    "outcome_level": {
        vocab.OutcomeLevel.SMALL_WIN: N_("Small win"),
        vocab.OutcomeLevel.STRATEGIC_PLAN: N_("Strategic plan"),
        vocab.OutcomeLevel.JOINT_FACT_FINDING: N_("Joint fact-finding"),
        vocab.OutcomeLevel.OUTCOME: N_("Final outcome"),
    },
    "evidence_kind": {
        vocab.EvidenceKind.INTERVIEW: N_("Interview"),
        vocab.EvidenceKind.MINUTES: N_("Minutes"),
        vocab.EvidenceKind.DOCUMENT: N_("Document"),
        vocab.EvidenceKind.NEWS: N_("News"),
        vocab.EvidenceKind.OBSERVATION: N_("Observation"),
        vocab.EvidenceKind.DATASET: N_("Dataset"),
    },
    "model_variable": {
        vocab.ModelVariable.POWER_RESOURCE_KNOWLEDGE_ASYMMETRY: N_(
            "Power, resource and knowledge asymmetries"
        ),
        vocab.ModelVariable.INCENTIVES_AND_CONSTRAINTS: N_(
            "Incentives for and constraints on participation"
        ),
        vocab.ModelVariable.PREHISTORY: N_("Prehistory of cooperation or conflict"),
        vocab.ModelVariable.PARTICIPATORY_INCLUSIVENESS: N_("Participatory inclusiveness"),
        vocab.ModelVariable.FORUM_EXCLUSIVENESS: N_("Forum exclusiveness"),
        vocab.ModelVariable.CLEAR_GROUND_RULES: N_("Clear ground rules"),
        vocab.ModelVariable.PROCESS_TRANSPARENCY: N_("Process transparency"),
        vocab.ModelVariable.FACILITATIVE_LEADERSHIP: N_("Facilitative leadership"),
        vocab.ModelVariable.FACE_TO_FACE_DIALOGUE: N_("Face-to-face dialogue"),
        vocab.ModelVariable.TRUST_BUILDING: N_("Trust-building"),
        vocab.ModelVariable.COMMITMENT_TO_PROCESS: N_("Commitment to process"),
        vocab.ModelVariable.SHARED_UNDERSTANDING: N_("Shared understanding"),
        vocab.ModelVariable.INTERMEDIATE_OUTCOMES: N_("Intermediate outcomes"),
        vocab.ModelVariable.OUTCOMES: N_("Outcomes"),
    },
    "user_role": {
        vocab.UserRole.ADMIN: N_("Administrator"),
        vocab.UserRole.SECRETARIAT: N_("Secretariat"),
        vocab.UserRole.RESEARCHER: N_("Researcher"),
        vocab.UserRole.VIEWER: N_("Viewer"),
    },
    #: The dimensions of a stakeholder's resource profile.
    "resource": {
        "authority": N_("Authority"),
        "staff": N_("Staff"),
        "budget": N_("Budget"),
        "data_access": N_("Access to data"),
        "knowledge": N_("Knowledge"),
    },
    #: The 0–4 scale of a resource profile.
    "resource_level": {
        "0": N_("0 – none"),
        "1": N_("1 – little"),
        "2": N_("2 – some"),
        "3": N_("3 – much"),
        "4": N_("4 – decisive"),
    },
    #: Record types, as the audit log names them.
    "record_type": {
        "collaboration": N_("Collaboration"),
        "stakeholder": N_("Stakeholder"),
        "relationship": N_("Relationship"),
        "participation": N_("Participation"),
        "forum": N_("Forum"),
        "meeting": N_("Meeting"),
        "decision": N_("Decision"),
        "commitment": N_("Commitment"),
        "trust_event": N_("Trust event"),
        "outcome": N_("Outcome"),
        "measurement": N_("Measurement"),
        "evidence": N_("Evidence"),
        "assessment": N_("Assessment"),
        "user": N_("User"),
        "api_token": N_("API token"),
    },
    #: What a write did, as the audit log names it.
    "audit_action": {
        "create": N_("created"),
        "update": N_("changed"),
        "delete": N_("deleted"),
        "restore": N_("restored"),
        "status_change": N_("changed the status of"),
    },
}

#: Which vocabulary enum each vocabulary name covers, for the completeness test.
ENUMS: Mapping[str, type[StrEnum]] = {
    "stakeholder_kind": vocab.StakeholderKind,
    "sector": vocab.Sector,
    "relationship_type": vocab.RelationshipType,
    "relationship_reverse": vocab.RelationshipType,
    "collaboration_status": vocab.CollaborationStatus,
    "participation_role": vocab.ParticipationRole,
    "inclusiveness": vocab.Inclusiveness,
    "decision_rule": vocab.DecisionRule,
    "ground_rule": vocab.GroundRule,
    "criterion": vocab.Criterion,
    "criterion_rating": vocab.CriterionRating,
    "meeting_mode": vocab.MeetingMode,
    "meeting_status": vocab.MeetingStatus,
    "attendance_role": vocab.AttendanceRole,
    "decision_kind": vocab.DecisionKind,
    "commitment_status": vocab.CommitmentStatus,
    "trust_event_kind": vocab.TrustEventKind,
    "trust_form": vocab.TrustForm,
    "valence": vocab.Valence,
    "outcome_level": vocab.OutcomeLevel,
    "evidence_kind": vocab.EvidenceKind,
    "model_variable": vocab.ModelVariable,
    "user_role": vocab.UserRole,
}

#: Field names as people read them, for "what changed" lists; unknown fields fall back
#: to the name with spaces.
FIELDS: Mapping[str, str] = {
    "name": N_("Name"),
    "aliases": N_("Other names"),
    "kind": N_("Kind"),
    "sector": N_("Sector"),
    "description": N_("Description"),
    "resources": N_("Resource profile"),
    "contact": N_("Contact details"),
    "policy_domain": N_("Policy domain"),
    "place": N_("Place"),
    "started_on": N_("Started on"),
    "ended_on": N_("Ended on"),
    "status": N_("Status"),
    "title": N_("Title"),
    "starts_at": N_("Starts at"),
    "ends_at": N_("Ends at"),
    "mode": N_("Mode"),
    "location": N_("Location"),
    "agenda": N_("Agenda"),
    "minutes": N_("Minutes"),
    "attendance": N_("Attendance"),
    "owner_id": N_("Owner"),
    "counterpart_id": N_("Counterpart"),
    "made_on": N_("Made on"),
    "due_on": N_("Due on"),
    "fulfilled_on": N_("Fulfilled on"),
    "deleted_at": N_("Deleted"),
    "target": N_("Target"),
    "baseline": N_("Baseline"),
    "value": N_("Value"),
    "note": N_("Note"),
}


def label_id(vocabulary: str, code: object) -> str:
    """The untranslated label of ``code`` in ``vocabulary``; the code itself when unknown."""
    key = str(code.value) if isinstance(code, StrEnum) else str(code)
    return VOCABULARIES[vocabulary].get(key, key.replace("_", " "))


def field_label_id(field: str) -> str:
    """The untranslated label of a record field (``due_on`` → "Due on")."""
    return FIELDS.get(field, field.replace("_", " ").capitalize())
