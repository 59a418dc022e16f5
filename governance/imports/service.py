"""Running an import: read the file, match its columns, read and write every row, and
land all of it or nothing.

Every row is written through its concept's service (so each write is validated and
audited) inside one SAVEPOINT. When any row has a problem — or on a dry run — the
savepoint is rolled back and nothing is written, yet every row has been tried, so the
report lists every problem at once, by row and column. Rows already in the database
(by the kind's natural key) are skipped, so importing the same file twice adds
nothing the second time. The caller commits.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from governance import records
from governance.audit.service import Actor
from governance.collaborations.models import Collaboration
from governance.imports import kinds_case, kinds_meetings, kinds_registry
from governance.imports.columns import ImportKind, detect, missing_required
from governance.imports.engine import Context
from governance.imports.matching import StakeholderIndex
from governance.imports.messages import N_, Message, Refused, rule, text
from governance.imports.reading import Row, read_table
from governance.imports.report import ImportReport, Problem
from governance.meetings.models import Meeting

#: Where times without an offset are read: the secretariat's local time (WIB).
DEFAULT_TIMEZONE = "Asia/Jakarta"

HANDLERS: Mapping[ImportKind, Callable[[Context, Sequence[Row]], None]] = {
    ImportKind.STAKEHOLDERS: kinds_registry.stakeholders,
    ImportKind.RELATIONSHIPS: kinds_registry.relationships,
    ImportKind.PARTICIPATIONS: kinds_registry.participations,
    ImportKind.MEETINGS: kinds_meetings.meetings,
    ImportKind.ATTENDANCE: kinds_meetings.attendance,
    ImportKind.COMMITMENTS: kinds_case.commitments,
    ImportKind.TRUST_EVENTS: kinds_case.trust_events,
    ImportKind.MEASUREMENTS: kinds_case.measurements,
}


@dataclass(frozen=True)
class ImportOptions:
    """What the person chose besides the file."""

    collaboration_id: int | None = None
    #: The meeting of a whole attendance sheet (its rows then need no meeting columns).
    meeting_id: int | None = None
    #: The file's header → the field it feeds ("" to leave the column out).
    mapping: Mapping[str, str] = field(default_factory=dict)
    #: An ambiguous stakeholder name as written → the chosen stakeholder's id.
    choices: Mapping[str, int] = field(default_factory=dict)
    timezone: str = DEFAULT_TIMEZONE


def parse_kind(written: str) -> ImportKind:
    """The kind named ``written`` (``trust_events`` works too), or ``Invalid`` on ``kind``."""
    value = written.strip().lower().replace("_", "-")
    try:
        return ImportKind(value)
    except ValueError:
        listed = ", ".join(kind.value for kind in ImportKind)
        raise Refused.one(
            "kind",
            text(
                N_("%(text)r is not a kind of import; choose from %(kinds)s"),
                text=written,
                kinds=listed,
            ),
        ) from None


def check_options(session: Session, kind: ImportKind, options: ImportOptions) -> None:
    """Refuse a missing or unknown collaboration, or a meeting of another collaboration."""
    errors: dict[str, Message] = {}
    if options.collaboration_id is None:
        if kind.needs_collaboration:
            errors["collaboration"] = text(
                N_("is required for an import of %(kind)s"), kind=kind.value
            )
    else:
        found = records.live_errors(
            session, Collaboration, options.collaboration_id, field="collaboration"
        )
        errors |= {name: rule(message) for name, message in found.items()}
    if options.meeting_id is not None:
        held_in = (
            session.scalar(
                select(Meeting.collaboration_id).where(
                    Meeting.id == options.meeting_id, Meeting.deleted_at.is_(None)
                )
            )
            if records.valid_id(options.meeting_id)
            else None
        )
        meeting = str(options.meeting_id)
        if held_in is None:
            errors["meeting"] = text(N_("meeting %(id)s does not exist"), id=meeting)
        elif held_in != options.collaboration_id:
            errors["meeting"] = text(
                N_("meeting %(id)s belongs to another collaboration"), id=meeting
            )
        elif kind is not ImportKind.ATTENDANCE:
            errors["meeting"] = text(N_("a meeting can only be chosen for an attendance import"))
    try:
        zoneinfo.ZoneInfo(options.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        errors["timezone"] = text(
            N_("%(text)r is not a time zone (e.g. Asia/Jakarta)"), text=options.timezone
        )
    if errors:
        raise Refused(errors)


def run_import(
    session: Session,
    *,
    kind: ImportKind,
    content: bytes,
    filename: str,
    options: ImportOptions,
    actor: Actor,
    dry_run: bool = False,
) -> ImportReport:
    """Import ``content`` as ``kind``; the report says what was (or would be) written.

    Raises ``Invalid`` for a wrong choice (``collaboration``, ``meeting``) or a file
    that cannot be read at all (``file``); every other problem is in the report.
    """
    check_options(session, kind, options)
    table = read_table(content, filename)
    mapping, mapping_errors = detect(kind, table.headers, options.mapping)
    report = ImportReport(
        kind=kind.value,
        collaboration_id=options.collaboration_id if kind.needs_collaboration else None,
        dry_run=dry_run,
        source=table.description,
        source_text=table.about,
        mapping=mapping.as_dict(),
    )
    for header, message in mapping_errors.items():
        report.problems.append(Problem(None, header, message))
    for column in missing_required(kind, mapping):
        missing = text(
            N_(
                "the file has no %(field)s column (%(description)s); add it, or "
                "say which column holds it in the column mapping"
            ),
            field=column.field,
            description=text(column.description),
        )
        report.problems.append(Problem(None, column.field, missing))
    if not table.rows:
        no_data = text(N_("the file has a header row but no data"))
        report.problems.append(Problem(None, None, no_data))
    if report.problems:
        return report
    context = Context(
        session=session,
        actor=actor,
        kind=kind,
        collaboration_id=options.collaboration_id,
        meeting_id=options.meeting_id,
        timezone=zoneinfo.ZoneInfo(options.timezone),
        index=StakeholderIndex.load(session, choices=dict(options.choices)),
        mapping=mapping,
        report=report,
    )
    savepoint = session.begin_nested()
    try:
        HANDLERS[kind](context, table.rows)
    except BaseException:
        savepoint.rollback()
        raise
    report.rows.sort(key=lambda row: row.row)
    report.problems.sort(key=lambda problem: (problem.row or 0, problem.column or ""))
    if report.problems or dry_run:
        savepoint.rollback()
    else:
        savepoint.commit()
        report.written = True
    return report
