"""``collabgov import`` and ``collabgov export``: spreadsheets in, files out.

- ``collabgov import KIND FILE --collaboration ID [--dry-run] [--map column=field ...]
  [--choose name=ID ...] [--meeting ID]`` reads a CSV or .xlsx file; each row's fate goes
  to stdout, each problem (by row and column) to stderr, and then nothing is written
  and the exit code is 1.
- ``collabgov import --json PATH`` loads a whole-database dump into an empty database.
- ``collabgov export --collaboration ID --format csv|xlsx|json|research
  [--pseudonymise] -o PATH`` writes one collaboration's export (``-`` for stdout).
- ``collabgov export --json PATH`` dumps the whole database.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from api.commands import CLI_ACTOR, CommandError, Commands, require_migrated, sessions
from governance.config import KNOWN_UNSAFE_SECRETS, MIN_SECRET_LENGTH, get_settings
from governance.diagnosis.thresholds import Thresholds
from governance.exports import pseudonyms
from governance.exports.service import ExportFormat, export_collaboration
from governance.imports.columns import ImportKind
from governance.imports.report import ImportReport
from governance.imports.service import ImportOptions, parse_kind, run_import

#: A deployment's own pseudonym key, when stable pseudonyms must not hang on the secret key.
PSEUDONYM_KEY_ENV = "COLLABGOV_PSEUDONYM_KEY"


def register(commands: Commands) -> None:
    kinds = ", ".join(kind.value for kind in ImportKind)
    importing = commands.add_parser(
        "import",
        help="import a CSV or .xlsx file of records, or a whole-database JSON dump",
        description=f"Import a spreadsheet of one kind of record ({kinds}), all rows or none; "
        "or, with --json, a whole-database dump into an empty database.",
    )
    importing.add_argument("kind", nargs="?", help=f"what the file holds: {kinds}")
    importing.add_argument("file", nargs="?", type=Path, help="the .csv or .xlsx file")
    importing.add_argument("--collaboration", type=int, metavar="ID", help="the collaboration")
    importing.add_argument(
        "--dry-run", action="store_true", help="check and report, but write nothing"
    )
    importing.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="COLUMN=FIELD",
        help="say which field a column holds (COLUMN= leaves the column out); repeatable",
    )
    importing.add_argument(
        "--choose",
        action="append",
        default=[],
        metavar="NAME=ID",
        help="the stakeholder meant by an ambiguous name; repeatable",
    )
    importing.add_argument(
        "--meeting", type=int, metavar="ID", help="attendance: the meeting of the whole sheet"
    )
    importing.add_argument(
        "--timezone", default="Asia/Jakarta", help="time zone of times without an offset"
    )
    importing.add_argument(
        "--json", type=Path, metavar="PATH", help="load a whole-database dump (empty database)"
    )
    importing.set_defaults(handler=import_command)

    exporting = commands.add_parser(
        "export",
        help="export a collaboration (csv, xlsx, json, research), or dump the whole database",
    )
    exporting.add_argument("--collaboration", type=int, metavar="ID", help="the collaboration")
    exporting.add_argument(
        "--format", choices=[f.value for f in ExportFormat], help="what to write"
    )
    exporting.add_argument(
        "--pseudonymise",
        action="store_true",
        help="replace stakeholder names with pseudonyms (stable when "
        f"{PSEUDONYM_KEY_ENV} is set, else new for this export)",
    )
    exporting.add_argument(
        "--contact-details",
        action="store_true",
        help="include stakeholders' contact details (csv, xlsx, json; never research)",
    )
    exporting.add_argument("-o", "--output", help="the file to write, or - for stdout")
    exporting.add_argument(
        "--json", type=Path, metavar="PATH", help="dump the whole database as JSON to PATH"
    )
    exporting.set_defaults(handler=export_command)


def _pairs(values: list[str], option: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for value in values:
        key, sep, chosen = value.partition("=")
        if not sep or not key.strip():
            raise CommandError(f"{option} {value!r}: write it as NAME=VALUE")
        pairs[key.strip()] = chosen.strip()
    return pairs


def _choices(values: list[str]) -> dict[str, int]:
    chosen: dict[str, int] = {}
    for name, value in _pairs(values, "--choose").items():
        if not value.isdigit():
            raise CommandError(f"--choose {name}={value}: the stakeholder id must be a number")
        chosen[name] = int(value)
    return chosen


def import_command(args: argparse.Namespace) -> int:
    if args.json is not None:
        if args.kind or args.file:
            raise CommandError("give either --json PATH or KIND FILE, not both")
        return _load_dump(args.json)
    if not args.kind or args.file is None:
        raise CommandError("give KIND and FILE (or --json PATH to load a whole-database dump)")
    kind = parse_kind(args.kind)
    try:
        content = args.file.read_bytes()
    except OSError as error:
        raise CommandError(f"cannot read {args.file}: {error.strerror}") from None
    options = ImportOptions(
        collaboration_id=args.collaboration,
        meeting_id=args.meeting,
        mapping=_pairs(args.map, "--map"),
        choices=_choices(args.choose),
        timezone=args.timezone,
    )
    factory = sessions()
    require_migrated(factory)
    with factory.transaction() as session:
        report = run_import(
            session,
            kind=kind,
            content=content,
            filename=args.file.name,
            options=options,
            actor=CLI_ACTOR,
            dry_run=args.dry_run,
        )
    print_report(report)
    return 0 if report.ok else 1


def print_report(report: ImportReport) -> None:
    """Each row's fate on stdout; every problem on stderr; a summary last."""
    print(f"reading: {report.source}")
    for header, field in report.mapping.items():
        print(f"column {header!r} → {field or '(not used)'}")
    for row in report.rows:
        print(
            f"row {row.row}: {row.action.value} {row.record_type.replace('_', ' ')} — {row.summary}"
        )
    for problem in report.problems:
        print(f"collabgov: {problem.line()}", file=sys.stderr)
        for candidate in problem.candidates:
            print(
                f"    candidate: {candidate.name} (id {candidate.id}); "
                f"choose with --choose {problem.value!r}={candidate.id}",
                file=sys.stderr,
            )
    stream = sys.stderr if report.problems else sys.stdout
    print(report.summary(), file=stream)


def _load_dump(path: Path) -> int:
    from governance.backup.dump import load_database  # written beside this; loaded on use

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CommandError(f"cannot read {path}: {error.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CommandError(f"{path} is not a JSON file: {error}") from None
    if not isinstance(data, dict):
        raise CommandError(f"{path} does not hold a collabgov dump (not a JSON object)")
    factory = sessions()
    require_migrated(factory)
    with factory.transaction() as session:
        counts = load_database(session, data)
    total = sum(counts.values())
    listed = ", ".join(f"{name} {count}" for name, count in counts.items() if count)
    print(f"loaded {total} rows from {path}" + (f" ({listed})" if listed else ""))
    return 0


def export_command(args: argparse.Namespace) -> int:
    if args.json is not None:
        if args.collaboration is not None or args.format or args.output:
            raise CommandError("give either --json PATH or --collaboration/--format/-o, not both")
        return _dump(args.json)
    missing = [
        option
        for option, value in (
            ("--collaboration", args.collaboration),
            ("--format", args.format),
            ("-o", args.output),
        )
        if value is None
    ]
    if missing:
        raise CommandError(f"{', '.join(missing)} required (or --json PATH for the whole database)")
    export_format = ExportFormat(args.format)
    if args.contact_details and (args.pseudonymise or export_format is ExportFormat.RESEARCH):
        raise CommandError("--contact-details cannot go with --pseudonymise or the research format")
    factory = sessions()
    require_migrated(factory)
    with factory.transaction(write=False) as session:
        exported = export_collaboration(
            session,
            args.collaboration,
            export_format,
            include_contact=args.contact_details,
            pseudonymise=args.pseudonymise,
            key=_pseudonym_key() if args.pseudonymise else None,
            thresholds=_thresholds(),
        )
    _write(args.output, exported.content)
    if args.output != "-":
        print(f"wrote {exported.filename} ({len(exported.content)} bytes) to {args.output}")
    return 0


def _pseudonym_key() -> bytes | None:
    """The configured key (stable pseudonyms), or None for a key new to this export."""
    configured = os.environ.get(PSEUDONYM_KEY_ENV, "")
    if not configured:
        return None
    if configured in KNOWN_UNSAFE_SECRETS or len(configured) < MIN_SECRET_LENGTH:
        raise CommandError(
            f"{PSEUDONYM_KEY_ENV} is unsafe: it must be at least {MIN_SECRET_LENGTH} characters"
        )
    return pseudonyms.derived_key(configured)


def _thresholds() -> Thresholds:
    return Thresholds.with_overrides(get_settings().diagnosis_thresholds)


def _write(output: str, content: bytes) -> None:
    if output == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
        return
    try:
        Path(output).write_bytes(content)
    except OSError as error:
        raise CommandError(f"cannot write {output}: {error.strerror}") from None


def _dump(path: Path) -> int:
    from governance.backup.backup import dump_snapshot

    factory = sessions()
    require_migrated(factory)
    # One snapshot for every table, so a database in use is dumped as of one moment.
    data = dump_snapshot(factory.engine)
    try:
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    except OSError as error:
        raise CommandError(f"cannot write {path}: {error.strerror}") from None
    print(f"wrote the whole database to {path}")
    return 0
