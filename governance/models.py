"""Every table, imported in one place so the metadata (and Alembic) sees them all."""

from governance.assessments.models import Assessment
from governance.audit.models import AuditEntry
from governance.base import Base, Record
from governance.collaborations.models import Collaboration
from governance.commitments.models import Commitment, CommitmentStatusChange
from governance.evidence.models import Evidence, evidence_links
from governance.forums.models import Forum, ForumCriterion
from governance.meetings.models import Attendance, Decision, Meeting
from governance.outcomes.models import Measurement, Outcome, outcome_commitments, outcome_meetings
from governance.participations.models import Participation
from governance.relationships.models import Relationship
from governance.stakeholders.models import Stakeholder
from governance.trust.models import TrustEvent
from governance.users.models import ApiToken, LoginFailure, User, UserSession

__all__ = [
    "ApiToken",
    "Assessment",
    "Attendance",
    "AuditEntry",
    "Base",
    "Collaboration",
    "Commitment",
    "CommitmentStatusChange",
    "Decision",
    "Evidence",
    "Forum",
    "ForumCriterion",
    "LoginFailure",
    "Measurement",
    "Meeting",
    "Outcome",
    "Participation",
    "Record",
    "Relationship",
    "Stakeholder",
    "TrustEvent",
    "User",
    "UserSession",
    "evidence_links",
    "outcome_commitments",
    "outcome_meetings",
]
