"""A collaboration's records as flat tables, each column described once.

Every table is declared as a list of :class:`Col` (name, type, description,
vocabulary), so the codebook is written from the same declarations the tables are
filled from and cannot miss a column. Stakeholders are named beside their ids
(``owner_id`` and ``owner``), so a table reads on its own and the import reads it
back: the column names are the import's field names.

The stakeholders of a collaboration are those who take part in it or appear in its
records (attendance, commitments, trust events, forums); its relationships are the
ties among them. Deleted records are left out.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from governance import records
from governance.assessments.models import Assessment
from governance.collaborations.models import Collaboration
from governance.commitments.models import Commitment, CommitmentStatusChange
from governance.forums.models import Forum
from governance.meetings.models import Attendance, Decision, Meeting
from governance.outcomes.models import Measurement, Outcome
from governance.participations.models import Participation
from governance.relationships.models import Relationship
from governance.stakeholders.models import Stakeholder
from governance.trust.models import TrustEvent
from governance.vocab import GroundRule

#: Local dates of meetings are Jakarta dates, as the secretariat and the imports read them.
LOCAL_TIMEZONE = zoneinfo.ZoneInfo("Asia/Jakarta")

Names = Callable[[int | None], str]


@dataclass(frozen=True)
class Col:
    name: str
    type: str
    description: str
    vocabulary: str = ""
    #: Personal data: left out unless contact details are asked for (never for research).
    contact: bool = False
    #: Identifies a stakeholder beyond its name: left out of pseudonymised exports.
    identifying: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Col, ...]
    rows: list[dict[str, Any]]

    @property
    def header(self) -> list[str]:
        return [column.name for column in self.columns]


def _id(label: str) -> Col:
    return Col(
        label,
        "integer",
        f"Id of the {label.removesuffix('_id').replace('_', ' ')} "
        "in this database (not stable across databases)",
    )


def _who(name: str, role: str) -> Col:
    return Col(
        name,
        "text",
        f"Name of the stakeholder who {role} (a pseudonym S-xxxxxx in pseudonymised exports)",
    )


ID = Col("id", "integer", "Id of the record in this database")
RESOURCE = "Resource profile: {} from 0 (none) to 4 (decisive); empty when unknown"

COLUMNS: Mapping[str, tuple[str, tuple[Col, ...]]] = {
    "collaboration": (
        "The collaboration (the case)",
        (
            ID,
            Col("name", "text", "Name of the collaboration"),
            Col("description", "text", "What it is about"),
            Col("policy_domain", "text", "Policy domain (e.g. social assistance)"),
            Col("place", "text", "Where it takes place"),
            Col("started_on", "date", "When it started (ISO date)"),
            Col("ended_on", "date", "When it ended (ISO date); empty while it goes on"),
            Col("status", "code", "Life-cycle status as recorded", "collaboration_status"),
        ),
    ),
    "stakeholders": (
        "Stakeholders taking part or appearing in the records",
        (
            ID,
            _who("name", "is described by this row"),
            Col("aliases", "text", "Other names, separated by '; '", identifying=True),
            Col("kind", "code", "Kind of stakeholder", "stakeholder_kind"),
            Col("sector", "code", "Sector; government = state actor", "sector"),
            Col("is_state", "boolean", "true for government (state actors)"),
            Col("description", "text", "What the stakeholder is or does", identifying=True),
            *(
                Col(key, "integer 0-4", RESOURCE.format(key.replace("_", " ")))
                for key in ("authority", "staff", "budget", "data_access", "knowledge")
            ),
            Col("email", "text", "E-mail (personal data)", contact=True),
            Col("phone", "text", "Telephone (personal data)", contact=True),
            Col("address", "text", "Postal address (personal data)", contact=True),
        ),
    ),
    "relationships": (
        "Declared ties between the stakeholders",
        (
            ID,
            _id("source_id"),
            _who("source", "the tie starts from"),
            _id("target_id"),
            _who("target", "the tie goes to"),
            Col("type", "code", "Type of tie, read from source to target", "relationship_type"),
            Col("started_on", "date", "When the tie began"),
            Col("ended_on", "date", "When the tie ended"),
            Col("strength", "integer 1-3", "1 weak, 2 ordinary, 3 strong"),
            Col("note", "text", "Note"),
        ),
    ),
    "participations": (
        "Who takes part in the collaboration, in which role",
        (
            ID,
            _id("stakeholder_id"),
            _who("stakeholder", "takes part"),
            Col("role", "code", "Role in the collaboration", "participation_role"),
            Col("joined_on", "date", "When it joined"),
            Col("left_on", "date", "When it left"),
            Col("incentives", "text", "What draws it in"),
            Col("constraints", "text", "What holds it back"),
        ),
    ),
    "forums": (
        "The collaboration's forums and their institutional design",
        (
            ID,
            Col("name", "text", "Name of the forum"),
            Col("purpose", "text", "Purpose"),
            _id("convener_id"),
            _who("convener", "convenes it"),
            _id("facilitator_id"),
            _who("facilitator", "facilitates it"),
            Col("established_on", "date", "When it was established"),
            Col("closed_on", "date", "When it closed"),
            Col("inclusiveness", "code", "Who may take part", "inclusiveness"),
            Col("decision_rule", "code", "How it decides", "decision_rule"),
            Col("public", "boolean", "true when its minutes are published"),
            *(
                Col(
                    f"ground_rule_{rule}",
                    "boolean",
                    f"Ground-rules checklist: has {rule.replace('_', ' ')}",
                    "ground_rule",
                )
                for rule in GroundRule
            ),
        ),
    ),
    "forum_criteria": (
        "The six defining criteria (Ansell & Gash 2008) rated per forum",
        (
            _id("forum_id"),
            Col("forum", "text", "Name of the forum"),
            Col("criterion", "code", "The criterion", "criterion"),
            Col("rating", "code", "Whether the forum meets it", "criterion_rating"),
            Col("note", "text", "Why"),
        ),
    ),
    "meetings": (
        "Meetings of the forums",
        (
            ID,
            _id("forum_id"),
            Col("forum", "text", "Name of the forum"),
            Col("title", "text", "Title of the meeting"),
            Col("starts_at", "datetime", "Start, ISO 8601 in UTC"),
            Col("ends_at", "datetime", "End, ISO 8601 in UTC"),
            Col("local_date", "date", "Day of the meeting in Jakarta time"),
            Col("mode", "code", "In person, online or hybrid", "meeting_mode"),
            Col("location", "text", "Where"),
            Col("status", "code", "Planned, held or cancelled", "meeting_status"),
            Col("agenda", "text", "Agenda"),
            Col("minutes", "text", "Minutes (Markdown; free text is never pseudonymised)"),
            Col("minutes_circulated_on", "date", "When the minutes were circulated"),
        ),
    ),
    "attendance": (
        "Who was invited to and attended each meeting",
        (
            _id("meeting_id"),
            Col("meeting", "text", "Title of the meeting"),
            Col("meeting_date", "date", "Day of the meeting in Jakarta time"),
            Col("forum", "text", "Name of the meeting's forum"),
            _id("stakeholder_id"),
            _who("stakeholder", "was invited or attended"),
            Col("invited", "boolean", "true when invited"),
            Col("attended", "boolean", "true when present"),
            Col("role", "code", "Role at the meeting", "attendance_role"),
            Col(
                "represented_by",
                "text",
                "The person who came on the stakeholder's behalf",
                identifying=True,
            ),
        ),
    ),
    "decisions": (
        "Decisions taken at meetings",
        (
            ID,
            _id("meeting_id"),
            Col("text", "text", "The decision"),
            Col("rationale", "text", "Why"),
            Col("by_consensus", "boolean", "true when taken by consensus"),
            Col(
                "kind", "code", "Ordinary, a shared statement, or a formalisation", "decision_kind"
            ),
        ),
    ),
    "commitments": (
        "Promises made in the collaboration, with their current status",
        (
            ID,
            _id("meeting_id"),
            _id("decision_id"),
            _id("owner_id"),
            _who("owner", "promised"),
            _id("counterpart_id"),
            _who("counterpart", "was promised"),
            Col("description", "text", "What was promised"),
            Col("made_on", "date", "When it was promised"),
            Col("due_on", "date", "When it is due"),
            Col("status", "code", "Current status", "commitment_status"),
            Col("status_on", "date", "When the current status was reached"),
            Col("status_note", "text", "Note on the latest status change"),
            Col("fulfilled_on", "date", "When it was fulfilled"),
        ),
    ),
    "commitment_history": (
        "Every status change of every commitment",
        (
            _id("commitment_id"),
            Col(
                "from_status",
                "code",
                "Status before (empty for the opening step)",
                "commitment_status",
            ),
            Col("to_status", "code", "Status after", "commitment_status"),
            Col("changed_on", "date", "When"),
            Col("note", "text", "Note"),
        ),
    ),
    "trust_events": (
        "Events that built or eroded trust",
        (
            ID,
            _id("meeting_id"),
            Col("occurred_on", "date", "When it happened"),
            _id("actor_id"),
            _who("actor", "acted"),
            _id("target_id"),
            _who("target", "was acted towards (empty: the whole forum)"),
            Col("kind", "code", "What happened", "trust_event_kind"),
            Col("trust_form", "code", "Form of trust (Stern & Coleman 2015)", "trust_form"),
            Col("valence", "code", "Built (positive) or eroded (negative) trust", "valence"),
            Col("severity", "integer 1-3", "1 minor, 2 notable, 3 major"),
            Col("description", "text", "What happened, in words"),
        ),
    ),
    "outcomes": (
        "What the collaboration aims at",
        (
            ID,
            _id("parent_id"),
            Col("title", "text", "Title"),
            Col("description", "text", "Description"),
            Col("level", "code", "Intermediate outcome type, or final outcome", "outcome_level"),
            Col("weight", "number", "Share of the parent's progress, relative to its siblings"),
            Col("unit", "text", "Unit of the measurements"),
            Col("baseline", "number", "Value at the start"),
            Col("target", "number", "Value aimed at"),
            Col("started_on", "date", "When work on it started"),
            Col("due_on", "date", "When it is due"),
        ),
    ),
    "measurements": (
        "Measured values of the outcomes",
        (
            ID,
            _id("outcome_id"),
            Col("outcome", "text", "Title of the outcome"),
            Col("measured_on", "date", "When it was measured"),
            Col("value", "number", "The measured value, in the outcome's unit"),
            Col("note", "text", "Note"),
        ),
    ),
    "assessments": (
        "Researchers' 0-4 scores of the model's variables",
        (
            ID,
            Col("variable", "code", "The model variable scored", "model_variable"),
            Col("period_start", "date", "First day of the period scored"),
            Col("period_end", "date", "Last day of the period scored"),
            Col(
                "score",
                "integer 0-4",
                "0 absent or contrary, 1 weak, 2 partial or mixed, "
                "3 substantial, 4 strong and triangulated",
            ),
            Col("rationale", "text", "Why this score"),
            Col("coder", "text", "Who coded it"),
        ),
    ),
}


def _live(rows: Iterable[Any]) -> list[Any]:
    return [row for row in rows if row.deleted_at is None]


def collaboration_tables(
    session: Session,
    collaboration_id: int,
    *,
    include_contact: bool = False,
    pseudonyms: Mapping[int, str] | Callable[[Iterable[int]], Mapping[int, str]] | None = None,
) -> dict[str, Table]:
    """Every table of the collaboration; ``pseudonyms`` (a function of the stakeholder
    ids) replaces names and drops what identifies a stakeholder beyond its name."""
    collaboration = records.get(session, Collaboration, collaboration_id)
    cid = collaboration.id
    participations = _live(
        session.scalars(
            select(Participation)
            .where(Participation.collaboration_id == cid)
            .order_by(Participation.id)
        )
    )
    forums = _live(
        session.scalars(select(Forum).where(Forum.collaboration_id == cid).order_by(Forum.id))
    )
    meetings = _live(
        session.scalars(
            select(Meeting)
            .where(Meeting.collaboration_id == cid)
            .order_by(Meeting.starts_at, Meeting.id)
        )
    )
    meeting_ids = [m.id for m in meetings]
    attendance = list(
        session.scalars(
            select(Attendance)
            .where(Attendance.meeting_id.in_(meeting_ids))
            .order_by(Attendance.meeting_id, Attendance.id)
        )
    )
    decisions = _live(
        session.scalars(
            select(Decision).where(Decision.meeting_id.in_(meeting_ids)).order_by(Decision.id)
        )
    )
    commitments = _live(
        session.scalars(
            select(Commitment)
            .where(Commitment.collaboration_id == cid)
            .order_by(Commitment.made_on, Commitment.id)
        )
    )
    history = list(
        session.scalars(
            select(CommitmentStatusChange)
            .where(CommitmentStatusChange.commitment_id.in_([c.id for c in commitments]))
            .order_by(
                CommitmentStatusChange.commitment_id,
                CommitmentStatusChange.changed_on,
                CommitmentStatusChange.id,
            )
        )
    )
    events = _live(
        session.scalars(
            select(TrustEvent)
            .where(TrustEvent.collaboration_id == cid)
            .order_by(TrustEvent.occurred_on, TrustEvent.id)
        )
    )
    outcomes = _live(
        session.scalars(select(Outcome).where(Outcome.collaboration_id == cid).order_by(Outcome.id))
    )
    measurements = _live(
        session.scalars(
            select(Measurement)
            .where(Measurement.outcome_id.in_([o.id for o in outcomes]))
            .order_by(Measurement.outcome_id, Measurement.measured_on, Measurement.id)
        )
    )
    assessments = _live(
        session.scalars(
            select(Assessment)
            .where(Assessment.collaboration_id == cid)
            .order_by(Assessment.variable, Assessment.period_start, Assessment.id)
        )
    )
    involved = {p.stakeholder_id for p in participations}
    involved |= {a.stakeholder_id for a in attendance}
    involved |= {c.owner_id for c in commitments} | {
        c.counterpart_id for c in commitments if c.counterpart_id
    }
    involved |= {e.actor_id for e in events} | {e.target_id for e in events if e.target_id}
    involved |= {f.convener_id for f in forums if f.convener_id}
    involved |= {f.facilitator_id for f in forums if f.facilitator_id}
    # By name for people; by id when pseudonymised, as the order of names would tell them.
    order = (Stakeholder.id,) if pseudonyms is not None else (Stakeholder.name, Stakeholder.id)
    stakeholders = _live(
        session.scalars(select(Stakeholder).where(Stakeholder.id.in_(involved)).order_by(*order))
    )
    live_ids = {s.id for s in stakeholders}
    relationships = [
        r
        for r in _live(
            session.scalars(
                select(Relationship)
                .where(Relationship.source_id.in_(live_ids))
                .order_by(Relationship.id)
            )
        )
        if r.target_id in live_ids
    ]
    if callable(pseudonyms):
        pseudonyms = pseudonyms(sorted(live_ids))
    labels = dict(pseudonyms) if pseudonyms is not None else {s.id: s.name for s in stakeholders}

    def who(stakeholder_id: int | None) -> str:
        return "" if stakeholder_id is None else labels.get(stakeholder_id, "")

    forum_names = {f.id: f.name for f in forums}
    meeting_by_id = {m.id: m for m in meetings}
    outcome_titles = {o.id: o.title for o in outcomes}
    last_step: dict[int, CommitmentStatusChange] = {}
    for step in history:
        last_step[step.commitment_id] = step

    rows: dict[str, list[dict[str, Any]]] = {
        "collaboration": [_fields(collaboration, COLUMNS["collaboration"][1])],
        "stakeholders": [
            {
                "id": s.id,
                "name": who(s.id),
                "aliases": "; ".join(s.aliases or []),
                "kind": s.kind,
                "sector": s.sector,
                "is_state": s.is_state,
                "description": s.description,
                **{
                    k: (s.resources or {}).get(k)
                    for k in ("authority", "staff", "budget", "data_access", "knowledge")
                },
                **{k: (s.contact or {}).get(k, "") for k in ("email", "phone", "address")},
            }
            for s in stakeholders
        ],
        "relationships": [
            _fields(r, COLUMNS["relationships"][1])
            | {"source": who(r.source_id), "target": who(r.target_id)}
            for r in relationships
        ],
        "participations": [
            _fields(p, COLUMNS["participations"][1]) | {"stakeholder": who(p.stakeholder_id)}
            for p in participations
        ],
        "forums": [
            _fields(f, COLUMNS["forums"][1])
            | {"convener": who(f.convener_id), "facilitator": who(f.facilitator_id)}
            | {
                f"ground_rule_{rule}": bool((f.ground_rules or {}).get(rule.value))
                for rule in GroundRule
            }
            for f in forums
        ],
        "forum_criteria": [
            {
                "forum_id": f.id,
                "forum": f.name,
                "criterion": c.criterion,
                "rating": c.rating,
                "note": c.note,
            }
            for f in forums
            for c in f.criteria
        ],
        "meetings": [
            _fields(m, COLUMNS["meetings"][1])
            | {"forum": forum_names.get(m.forum_id, ""), "local_date": _local_date(m.starts_at)}
            for m in meetings
        ],
        "attendance": [
            {
                "meeting_id": a.meeting_id,
                "meeting": meeting_by_id[a.meeting_id].title,
                "meeting_date": _local_date(meeting_by_id[a.meeting_id].starts_at),
                "forum": forum_names.get(meeting_by_id[a.meeting_id].forum_id, ""),
                "stakeholder_id": a.stakeholder_id,
                "stakeholder": who(a.stakeholder_id),
                "invited": a.invited,
                "attended": a.attended,
                "role": a.role,
                "represented_by": a.represented_by,
            }
            for a in attendance
        ],
        "decisions": [_fields(d, COLUMNS["decisions"][1]) for d in decisions],
        "commitments": [
            _fields(c, COLUMNS["commitments"][1])
            | {
                "owner": who(c.owner_id),
                "counterpart": who(c.counterpart_id),
                "status_on": last_step[c.id].changed_on if c.id in last_step else c.made_on,
                "status_note": last_step[c.id].note if c.id in last_step else "",
            }
            for c in commitments
        ],
        "commitment_history": [_fields(h, COLUMNS["commitment_history"][1]) for h in history],
        "trust_events": [
            _fields(e, COLUMNS["trust_events"][1])
            | {"actor": who(e.actor_id), "target": who(e.target_id)}
            for e in events
        ],
        "outcomes": [_fields(o, COLUMNS["outcomes"][1]) for o in outcomes],
        "measurements": [
            _fields(m, COLUMNS["measurements"][1])
            | {"outcome": outcome_titles.get(m.outcome_id, "")}
            for m in measurements
        ],
        "assessments": [_fields(a, COLUMNS["assessments"][1]) for a in assessments],
    }
    tables = {}
    for name, (description, columns) in COLUMNS.items():
        kept = tuple(
            column
            for column in columns
            if (include_contact or not column.contact)
            and not (pseudonyms is not None and column.identifying)
        )
        shown = [{column.name: row.get(column.name) for column in kept} for row in rows[name]]
        tables[name] = Table(name, description, kept, shown)
    return tables


def _fields(record: Any, columns: Iterable[Col]) -> dict[str, Any]:
    return {column.name: getattr(record, column.name, None) for column in columns}


def _local_date(instant: dt.datetime) -> dt.date:
    return instant.astimezone(LOCAL_TIMEZONE).date()
