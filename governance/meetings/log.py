"""The meeting log: a whole meeting saved at once, as a secretary records it afterwards.

One call saves the meeting, its attendance and decisions, the newcomers who came for
the first time (each registered as a stakeholder and added to the collaboration), the
commitments made and the trust events seen there. Every part goes through its own
concept's service, so each rule and the audit log apply exactly as they do alone.

It is all or nothing: the writes happen inside a SAVEPOINT; when any part is refused,
the remaining parts are still checked (so every problem is reported at once, each
under its field, e.g. ``commitments[2].due_on``) and the savepoint is rolled back, so
nothing at all is written. Planned meetings are scheduled with the same call and
completed later with :func:`complete`.

The meeting's own day, on which commitments are made and trust events occur, is the
date of ``starts_at`` in the time zone it was given in (the secretariat's local day).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Annotated, Literal, TypeVar

from pydantic import AwareDatetime, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from governance import records
from governance.audit.service import Actor
from governance.base import utcnow
from governance.collaborations.models import Collaboration
from governance.commitments import service as commitment_service
from governance.commitments.models import Commitment
from governance.commitments.schemas import CommitmentCreate
from governance.errors import Invalid
from governance.forums.models import Forum
from governance.meetings import service as meeting_service
from governance.meetings.models import Decision, Meeting
from governance.meetings.schemas import (
    AttendanceList,
    AttendanceRow,
    DecisionCreate,
    MeetingCreate,
    MeetingPatch,
    RepresentedBy,
)
from governance.participations import service as participation_service
from governance.participations.schemas import ParticipationCreate
from governance.schemas import Id, Input, Label, Name, RequiredText, Text, Title
from governance.stakeholders import service as stakeholder_service
from governance.stakeholders.models import Stakeholder
from governance.stakeholders.schemas import StakeholderCreate
from governance.trust import service as trust_service
from governance.trust.models import TrustEvent
from governance.trust.schemas import Severity, TrustEventCreate
from governance.vocab import (
    AttendanceRole,
    MeetingMode,
    MeetingStatus,
    ParticipationRole,
    Sector,
    StakeholderKind,
    TrustEventKind,
    TrustForm,
    Valence,
)

MAX_NEWCOMERS = 100
MAX_ROWS = 200

# The rules of the log itself, in English (the pages translate them).
REQUIRED = "is required"
NOT_BOTH = "give either a stakeholder or a newcomer, not both"
NO_SUCH_NEWCOMER = "newcomer {index} is not in the list of newcomers"
NO_ATTENDEE = "a held meeting needs at least one attendee"
IN_THE_FUTURE = "a held meeting cannot start in the future"
NOT_YET = "a planned meeting has none yet: record this once the meeting is held"
OTHER_FORUM = "forum {forum_id} belongs to another collaboration"
NOT_PLANNED = "meeting {meeting_id} is {status}: only a planned meeting can be completed"

#: A newcomer row, by its position in ``newcomers``.
NewcomerIndex = Annotated[int, Field(ge=0, lt=MAX_NEWCOMERS)]


class Newcomer(Input):
    """Someone at the meeting who is not yet in the registry nor in the collaboration."""

    name: Name
    kind: StakeholderKind
    sector: Sector
    invited: bool = True
    attended: bool = True
    role: AttendanceRole = AttendanceRole.PARTICIPANT
    represented_by: RepresentedBy = ""
    participation_role: ParticipationRole = ParticipationRole.PARTICIPANT


class LoggedCommitment(Input):
    """A promise made at the meeting; owner and counterpart are stakeholders or newcomers."""

    owner_id: Id | None = None
    owner_newcomer: NewcomerIndex | None = None
    counterpart_id: Id | None = None
    counterpart_newcomer: NewcomerIndex | None = None
    description: RequiredText
    due_on: dt.date | None = None


class LoggedTrustEvent(Input):
    """Something seen at the meeting that built or eroded trust; no target means the forum."""

    actor_id: Id | None = None
    actor_newcomer: NewcomerIndex | None = None
    target_id: Id | None = None
    target_newcomer: NewcomerIndex | None = None
    kind: TrustEventKind
    trust_form: TrustForm
    valence: Valence
    severity: Severity = 1
    description: Text = ""


class MeetingLog(Input):
    """Everything recorded about one meeting, saved together."""

    forum_id: Id
    title: Title
    #: In the secretariat's time zone: its date is the meeting's day.
    starts_at: AwareDatetime
    ends_at: AwareDatetime | None = None
    mode: MeetingMode = MeetingMode.IN_PERSON
    location: Label = ""
    agenda: Text = ""
    minutes: Text = Field("", description="Markdown, stored as written")
    minutes_circulated_on: dt.date | None = None
    status: Literal[MeetingStatus.HELD, MeetingStatus.PLANNED] = MeetingStatus.HELD
    attendance: AttendanceList = Field(default_factory=list)
    newcomers: Annotated[list[Newcomer], Field(max_length=MAX_NEWCOMERS)] = Field(
        default_factory=list
    )
    decisions: Annotated[list[DecisionCreate], Field(max_length=MAX_ROWS)] = Field(
        default_factory=list
    )
    commitments: Annotated[list[LoggedCommitment], Field(max_length=MAX_ROWS)] = Field(
        default_factory=list
    )
    trust_events: Annotated[list[LoggedTrustEvent], Field(max_length=MAX_ROWS)] = Field(
        default_factory=list
    )

    @property
    def day(self) -> dt.date:
        """The meeting's day where it was held."""
        return self.starts_at.date()


@dataclass
class Logged:
    """What one log wrote."""

    meeting: Meeting
    #: How many stakeholders attended, newcomers included.
    attended: int
    newcomers: list[Stakeholder] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    trust_events: list[TrustEvent] = field(default_factory=list)


def log(session: Session, *, collaboration_id: int, data: MeetingLog, actor: Actor) -> Logged:
    """Save a held (or planned) meeting with everything recorded at it, all or nothing."""
    return _all_or_nothing(
        session, lambda errors: _write(session, collaboration_id, data, actor, errors)
    )


def complete(
    session: Session, *, meeting: Meeting, data: MeetingLog, version: int, actor: Actor
) -> Logged:
    """Log a planned meeting as held (whatever ``data.status`` says), refusing a stale
    version; all or nothing."""
    records.check_version(meeting, version)
    if meeting.status is not MeetingStatus.PLANNED:
        raise Invalid.field(
            "status", NOT_PLANNED.format(meeting_id=meeting.id, status=meeting.status.value)
        )
    data = data.model_copy(update={"status": MeetingStatus.HELD})
    return _all_or_nothing(
        session,
        lambda errors: _write(
            session, meeting.collaboration_id, data, actor, errors, planned=(meeting, version)
        ),
    )


def check(
    session: Session,
    *,
    collaboration_id: int,
    data: MeetingLog,
    actor: Actor,
    completing: tuple[Meeting, int] | None = None,
) -> dict[str, str]:
    """Every problem that logging ``data`` (or completing a planned meeting with it, at a
    version) would meet, found by trying it in a savepoint that is always rolled back."""
    errors: dict[str, str] = {}
    savepoint = session.begin_nested()
    try:
        _write(session, collaboration_id, data, actor, errors, planned=completing)
    finally:
        savepoint.rollback()
    return errors


def _all_or_nothing(session: Session, write: Callable[[dict[str, str]], Logged | None]) -> Logged:
    """Run ``write`` in a savepoint; roll all of it back when it reported any error."""
    errors: dict[str, str] = {}
    savepoint = session.begin_nested()
    try:
        logged = write(errors)
    except BaseException:
        savepoint.rollback()
        raise
    if errors:
        savepoint.rollback()
        raise Invalid(errors)
    savepoint.commit()
    assert logged is not None, "a meeting that could not be saved reports why"
    return logged


T = TypeVar("T")


def _attempt(errors: dict[str, str], prefix: str, call: Callable[[], T]) -> T | None:
    """Call a service; gather its refusal under ``prefix`` and go on checking the rest."""
    try:
        return call()
    except Invalid as error:
        for name, message in error.errors.items():
            errors.setdefault(f"{prefix}{name}", message)
        return None


def _write(
    session: Session,
    collaboration_id: int,
    data: MeetingLog,
    actor: Actor,
    errors: dict[str, str],
    *,
    planned: tuple[Meeting, int] | None = None,
) -> Logged | None:
    errors |= _precheck(session, collaboration_id, data)
    newcomer_ids = [
        _add_newcomer(session, collaboration_id, data.day, index, newcomer, actor, errors)
        for index, newcomer in enumerate(data.newcomers)
    ]
    attendance = list(data.attendance) + [
        AttendanceRow(
            stakeholder_id=stakeholder_id,
            invited=newcomer.invited,
            attended=newcomer.attended,
            role=newcomer.role,
            represented_by=newcomer.represented_by,
        )
        for newcomer, stakeholder_id in zip(data.newcomers, newcomer_ids, strict=True)
        if stakeholder_id is not None
    ]
    meeting: Meeting | None = None
    decisions: list[Decision] = []
    if "forum_id" not in errors:
        if planned is None:
            meeting = _attempt(errors, "", lambda: _create(session, data, attendance, actor))
        else:
            meeting = _attempt(
                errors, "", lambda: _update(session, planned, data, attendance, actor)
            )
    if meeting is not None:
        session.refresh(meeting, attribute_names=["attendance"])
        if planned is not None:
            for decision in data.decisions:
                meeting_service.add_decision(session, meeting=meeting, data=decision, actor=actor)
        decisions = list(
            session.scalars(
                select(Decision).where(Decision.meeting_id == meeting.id).order_by(Decision.id)
            )
        )
    meeting_id = meeting.id if meeting is not None else None
    commitments = _commitments(
        session, collaboration_id, meeting_id, data, newcomer_ids, actor, errors
    )
    trust_events = _trust_events(
        session, collaboration_id, meeting_id, data, newcomer_ids, actor, errors
    )
    if meeting is None:
        return None
    newcomers = [session.get_one(Stakeholder, i) for i in newcomer_ids if i is not None]
    attended = sum(row.attended for row in meeting.attendance)
    return Logged(meeting, attended, newcomers, decisions, commitments, trust_events)


def _precheck(session: Session, collaboration_id: int, data: MeetingLog) -> dict[str, str]:
    """The log's own rules, checked before anything is written."""
    errors = records.live_errors(session, Collaboration, collaboration_id, field="collaboration_id")
    forum_errors = records.live_errors(session, Forum, data.forum_id, field="forum_id")
    if not forum_errors:
        held_in = session.scalar(select(Forum.collaboration_id).where(Forum.id == data.forum_id))
        if held_in != collaboration_id:
            forum_errors = {"forum_id": OTHER_FORUM.format(forum_id=data.forum_id)}
    errors |= forum_errors
    if data.status is MeetingStatus.HELD:
        attended = sum(row.attended for row in data.attendance) + sum(
            newcomer.attended for newcomer in data.newcomers
        )
        if not attended:
            errors["attendance"] = NO_ATTENDEE
        if data.starts_at > utcnow():
            errors["starts_at"] = IN_THE_FUTURE
    else:
        for section, rows, first in (
            ("decisions", data.decisions, "text"),
            ("commitments", data.commitments, "description"),
            ("trust_events", data.trust_events, "kind"),
        ):
            for index in range(len(rows)):
                errors[f"{section}[{index}].{first}"] = NOT_YET
    for index, commitment in enumerate(data.commitments):
        prefix = f"commitments[{index}]."
        errors |= _reference_errors(data, prefix, "owner", commitment, required=True)
        errors |= _reference_errors(data, prefix, "counterpart", commitment, required=False)
    for index, event in enumerate(data.trust_events):
        prefix = f"trust_events[{index}]."
        errors |= _reference_errors(data, prefix, "actor", event, required=True)
        errors |= _reference_errors(data, prefix, "target", event, required=False)
    return errors


def _reference_errors(
    data: MeetingLog,
    prefix: str,
    role: str,
    row: LoggedCommitment | LoggedTrustEvent,
    *,
    required: bool,
) -> dict[str, str]:
    """Whether ``<role>_id`` / ``<role>_newcomer`` name exactly one stakeholder (if required)."""
    stakeholder_id = getattr(row, f"{role}_id")
    newcomer = getattr(row, f"{role}_newcomer")
    name = f"{prefix}{role}_id"
    if stakeholder_id is not None and newcomer is not None:
        return {name: NOT_BOTH}
    if newcomer is not None and newcomer >= len(data.newcomers):
        return {name: NO_SUCH_NEWCOMER.format(index=newcomer)}
    if required and stakeholder_id is None and newcomer is None:
        return {name: REQUIRED}
    return {}


def _add_newcomer(
    session: Session,
    collaboration_id: int,
    day: dt.date,
    index: int,
    newcomer: Newcomer,
    actor: Actor,
    errors: dict[str, str],
) -> int | None:
    """Register the newcomer and add it to the collaboration, as of the meeting's day."""
    stakeholder = stakeholder_service.create(
        session,
        data=StakeholderCreate(name=newcomer.name, kind=newcomer.kind, sector=newcomer.sector),
        actor=actor,
    )
    joined = _attempt(
        errors,
        f"newcomers[{index}].",
        lambda: participation_service.create(
            session,
            data=ParticipationCreate(
                collaboration_id=collaboration_id,
                stakeholder_id=stakeholder.id,
                role=newcomer.participation_role,
                joined_on=day,
            ),
            actor=actor,
        ),
    )
    return stakeholder.id if joined is not None else None


def _meeting_fields(data: MeetingLog) -> dict[str, object]:
    return {
        "forum_id": data.forum_id,
        "title": data.title,
        "starts_at": data.starts_at,
        "ends_at": data.ends_at,
        "mode": data.mode,
        "location": data.location,
        "agenda": data.agenda,
        "minutes": data.minutes,
        "minutes_circulated_on": data.minutes_circulated_on,
    }


def _create(
    session: Session, data: MeetingLog, attendance: list[AttendanceRow], actor: Actor
) -> Meeting:
    create = MeetingCreate.model_validate(
        _meeting_fields(data)
        | {"status": data.status, "attendance": attendance, "decisions": data.decisions}
    )
    return meeting_service.create(session, data=create, actor=actor)


def _update(
    session: Session,
    planned: tuple[Meeting, int],
    data: MeetingLog,
    attendance: list[AttendanceRow],
    actor: Actor,
) -> Meeting:
    meeting, version = planned
    patch = MeetingPatch.model_validate(
        _meeting_fields(data)
        | {"status": MeetingStatus.HELD, "attendance": attendance, "version": version}
    )
    return meeting_service.update(session, record=meeting, data=patch, actor=actor)


def _resolve(row: object, role: str, newcomer_ids: Sequence[int | None]) -> tuple[bool, int | None]:
    """The stakeholder id a reference names, and whether it could be resolved."""
    stakeholder_id: int | None = getattr(row, f"{role}_id")
    newcomer: int | None = getattr(row, f"{role}_newcomer")
    if newcomer is None:
        return True, stakeholder_id
    if newcomer >= len(newcomer_ids) or newcomer_ids[newcomer] is None:
        return False, None
    return True, newcomer_ids[newcomer]


def _commitments(
    session: Session,
    collaboration_id: int,
    meeting_id: int | None,
    data: MeetingLog,
    newcomer_ids: Sequence[int | None],
    actor: Actor,
    errors: dict[str, str],
) -> list[Commitment]:
    made: list[Commitment] = []
    for index, row in enumerate(data.commitments):
        owner_known, owner_id = _resolve(row, "owner", newcomer_ids)
        counterpart_known, counterpart_id = _resolve(row, "counterpart", newcomer_ids)
        if not (owner_known and counterpart_known) or owner_id is None:
            continue  # already reported by the precheck or the newcomer's own row
        commitment = CommitmentCreate(
            collaboration_id=collaboration_id,
            meeting_id=meeting_id,
            owner_id=owner_id,
            counterpart_id=counterpart_id,
            description=row.description,
            made_on=data.day,
            due_on=row.due_on,
        )
        saved = _attempt(
            errors,
            f"commitments[{index}].",
            partial(commitment_service.create, session, data=commitment, actor=actor),
        )
        if saved is not None:
            made.append(saved)
    return made


def _trust_events(
    session: Session,
    collaboration_id: int,
    meeting_id: int | None,
    data: MeetingLog,
    newcomer_ids: Sequence[int | None],
    actor: Actor,
    errors: dict[str, str],
) -> list[TrustEvent]:
    seen: list[TrustEvent] = []
    for index, row in enumerate(data.trust_events):
        actor_known, actor_id = _resolve(row, "actor", newcomer_ids)
        target_known, target_id = _resolve(row, "target", newcomer_ids)
        if not (actor_known and target_known) or actor_id is None:
            continue
        event = TrustEventCreate(
            collaboration_id=collaboration_id,
            meeting_id=meeting_id,
            occurred_on=data.day,
            actor_id=actor_id,
            target_id=target_id,
            kind=row.kind,
            trust_form=row.trust_form,
            valence=row.valence,
            severity=row.severity,
            description=row.description,
        )
        saved = _attempt(
            errors,
            f"trust_events[{index}].",
            partial(trust_service.create, session, data=event, actor=actor),
        )
        if saved is not None:
            seen.append(saved)
    return seen
