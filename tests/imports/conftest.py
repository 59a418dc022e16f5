"""Fixtures of the import tests: the demo case and a helper that imports text or bytes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from governance.audit.service import Actor
from governance.demo.loader import LoadResult, load_demo
from governance.imports.columns import ImportKind
from governance.imports.report import ImportReport
from governance.imports.service import ImportOptions, run_import

ACTOR = Actor("test import")

Importer = Callable[..., ImportReport]


@pytest.fixture
def demo(session: Session) -> LoadResult:
    result = load_demo(session)
    session.flush()
    return result


@pytest.fixture
def run(session: Session, demo: LoadResult) -> Importer:
    """``run("attendance", text_or_bytes, filename="x.csv", dry_run=False, **options)``."""

    def importing(
        kind: str,
        content: str | bytes,
        *,
        filename: str = "file.csv",
        dry_run: bool = False,
        **options: Any,
    ) -> ImportReport:
        data = content.encode("utf-8") if isinstance(content, str) else content
        options.setdefault("collaboration_id", demo.collaboration_id)
        return run_import(
            session,
            kind=ImportKind(kind),
            content=data,
            filename=filename,
            options=ImportOptions(**options),
            actor=ACTOR,
            dry_run=dry_run,
        )

    return importing


def lines(report: ImportReport) -> list[str]:
    return [problem.line() for problem in report.problems]
