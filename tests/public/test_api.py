"""The public JSON API: anyone reads published forums; nothing else; described in OpenAPI."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.public.conftest import SECRETS, PublishedCase


class TestPublicApi:
    def test_the_list(self, anonymous_client: TestClient, published_case: PublishedCase) -> None:
        response = anonymous_client.get("/api/v1/public/forums?limit=10")
        assert response.status_code == 200
        body = response.json()
        assert (body["total"], body["limit"], body["offset"]) == (1, 10, 0)
        assert [(f["id"], f["name"], f["held_meetings"]) for f in body["items"]] == [
            (published_case.forum_id, "Forum Koordinasi Terbuka", 2)
        ]

    def test_bad_paging_is_named(self, anonymous_client: TestClient) -> None:
        response = anonymous_client.get("/api/v1/public/forums?limit=0")
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == ["limit"]

    def test_a_forum(self, anonymous_client: TestClient, published_case: PublishedCase) -> None:
        body = anonymous_client.get(f"/api/v1/public/forums/{published_case.forum_id}").json()
        assert (body["convener"], body["facilitator"]) == ("Dinas Sosial DKI", "SPRI DKI Jakarta")
        assert [m["status"] for m in body["meetings"]] == ["planned", "cancelled", "held", "held"]
        assert {c["description"]: c["status"] for c in body["commitments"]} == {
            "Share the complaint list": "fulfilled",
            "Verify the coalition's list of unserved households": "open",
            "Print leaflets": "open",
        }
        assert {o["title"]: o["progress"] for o in body["outcomes"]} == {
            "Households reached": 50.0,
            "Lists verified": 25.0,
        }
        # The history gives statuses and dates, never the notes.
        kept = next(c for c in body["commitments"] if c["status"] == "fulfilled")
        assert kept["history"] == [
            {"status": "open", "changed_on": "2020-06-01"},
            {"status": "fulfilled", "changed_on": "2020-06-09"},
        ]

    def test_a_meeting(self, anonymous_client: TestClient, published_case: PublishedCase) -> None:
        body = anonymous_client.get(f"/api/v1/public/meetings/{published_case.held_id}").json()
        assert body["attended_count"] == 4
        assert body["attending_organisations"] == ["Dinas Sosial DKI", "SPRI DKI Jakarta"]
        assert body["minutes_html"].startswith("<h2>Summary</h2>")
        assert "<script" not in body["minutes_html"]
        assert "minutes" not in body  # the Markdown source stays inside
        assert body["decisions"] == [
            {"text": "Verify the list by July.", "rationale": "Urgent.", "by_consensus": True}
        ]

    def test_unpublished_is_not_found(
        self, anonymous_client: TestClient, published_case: PublishedCase
    ) -> None:
        for url in (
            f"/api/v1/public/forums/{published_case.private_forum_id}",
            f"/api/v1/public/meetings/{published_case.private_meeting_id}",
            f"/api/v1/public/meetings/{published_case.deleted_meeting_id}",
        ):
            response = anonymous_client.get(url)
            assert response.status_code == 404, url
            assert response.json()["errors"] == []

    def test_no_secret(self, anonymous_client: TestClient, published_case: PublishedCase) -> None:
        answers = [
            anonymous_client.get("/api/v1/public/forums").text,
            anonymous_client.get(f"/api/v1/public/forums/{published_case.forum_id}").text,
        ] + [
            anonymous_client.get(f"/api/v1/public/meetings/{meeting_id}").text
            for meeting_id in (
                published_case.held_id,
                published_case.draft_id,
                published_case.planned_id,
                published_case.cancelled_id,
            )
        ]
        assert [s for s in SECRETS for answer in answers if s in answer] == []

    def test_writes_are_refused(
        self, anonymous_client: TestClient, published_case: PublishedCase
    ) -> None:
        response = anonymous_client.post("/api/v1/public/forums", json={})
        assert response.status_code == 405


class TestOpenApi:
    def test_paths_and_response_models(self, anonymous_client: TestClient) -> None:
        schema = anonymous_client.get("/openapi.json").json()
        paths = schema["paths"]
        expected = {
            "/api/v1/public/forums": "PageOut_PublicForumSummary_",
            "/api/v1/public/forums/{forum_id}": "PublicForum",
            "/api/v1/public/meetings/{meeting_id}": "PublicMeeting",
        }
        for path, model in expected.items():
            answer = paths[path]["get"]["responses"]["200"]["content"]["application/json"]
            assert answer["schema"]["$ref"] == f"#/components/schemas/{model}"
        assert "404" in paths["/api/v1/public/forums/{forum_id}"]["get"]["responses"]
        meeting = schema["components"]["schemas"]["PublicMeeting"]["properties"]
        assert "minutes_html" in meeting
        assert "attendance" not in meeting
