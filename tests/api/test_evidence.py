"""Evidence through the JSON API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.evidence.models import Evidence
from tests.factories import make_collaboration, make_evidence

URL = "/api/v1/evidence"


def interview(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "interview",
        "title": "Interview with an SPRI organiser",
        "date": "2021-03-04",
        "citation": "Interview 7, North Jakarta",
        "url": "https://example.org/interviews/7",
        "excerpt": "We took our list of unserved households to the Dinas Sosial.",
        "confidential": True,
    }
    return body | overrides


def create(client: TestClient, **overrides: Any) -> dict[str, Any]:
    response = client.post(URL, json=interview(**overrides))
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


class TestCreate:
    def test_returns_every_field(self, client: TestClient, session: Session) -> None:
        collaboration = make_collaboration(session)

        created = create(client, collaboration_id=collaboration.id)

        assert created["version"] == 1
        assert created["collaboration_id"] == collaboration.id
        assert created["kind"] == "interview"
        assert created["date"] == "2021-03-04"
        assert created["url"] == "https://example.org/interviews/7"
        assert created["confidential"] is True

    def test_only_kind_and_title_are_required(self, client: TestClient) -> None:
        response = client.post(URL, json={"kind": "news", "title": "Kompas, 12 May 2020"})

        assert response.status_code == 201
        assert response.json()["url"] == ""
        assert response.json()["confidential"] is False
        assert response.json()["collaboration_id"] is None

    @pytest.mark.parametrize("url", ["http://example.org", "HTTPS://example.org/a?b=c", ""])
    def test_accepts_web_addresses(self, client: TestClient, url: str) -> None:
        assert create(client, url=url)["url"] == url

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"title": ""}, "title"),
            ({"title": "x" * 301}, "title"),
            ({"kind": "rumour"}, "kind"),
            ({"date": "yesterday"}, "date"),
            ({"url": "ftp://example.org/file"}, "url"),
            ({"url": "www.example.org"}, "url"),
            ({"url": "javascript:alert(1)"}, "url"),
            ({"url": "https://"}, "url"),
            ({"url": "https://example.org/" + "x" * 2000}, "url"),
            ({"confidential": "perhaps"}, "confidential"),
            ({"collaboration_id": 999_999}, "collaboration_id"),
            ({"collaboration_id": 0}, "collaboration_id"),
            ({"source": "x"}, "source"),
        ],
    )
    def test_bad_input_names_the_field(
        self, client: TestClient, overrides: dict[str, Any], field: str
    ) -> None:
        response = client.post(URL, json=interview(**overrides))

        assert response.status_code == 422
        assert field in [error["field"] for error in response.json()["errors"]]
        assert client.get(URL).json()["total"] == 0

    def test_a_deleted_collaboration_is_refused(self, client: TestClient, session: Session) -> None:
        collaboration = make_collaboration(session, deleted_at=dt.datetime.now(dt.UTC))

        response = client.post(URL, json=interview(collaboration_id=collaboration.id))

        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "collaboration_id"
        assert "is deleted" in response.json()["errors"][0]["message"]
        assert session.scalars(select(Evidence)).all() == []


class TestUpdate:
    def test_patch_changes_only_the_fields_sent(self, client: TestClient) -> None:
        created = create(client)

        response = client.patch(
            f"{URL}/{created['id']}", json={"version": 1, "confidential": False, "url": ""}
        )

        assert response.status_code == 200
        assert response.json()["confidential"] is False
        assert response.json()["url"] == ""
        assert response.json()["title"] == created["title"]
        assert response.json()["version"] == 2

    def test_collaboration_can_be_cleared(self, client: TestClient, session: Session) -> None:
        created = create(client, collaboration_id=make_collaboration(session).id)

        response = client.patch(
            f"{URL}/{created['id']}", json={"version": 1, "collaboration_id": None}
        )

        assert response.json()["collaboration_id"] is None

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"title": None}, "title"),
            ({"url": "mailto:someone@example.org"}, "url"),
            ({"collaboration_id": 999_999}, "collaboration_id"),
            ({"kind": None}, "kind"),
        ],
    )
    def test_bad_changes_name_the_field_and_change_nothing(
        self, client: TestClient, changes: dict[str, Any], field: str
    ) -> None:
        created = create(client)

        response = client.patch(f"{URL}/{created['id']}", json={"version": 1, **changes})

        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == field
        assert client.get(f"{URL}/{created['id']}").json() == created

    def test_stale_version_is_refused_and_changes_nothing(self, client: TestClient) -> None:
        created = create(client)
        client.patch(f"{URL}/{created['id']}", json={"version": 1, "title": "Interview 7"})

        response = client.patch(f"{URL}/{created['id']}", json={"version": 1, "title": "Lost"})

        assert response.status_code == 409
        assert response.json()["current_version"] == 2
        assert client.get(f"{URL}/{created['id']}").json()["title"] == "Interview 7"


class TestSearch:
    def test_filters_by_collaboration_kind_and_confidentiality(
        self, client: TestClient, session: Session
    ) -> None:
        bansos = make_collaboration(session)
        other = make_collaboration(session, name="Flood response")
        make_evidence(session, collaboration_id=bansos.id, title="A", confidential=True)
        make_evidence(session, collaboration_id=bansos.id, title="B", kind="news")
        make_evidence(session, collaboration_id=other.id, title="C")

        def titles(**params: Any) -> list[str]:
            return sorted(item["title"] for item in client.get(URL, params=params).json()["items"])

        assert titles(collaboration_id=bansos.id) == ["A", "B"]
        assert titles(kind="news") == ["B"]
        assert titles(confidential=True) == ["A"]
        assert titles(confidential=False) == ["B", "C"]
        assert titles(collaboration_id=bansos.id, kind="interview") == ["A"]

    @pytest.mark.parametrize("q", ["DTKS", "kelurahan", "unserved"])
    def test_text_search_covers_title_citation_and_excerpt(
        self, client: TestClient, session: Session, q: str
    ) -> None:
        make_evidence(
            session,
            title="DTKS update letter",
            citation="Letter from the kelurahan office",
            excerpt="2,300 unserved households",
        )
        make_evidence(session, title="Unrelated")

        found = client.get(URL, params={"q": q}).json()

        assert [item["title"] for item in found["items"]] == ["DTKS update letter"]

    def test_lists_newest_first_and_undated_last(
        self, client: TestClient, session: Session
    ) -> None:
        make_evidence(session, title="Undated")
        make_evidence(session, title="Old", date=dt.date(2020, 5, 1))
        make_evidence(session, title="New", date=dt.date(2021, 5, 1))

        found = client.get(URL).json()

        assert [item["title"] for item in found["items"]] == ["New", "Old", "Undated"]

    def test_unknown_kind_in_a_filter_is_422(self, client: TestClient) -> None:
        response = client.get(URL, params={"kind": "rumour"})

        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "kind"
