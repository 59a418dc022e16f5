"""The codebook of a research package: every column of every file, every code.

Written from the same declarations the tables are filled from
(:data:`governance.exports.tables.COLUMNS`) and from the enums of
:mod:`governance.vocab`, so it cannot fall behind them.
"""

from __future__ import annotations

import csv
import enum
import inspect
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from governance import vocab
from governance.exports.tables import Col, Table


@dataclass(frozen=True)
class Entry:
    """One column of one file of the package."""

    file: str
    column: str
    type: str
    description: str
    vocabulary: str = ""


def vocabulary_name(enum_cls: type[enum.Enum]) -> str:
    """``TrustEventKind`` → ``trust_event_kind``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", enum_cls.__name__).lower()


def vocabularies() -> dict[str, type[enum.StrEnum]]:
    """Every vocabulary of :mod:`governance.vocab`, by name."""
    found = {
        vocabulary_name(value): value
        for _, value in inspect.getmembers(vocab, inspect.isclass)
        if issubclass(value, enum.StrEnum)
        and value is not enum.StrEnum
        and value.__module__ == vocab.__name__
    }
    return dict(sorted(found.items()))


def meaning(vocabulary: str, code: enum.StrEnum) -> str:
    """A code in words, with what the software makes of it where that matters."""
    words = code.value.replace("_", " ")
    if isinstance(code, vocab.RelationshipType):
        labels = vocab.RELATIONSHIP_LABELS[code]
        kind = "symmetric" if labels.symmetric else f"read back as '{labels.reverse}'"
        return f"{labels.forward} ({kind})"
    if isinstance(code, vocab.Sector) and code.is_state:
        return f"{words} (the state side: a state actor)"
    if isinstance(code, vocab.OutcomeLevel):
        return f"{words} ({'intermediate outcome' if code.is_intermediate else 'final outcome'})"
    return words


def table_entries(tables: Mapping[str, Table], folder: str = "tables") -> list[Entry]:
    return [
        _entry(f"{folder}/{name}.csv", column)
        for name, table in tables.items()
        for column in table.columns
    ]


def _entry(file: str, column: Col) -> Entry:
    return Entry(file, column.name, column.type, column.description, column.vocabulary)


def codebook_csv(entries: Iterable[Entry]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["file", "column", "type", "description", "vocabulary"])
    for entry in entries:
        writer.writerow([entry.file, entry.column, entry.type, entry.description, entry.vocabulary])
    return buffer.getvalue()


def vocabularies_csv() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["vocabulary", "code", "meaning"])
    for name, enum_cls in vocabularies().items():
        for code in enum_cls:
            writer.writerow([name, code.value, meaning(name, code)])
    return buffer.getvalue()


def codebook_markdown(
    entries: Iterable[Entry],
    *,
    title: str,
    notes: Iterable[str],
    descriptions: Mapping[str, str],
) -> str:
    """The codebook for people: the package's notes, each file's columns, each code."""
    lines = [f"# Codebook — {title}", ""]
    lines += [f"- {note}" for note in notes]
    lines.append("")
    by_file: dict[str, list[Entry]] = {}
    for entry in entries:
        by_file.setdefault(entry.file, []).append(entry)
    for file, columns in by_file.items():
        lines += [f"## `{file}`", ""]
        if file in descriptions:
            lines += [descriptions[file], ""]
        lines += ["| column | type | description | codes |", "|---|---|---|---|"]
        for entry in columns:
            codes = f"[{entry.vocabulary}](#{entry.vocabulary})" if entry.vocabulary else ""
            text = entry.description.replace("|", "\\|")
            lines.append(f"| `{entry.column}` | {entry.type} | {text} | {codes} |")
        lines.append("")
    lines += ["## Vocabularies", ""]
    for name, enum_cls in vocabularies().items():
        lines += [f"### {name}", "", "| code | meaning |", "|---|---|"]
        lines += [f"| `{code.value}` | {meaning(name, code)} |" for code in enum_cls]
        lines.append("")
    return "\n".join(lines)
