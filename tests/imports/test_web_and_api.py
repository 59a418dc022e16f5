"""Importing from the web pages (upload → preview → confirm) and through the JSON API."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from governance.demo.loader import LoadResult
from governance.models import AuditEntry, Participation, Stakeholder
from tests.conftest import SignedInClient

SHEET = "Nama;Sektor\nYayasan Kalibaru Sehat;LSM\nKoperasi Nelayan Marunda;swasta\n"


def hidden_fields(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def upload(
    client: TestClient, collaboration_id: int | None, kind: str, name: str, content: bytes
) -> str:
    response = client.post(
        f"/collaborations/{collaboration_id}/import/preview",
        data={"kind": kind},
        files={"file": (name, content, "text/csv")},
    )
    return response.text


class TestPages:
    def test_upload_preview_confirm_imports_in_one_go(
        self, client: SignedInClient, session: Session, demo: LoadResult
    ) -> None:
        cid = demo.collaboration_id
        before = count(session, Stakeholder)

        page = client.get(f"/collaborations/{cid}/import")
        assert page.status_code == 200
        assert f'href="/collaborations/{cid}/import"' in page.text  # in the navigation
        assert "/import-templates/attendance.xlsx" in page.text

        preview = client.post(
            f"/collaborations/{cid}/import/preview",
            data={"kind": "stakeholders"},
            files={"file": ("daftar.csv", SHEET.encode("utf-8-sig"), "text/csv")},
        )
        assert preview.status_code == 200
        assert "No problems found." in preview.text
        assert "Yayasan Kalibaru Sehat" in preview.text
        assert count(session, Stakeholder) == before  # a preview writes nothing

        fields = hidden_fields(preview.text)
        fields |= {"map.0": "name", "map.1": "sector"}
        done = client.post(
            f"/collaborations/{cid}/import/confirm", data=fields, follow_redirects=False
        )
        assert done.status_code == 303
        assert count(session, Stakeholder) == before + 2
        shown = client.get(done.headers["location"])
        assert "Imported stakeholders: 2 added, 0 updated, 0 already there." in shown.text
        entry = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.record_type == "stakeholder")
            .order_by(AuditEntry.id.desc())
        ).first()
        assert entry is not None
        assert entry.actor == client.user.name

    def test_problems_are_listed_by_row_and_column_and_the_import_button_is_withheld(
        self, client: TestClient, demo: LoadResult
    ) -> None:
        html = upload(
            client,
            demo.collaboration_id,
            "participations",
            "peserta.csv",
            b"Nama,Peran\nSPRI,peserta\nOrang Tak Dikenal,peserta\nLBH Jakarta,juragan\n",
        )
        assert "There are 2 problems: nothing has been saved" in html
        assert "no stakeholder is registered as &#39;Orang Tak Dikenal&#39;" in html
        assert "&#39;juragan&#39; is not one of" in html
        assert ">Import</button>" not in html

    def test_an_ambiguous_name_offers_a_choice_that_the_next_check_uses(
        self, client: TestClient, session: Session, demo: LoadResult
    ) -> None:
        for name in ("Forum Warga Utara", "Forum Wanita Usaha"):
            session.add(
                Stakeholder(
                    name=name,
                    aliases=["FWU"],
                    kind="organisation",
                    sector="community",
                    search_key=name.lower(),
                )
            )
        session.flush()
        html = upload(client, demo.collaboration_id, "participations", "p.csv", b"nama\nFWU\n")
        assert "“FWU” means" in html
        chosen = session.scalars(
            select(Stakeholder.id).where(Stakeholder.name == "Forum Wanita Usaha")
        ).one()

        fields = hidden_fields(html) | {"map.0": "stakeholder", "choose.0": str(chosen)}
        again = client.post(f"/collaborations/{demo.collaboration_id}/import/preview", data=fields)
        assert "No problems found." in again.text
        done = client.post(
            f"/collaborations/{demo.collaboration_id}/import/confirm",
            data=hidden_fields(again.text) | {"map.0": "stakeholder"},
            follow_redirects=False,
        )
        assert done.status_code == 303
        assert (
            session.scalar(
                select(func.count())
                .select_from(Participation)
                .where(Participation.stakeholder_id == chosen)
            )
            == 1
        )

    def test_a_tampered_preview_is_refused_and_writes_nothing(
        self, client: TestClient, session: Session, demo: LoadResult
    ) -> None:
        cid = demo.collaboration_id
        fields = hidden_fields(upload(client, cid, "stakeholders", "a.csv", SHEET.encode()))
        fields["payload"] = base64.b64encode(b"name,sector\nPenyusup,private\n").decode()
        before = count(session, Stakeholder)

        response = client.post(f"/collaborations/{cid}/import/confirm", data=fields)

        assert response.status_code == 400
        assert "This preview has expired or was changed" in response.text
        assert count(session, Stakeholder) == before

    def test_a_signature_of_any_characters_is_refused_not_an_error(
        self, client: TestClient, session: Session, demo: LoadResult
    ) -> None:
        cid = demo.collaboration_id
        fields = hidden_fields(upload(client, cid, "stakeholders", "a.csv", SHEET.encode()))
        fields["signature"] = "é" * 64
        before = count(session, Stakeholder)

        response = client.post(f"/collaborations/{cid}/import/confirm", data=fields)

        assert response.status_code == 400
        assert "This preview has expired or was changed" in response.text
        assert count(session, Stakeholder) == before

    def test_other_file_types_are_refused_with_a_clear_message(
        self, client: TestClient, demo: LoadResult
    ) -> None:
        response = client.post(
            f"/collaborations/{demo.collaboration_id}/import/preview",
            data={"kind": "stakeholders"},
            files={"file": ("foto.jpg", b"\xff\xd8\xff", "image/jpeg")},
        )
        assert response.status_code == 400
        assert "Only CSV (.csv) and Excel (.xlsx) files can be imported." in response.text

    def test_a_viewer_may_not_import(
        self, client_as: Callable[[str], TestClient], demo: LoadResult
    ) -> None:
        viewer = client_as("viewer")
        response = viewer.post(
            f"/collaborations/{demo.collaboration_id}/import/preview",
            data={"kind": "stakeholders"},
            files={"file": ("a.csv", SHEET.encode(), "text/csv")},
            follow_redirects=False,
        )
        assert response.status_code == 403

    def test_a_viewer_is_offered_no_upload_form_nor_a_way_to_it(
        self, client_as: Callable[[str], TestClient], demo: LoadResult
    ) -> None:
        viewer = client_as("viewer")
        cid = demo.collaboration_id

        form = viewer.get(f"/collaborations/{cid}/import", follow_redirects=False)
        exports = viewer.get(f"/collaborations/{cid}/export")
        template = viewer.get("/import-templates/attendance.csv")

        assert form.status_code == 403
        assert 'name="file"' not in form.text
        assert exports.status_code == 200
        assert f'href="/collaborations/{cid}/import"' not in exports.text  # nor in the navigation
        assert template.status_code == 200  # a template is only a blank sheet

    def test_templates_download(self, client: TestClient) -> None:
        csv_file = client.get("/import-templates/attendance.csv")
        assert csv_file.status_code == 200
        assert csv_file.content.startswith(b"\xef\xbb\xbfmeeting_date,meeting,forum,stakeholder")
        assert client.get("/import-templates/attendance.xlsx").content[:2] == b"PK"
        assert client.get("/import-templates/nothing.csv").status_code == 404


class TestApi:
    def test_a_clean_file_imports_and_answers_the_report(
        self, client: TestClient, session: Session, demo: LoadResult
    ) -> None:
        before = count(session, Stakeholder)
        response = client.post(
            f"/api/v1/collaborations/{demo.collaboration_id}/imports/stakeholders",
            files={"file": ("a.csv", SHEET.encode(), "text/csv")},
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["written"] is True
        assert body["counts"] == {"add": 2, "update": 0, "skip": 0, "error": 0}
        assert body["mapping"] == {"Nama": "name", "Sektor": "sector"}
        assert count(session, Stakeholder) == before + 2

    def test_a_dry_run_writes_nothing(
        self, client: TestClient, session: Session, demo: LoadResult
    ) -> None:
        before = count(session, Stakeholder)
        response = client.post(
            f"/api/v1/collaborations/{demo.collaboration_id}/imports/stakeholders?dry_run=true",
            files={"file": ("a.csv", SHEET.encode(), "text/csv")},
        )
        assert response.status_code == 200
        assert response.json()["written"] is False
        assert count(session, Stakeholder) == before

    def test_problems_answer_422_by_row_and_column(
        self, client: TestClient, demo: LoadResult
    ) -> None:
        response = client.post(
            f"/api/v1/collaborations/{demo.collaboration_id}/imports/trust-events",
            files={
                "file": (
                    "t.csv",
                    b"date,actor,kind,trust_form,valence\n2021-13-01,SPRI,x,rational,+\n",
                    "text/csv",
                )
            },
            data={"map": ["date=occurred_on"]},
        )
        assert response.status_code == 422
        body = response.json()
        assert body["detail"] == "The file has 2 problem(s); nothing was written"
        assert [e["field"] for e in body["errors"]] == ["rows[2].date", "rows[2].kind"]
        assert body["report"]["written"] is False

    def test_an_unknown_kind_or_collaboration(self, client: TestClient, demo: LoadResult) -> None:
        files = {"file": ("a.csv", SHEET.encode(), "text/csv")}
        wrong_kind = client.post(
            f"/api/v1/collaborations/{demo.collaboration_id}/imports/pets", files=files
        )
        missing = client.post("/api/v1/collaborations/999999/imports/participations", files=files)
        assert wrong_kind.status_code == 422
        assert wrong_kind.json()["errors"][0]["field"] == "kind"
        assert missing.status_code == 404
