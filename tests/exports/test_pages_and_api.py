"""The export page, its downloads, and ``GET /api/v1/collaborations/{id}/export``."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.demo.loader import LoadResult, load_demo
from governance.models import Stakeholder


@pytest.fixture
def demo(session: Session) -> LoadResult:
    result = load_demo(session)
    spri = session.scalars(select(Stakeholder).where(Stakeholder.name == "SPRI DKI Jakarta")).one()
    spri.contact = {"email": "sekretariat@spri.example"}
    session.flush()
    return result


class TestApi:
    @pytest.mark.parametrize(
        ("export_format", "media", "suffix"),
        [
            ("csv", "application/zip", ".zip"),
            ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
            ("json", "application/json", ".json"),
            ("research", "application/zip", "-research.zip"),
        ],
    )
    def test_each_format_downloads_as_a_file(
        self, client: TestClient, demo: LoadResult, export_format: str, media: str, suffix: str
    ) -> None:
        response = client.get(
            f"/api/v1/collaborations/{demo.collaboration_id}/export?format={export_format}"
        )
        assert response.status_code == 200
        assert response.headers["content-type"] == media
        assert response.headers["content-disposition"].endswith(f'{suffix}"')

    def test_a_researcher_gets_no_contact_details_the_secretariat_does(
        self, client_as: Callable[[str], TestClient], demo: LoadResult
    ) -> None:
        path = f"/api/v1/collaborations/{demo.collaboration_id}/export?format=json"
        researcher = client_as("researcher").get(path)
        secretariat = client_as("secretariat").get(path)
        assert b"sekretariat@spri.example" not in researcher.content
        assert b"sekretariat@spri.example" in secretariat.content

    def test_pseudonymised_research_package(self, client: TestClient, demo: LoadResult) -> None:
        response = client.get(
            f"/api/v1/collaborations/{demo.collaboration_id}/export"
            "?format=research&pseudonymise=true"
        )
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            assert b"SPRI DKI Jakarta" not in archive.read("tables/stakeholders.csv")

    def test_a_wrong_format_or_collaboration(self, client: TestClient, demo: LoadResult) -> None:
        wrong = client.get(f"/api/v1/collaborations/{demo.collaboration_id}/export?format=pdf")
        missing = client.get("/api/v1/collaborations/999999/export?format=csv")
        assert wrong.status_code == 422
        assert wrong.json()["errors"][0]["field"] == "format"
        assert missing.status_code == 404

    def test_anonymous_visitors_get_nothing(
        self, anonymous_client: TestClient, demo: LoadResult
    ) -> None:
        response = anonymous_client.get(
            f"/api/v1/collaborations/{demo.collaboration_id}/export?format=json"
        )
        assert response.status_code == 401


class TestPage:
    def test_the_page_links_every_format_and_the_templates(
        self, client: TestClient, demo: LoadResult
    ) -> None:
        cid = demo.collaboration_id
        page = client.get(f"/collaborations/{cid}/export")
        assert page.status_code == 200
        for export_format in ("xlsx", "csv", "json", "research"):
            assert f"/collaborations/{cid}/export/{export_format}" in page.text
        assert "/import-templates/commitments.csv" in page.text
        assert f'href="/collaborations/{cid}/export"' in page.text  # in the navigation

        download = client.get(f"/collaborations/{cid}/export/json")
        assert json.loads(download.content)["collaboration_id"] == cid
        assert client.get(f"/collaborations/{cid}/export/pdf").status_code == 404

    def test_the_page_speaks_indonesian(self, client: TestClient, demo: LoadResult) -> None:
        page = client.get(f"/collaborations/{demo.collaboration_id}/export?lang=id")
        assert "Paket riset" in page.text
