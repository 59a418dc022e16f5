"""The meeting log: meetings with their attendance and decisions."""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from governance import read_rows, records
from governance.audit import service as audit
from governance.audit.service import Actor
from governance.errors import Invalid, NotFound
from governance.forums.models import Forum
from governance.meetings.models import Attendance, Decision, Meeting
from governance.meetings.schemas import (
    AttendanceRead,
    AttendanceReplace,
    AttendanceRow,
    DecisionCreate,
    DecisionPatch,
    DecisionRead,
    MeetingCreate,
    MeetingPatch,
    MeetingQuery,
    MeetingRead,
)
from governance.records import Page
from governance.revision import RevisionCache
from governance.schemas import ensure_order
from governance.stakeholders.models import Stakeholder

_ATTENDANCE_FIELDS = ("stakeholder_id", "invited", "attended", "role", "represented_by")
#: The fields of a meeting's read shape that are its own columns.
_MEETING_FIELDS = read_rows.fields(
    MeetingRead, besides={"attendance", "attended_count", "decisions"}
)
_SEAT_FIELDS = read_rows.fields(AttendanceRead)
_DECISION_FIELDS = read_rows.fields(DecisionRead)
#: The seats of the meetings ``meeting_ids``, each with its meeting's id first.
_SEATS = (
    select(Attendance.meeting_id, *read_rows.columns(Attendance, _SEAT_FIELDS))
    .where(Attendance.meeting_id.in_(bindparam("meeting_ids", expanding=True)))
    # By meeting first: the index on meeting_id gives this order without a sort, and
    # each meeting's seats still come in the order they were recorded.
    .order_by(Attendance.meeting_id, Attendance.id)
)
#: The live decisions of the meetings ``meeting_ids``.
_DECISIONS = (
    select(*read_rows.columns(Decision, _DECISION_FIELDS))
    .where(
        Decision.meeting_id.in_(bindparam("meeting_ids", expanding=True)),
        Decision.deleted_at.is_(None),
    )
    .order_by(Decision.meeting_id, Decision.id)  # as the seats, without a sort
)
_ATTENDED = operator.itemgetter("attended")
#: The order meetings are listed in: as they start; the id makes it total.
_ORDER = (Meeting.starts_at, Meeting.id)
#: How many meetings each list's filters find, per data revision. Counting a case's
#: 20,000 meetings walks 20,000 index entries at every page; the revision's look-ups
#: cost a fifth of that, and the count is the same until something is written.
_COUNTS: RevisionCache[tuple[Any, ...], int] = RevisionCache(size=64)


def get(session: Session, meeting_id: int, *, include_deleted: bool = False) -> Meeting:
    """The meeting with this id."""
    return records.get(session, Meeting, meeting_id, include_deleted=include_deleted)


def search(session: Session, *, query: MeetingQuery) -> Page[Meeting]:
    """Meetings matching the query's filters, in the order they start.

    The page's ids are found first, from the index alone: a case's meetings are listed
    from the index on (collaboration, deleted, start, id), which holds all a filter by
    case needs. Skipping 10,000 meetings then walks 10,000 index entries, and only the
    page's own rows are read from the table, in the same statement.
    """
    filters = tuple(query.model_dump(exclude={"limit", "offset"}).items())
    count, page, _ = _statements(filters)
    total = _COUNTS.get_or_compute(session, filters, lambda: session.scalar(count) or 0)
    items = session.scalars(page, {"limit": query.limit, "offset": query.offset})
    return Page(items=list(items), total=total, limit=query.limit, offset=query.offset)


def search_rows(session: Session, *, query: MeetingQuery) -> Page[dict[str, Any]]:
    """:func:`search`'s page as plain rows of the read shape (see :func:`rows`), the
    meetings read as columns: loading 50 meetings as entities cost more than the query."""
    filters = tuple(query.model_dump(exclude={"limit", "offset"}).items())
    count, _, page = _statements(filters)
    total = _COUNTS.get_or_compute(session, filters, lambda: session.scalar(count) or 0)
    found = read_rows.fetch(session, page, limit=query.limit, offset=query.offset)
    items = _with_children(session, read_rows.rows_of(_MEETING_FIELDS, found))
    return Page(items=items, total=total, limit=query.limit, offset=query.offset)


@functools.lru_cache(maxsize=128)
def _statements(
    filters: tuple[tuple[str, Any], ...],
) -> tuple[Select[Any], Select[Any], Select[Any]]:
    """The count, the page of meetings and the page as columns of the read shape
    (``limit`` and ``offset`` bound when run) of a list's filters.

    Built once for each set of filters: building a two-level statement and its cache
    key afresh took longer than SQLite takes to answer it.
    """
    statement = _filtered(MeetingQuery.model_construct(**dict(filters)))
    count = select(func.count()).select_from(statement.subquery())
    page_ids = (
        statement.with_only_columns(Meeting.id)
        .order_by(*_ORDER)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    page = select(Meeting).where(Meeting.id.in_(page_ids)).order_by(*_ORDER)
    columns = read_rows.columns(Meeting, _MEETING_FIELDS)
    page_rows = select(*columns).where(Meeting.id.in_(page_ids)).order_by(*_ORDER)
    return count, page, page_rows


def _filtered(query: MeetingQuery) -> Select[Any]:
    """The meetings matching the query's filters."""
    statement = records.base_query(Meeting, include_deleted=query.include_deleted)
    if query.collaboration_id is not None:
        statement = statement.where(Meeting.collaboration_id == query.collaboration_id)
    if query.forum_id is not None:
        statement = statement.where(Meeting.forum_id == query.forum_id)
    if query.status is not None:
        statement = statement.where(Meeting.status == query.status)
    if query.mode is not None:
        statement = statement.where(Meeting.mode == query.mode)
    if query.starts_from is not None:
        statement = statement.where(Meeting.starts_at >= _utc_midnight(query.starts_from))
    if query.starts_to is not None:
        next_day = query.starts_to + dt.timedelta(days=1)
        statement = statement.where(Meeting.starts_at < _utc_midnight(next_day))
    if query.stakeholder_id is not None:
        attended = select(Attendance.meeting_id).where(
            Attendance.stakeholder_id == query.stakeholder_id, Attendance.attended.is_(True)
        )
        statement = statement.where(Meeting.id.in_(attended))
    if query.q:
        statement = statement.where(records.text_filter([Meeting.title], query.q))
    return statement


def create(session: Session, *, data: MeetingCreate, actor: Actor) -> Meeting:
    """Log a meeting with its attendance and decisions."""
    errors = _forum_errors(session, data.forum_id)
    errors |= ensure_order(
        data.starts_at, data.ends_at, end_field="ends_at", start_field="starts_at"
    )
    errors |= _attendance_errors(session, data.attendance)
    if errors:
        raise Invalid(errors)
    collaboration_id = session.scalars(
        select(Forum.collaboration_id).where(Forum.id == data.forum_id)
    ).one()
    fields = data.model_dump(exclude={"attendance", "decisions"})
    meeting = Meeting(
        **fields,
        collaboration_id=collaboration_id,
        attendance=[Attendance(**row.model_dump()) for row in data.attendance],
    )
    records.add(session, meeting, actor=actor)
    for decision in data.decisions:
        add_decision(session, meeting=meeting, data=decision, actor=actor)
    return meeting


def update(session: Session, *, record: Meeting, data: MeetingPatch, actor: Actor) -> Meeting:
    """Change a meeting's fields and, if sent, its whole attendance list."""
    records.check_version(record, data.version)
    changes = data.changes()
    replacing = changes.pop("attendance", None) is not None
    state = records.merged(record, changes)
    errors: dict[str, str] = {}
    if "forum_id" in changes:
        errors |= _forum_errors(
            session, state["forum_id"], collaboration_id=record.collaboration_id
        )
    errors |= ensure_order(
        state["starts_at"], state["ends_at"], end_field="ends_at", start_field="starts_at"
    )
    if replacing:
        errors |= _attendance_errors(session, data.attendance)
    if errors:
        raise Invalid(errors)
    extra = _replace_attendance(session, record, data.attendance) if replacing else {}
    return records.apply_changes(
        session, record, changes, version=data.version, actor=actor, extra_changes=extra
    )


def replace_attendance(
    session: Session, *, meeting: Meeting, data: AttendanceReplace, actor: Actor
) -> Meeting:
    """Replace a meeting's whole attendance list, refusing a stale version."""
    records.check_version(meeting, data.version)
    errors = _attendance_errors(session, data.attendance)
    if errors:
        raise Invalid(errors)
    extra = _replace_attendance(session, meeting, data.attendance)
    return records.apply_changes(
        session, meeting, {}, version=data.version, actor=actor, extra_changes=extra
    )


def get_decision(
    session: Session, *, meeting: Meeting, decision_id: int, include_deleted: bool = False
) -> Decision:
    """A decision of this meeting, or ``NotFound``."""
    decision = records.get(session, Decision, decision_id, include_deleted=include_deleted)
    if decision.meeting_id != meeting.id:
        raise NotFound(Decision.record_type, decision_id)
    return decision


def add_decision(
    session: Session, *, meeting: Meeting, data: DecisionCreate, actor: Actor
) -> Decision:
    """Record a decision taken at a meeting."""
    return records.add(session, Decision(meeting_id=meeting.id, **data.model_dump()), actor=actor)


def update_decision(
    session: Session, *, decision: Decision, data: DecisionPatch, actor: Actor
) -> Decision:
    """Change a decision's fields, refusing a stale version of the decision."""
    return records.apply_changes(
        session, decision, data.changes(), version=data.version, actor=actor
    )


def present(session: Session, meetings: Sequence[Meeting]) -> list[MeetingRead]:
    """Meetings in their read shape; one query for all attendance, one for all decisions."""
    return [MeetingRead.model_validate(row) for row in rows(session, meetings)]


def rows(session: Session, meetings: Sequence[Meeting]) -> list[dict[str, Any]]:
    """:func:`present` as plain rows, ready for JSON (see :mod:`governance.read_rows`).

    Attendance and decisions are read as plain column rows, not ORM objects: a page of
    50 meetings holds hundreds of seats, and loading them as entities took most of the
    list's time.
    """
    return _with_children(
        session, [read_rows.record_row(meeting, _MEETING_FIELDS) for meeting in meetings]
    )


def _with_children(session: Session, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Meetings' own rows completed with their attendance and decisions."""
    ids = [row["id"] for row in found]
    seats = _attendance_rows(session, ids)
    decisions = _decision_rows(session, ids)
    for row in found:
        attendance = seats.get(row["id"], [])
        row["attendance"] = attendance
        row["attended_count"] = sum(map(_ATTENDED, attendance))
        row["decisions"] = decisions.get(row["id"], [])
    return found


def _attendance_rows(
    session: Session, meeting_ids: Sequence[int]
) -> dict[int, list[dict[str, Any]]]:
    """The seats of each meeting, in the order they were recorded."""
    by_meeting: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if not meeting_ids:
        return by_meeting
    found = read_rows.fetch(session, _SEATS, meeting_ids=meeting_ids)
    for meeting_id, stakeholder_id, invited, attended, role, represented_by in found:
        by_meeting[meeting_id].append(
            {  # in AttendanceRead's field order
                "stakeholder_id": stakeholder_id,
                "invited": invited,
                "attended": attended,
                "role": role,
                "represented_by": represented_by,
            }
        )
    return by_meeting


def _decision_rows(session: Session, meeting_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """The live decisions of each meeting, in the order they were taken."""
    by_meeting: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if not meeting_ids:
        return by_meeting
    found = read_rows.fetch(session, _DECISIONS, meeting_ids=meeting_ids)
    for decision in read_rows.rows_of(_DECISION_FIELDS, found):
        by_meeting[decision["meeting_id"]].append(decision)
    return by_meeting


def _utc_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def _forum_errors(
    session: Session, forum_id: int, *, collaboration_id: int | None = None
) -> dict[str, str]:
    """Why ``forum_id`` cannot hold the meeting: missing, deleted, or another case's forum."""
    errors = records.live_errors(session, Forum, forum_id, field="forum_id")
    if errors:
        return errors
    if collaboration_id is not None:
        # Trust events and commitments of the meeting belong to its collaboration.
        forum_collaboration = session.scalars(
            select(Forum.collaboration_id).where(Forum.id == forum_id)
        ).one()
        if forum_collaboration != collaboration_id:
            return {
                "forum_id": f"forum {forum_id} belongs to another collaboration; "
                "a meeting can only move to a forum of its own collaboration"
            }
    return {}


def _attendance_errors(session: Session, rows: Sequence[AttendanceRow]) -> dict[str, str]:
    """One message per attendance row naming a missing, deleted or repeated stakeholder."""
    wanted = {row.stakeholder_id for row in rows}
    statement = select(Stakeholder.id, Stakeholder.deleted_at).where(Stakeholder.id.in_(wanted))
    found = {row.id: row.deleted_at for row in session.execute(statement)} if wanted else {}
    errors: dict[str, str] = {}
    seen: set[int] = set()
    for index, row in enumerate(rows):
        field = f"attendance[{index}].stakeholder_id"
        stakeholder_id = row.stakeholder_id
        if stakeholder_id not in found:
            errors[field] = f"stakeholder {stakeholder_id} does not exist"
        elif found[stakeholder_id] is not None:
            errors[field] = f"stakeholder {stakeholder_id} is deleted"
        elif stakeholder_id in seen:
            errors[field] = f"stakeholder {stakeholder_id} is listed more than once"
        seen.add(stakeholder_id)
    return errors


def _replace_attendance(
    session: Session, meeting: Meeting, rows: Sequence[AttendanceRow]
) -> dict[str, list[Any]]:
    """Make the stored attendance equal ``rows``; what changed, for the audit log.

    Rows of stakeholders still listed are updated in place rather than deleted and
    re-inserted, so the flush never meets the (meeting, stakeholder) unique constraint.
    """
    session.refresh(meeting, attribute_names=["attendance"])
    before = _attendance_log(meeting.attendance)
    stored = {row.stakeholder_id: row for row in meeting.attendance}
    kept: list[Attendance] = []
    for row in rows:
        values = row.model_dump()
        existing = stored.get(row.stakeholder_id)
        if existing is None:
            kept.append(Attendance(**values))
            continue
        for key, value in values.items():
            if getattr(existing, key) != value:
                setattr(existing, key, value)
        kept.append(existing)
    meeting.attendance = kept
    after = _attendance_log(kept)
    if before == after:
        return {}
    return {"attendance": [before, after]}


def _attendance_log(rows: Sequence[Attendance]) -> list[dict[str, Any]]:
    """Attendance as JSON-ready rows in stakeholder order, so reordering is not a change."""
    logged = [{key: audit.to_json(getattr(row, key)) for key in _ATTENDANCE_FIELDS} for row in rows]
    return sorted(logged, key=lambda row: row["stakeholder_id"])
