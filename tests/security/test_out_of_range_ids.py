"""Ids too large for the database are refused like ids of records that do not exist.

Every id column is a 32-bit integer. A larger number typed into a form field, a command
argument or an import option names no record; sent to the database it would fail
(SQLite cannot even bind it), which answered 500 or printed a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.cli import main
from governance import records
from governance.audit.service import SYSTEM
from governance.config import get_settings
from governance.errors import Invalid, NotFound
from governance.imports.columns import ImportKind
from governance.imports.service import ImportOptions, run_import
from governance.models import Collaboration, Forum, Stakeholder
from tests.factories import make_collaboration, make_evidence, make_forum, make_stakeholder
from tests.pages.html import field_error

TOO_LARGE = 99_999_999_999_999_999_999


class TestRecords:
    def test_get_answers_not_found(self, session: Session) -> None:
        with pytest.raises(NotFound):
            records.get(session, Collaboration, TOO_LARGE)

    def test_a_reference_is_refused_by_field(self, session: Session) -> None:
        with pytest.raises(Invalid) as refused:
            records.require_live(session, Stakeholder, TOO_LARGE, field="owner_id")
        assert refused.value.errors == {"owner_id": f"stakeholder {TOO_LARGE} does not exist"}

    def test_a_list_of_references_names_the_missing_one(self, session: Session) -> None:
        spri = make_stakeholder(session)
        with pytest.raises(Invalid) as refused:
            records.require_all_live(session, Stakeholder, [spri.id, TOO_LARGE], field="ids")
        assert refused.value.errors == {
            "ids": f"stakeholder {TOO_LARGE} does not exist or is deleted"
        }


class TestPages:
    def test_a_forum_form_with_a_huge_convener_shows_the_error_beside_it(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_collaboration(session)
        session.commit()

        response = client.post(
            f"/collaborations/{case.id}/forums/new",
            data={"name": "Forum Bansos", "convener_id": str(TOO_LARGE)},
            follow_redirects=False,
        )

        assert response.status_code == 400
        assert field_error(response.text, "convener_id")
        assert session.query(Forum).count() == 0

    def test_an_assessment_form_ticking_a_huge_evidence_id_is_refused(
        self, client: TestClient, session: Session
    ) -> None:
        case = make_collaboration(session)
        make_evidence(session, collaboration_id=case.id)
        session.commit()

        response = client.post(
            f"/collaborations/{case.id}/assessments/new",
            data={
                "variable": "trust_building",
                "period_start": "2021-01-01",
                "period_end": "2021-06-30",
                "score": "3",
                "rationale": "Promises were kept.",
                "evidence_ids": [str(TOO_LARGE)],
            },
            follow_redirects=False,
        )

        assert response.status_code == 400
        assert field_error(response.text, "evidence_ids")


class TestImport:
    def test_a_huge_meeting_is_named_as_missing(self, session: Session) -> None:
        case = make_collaboration(session)
        make_forum(session, case)
        make_stakeholder(session)

        with pytest.raises(Invalid) as refused:
            run_import(
                session,
                kind=ImportKind.ATTENDANCE,
                content=b"stakeholder\nSPRI DKI Jakarta\n",
                filename="absensi.csv",
                options=ImportOptions(collaboration_id=case.id, meeting_id=TOO_LARGE),
                actor=SYSTEM,
                dry_run=True,
            )
        assert refused.value.errors == {"meeting": f"meeting {TOO_LARGE} does not exist"}


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A throw-away SQLite file with the demo case, for the commands."""
    monkeypatch.setenv("COLLABGOV_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    get_settings.cache_clear()
    assert main(["db", "upgrade"]) == 0
    assert main(["demo", "load"]) == 0
    yield tmp_path
    get_settings.cache_clear()


class TestCommands:
    @pytest.mark.parametrize(
        ("arguments", "message"),
        [
            (
                ["import", "participations", "{sheet}", "--collaboration", str(TOO_LARGE)],
                f"collaboration: collaboration {TOO_LARGE} does not exist",
            ),
            (
                [
                    "import",
                    "attendance",
                    "{sheet}",
                    "--collaboration",
                    "1",
                    "--meeting",
                    str(TOO_LARGE),
                ],
                f"meeting: meeting {TOO_LARGE} does not exist",
            ),
            (
                ["export", "--collaboration", str(TOO_LARGE), "--format", "csv", "-o", "{out}"],
                f"Collaboration {TOO_LARGE} not found",
            ),
        ],
    )
    def test_a_huge_id_is_an_error_not_a_traceback(
        self,
        database: Path,
        arguments: list[str],
        message: str,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        sheet = database / "peserta.csv"
        sheet.write_text("stakeholder\nSPRI DKI Jakarta\n", encoding="utf-8")
        filled = [a.format(sheet=sheet, out=database / "out.zip") for a in arguments]
        capsys.readouterr()

        assert main(filled) == 1

        error = capsys.readouterr().err
        assert message in error
        assert "Traceback" not in error
