"""The health checks: public, cheap, and honest about the schema."""

from __future__ import annotations

from fastapi.testclient import TestClient

from governance import migrations


class TestHealth:
    def test_answers_ok_without_signing_in(self, client: TestClient) -> None:
        client.cookies.clear()
        response = client.get("/api/v1/health")
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}

    def test_database_check_reads_the_schema_revision(self, client: TestClient) -> None:
        response = client.get("/api/v1/health/db")
        assert response.status_code == 200
        assert response.json() == {
            "status": "ok",
            "schema_revision": migrations.head_revision(),
        }

    def test_both_are_in_the_openapi_schema(self, client: TestClient) -> None:
        paths = client.get("/openapi.json").json()["paths"]
        assert paths["/api/v1/health"]["get"]["operationId"] == "get_health"
        assert paths["/api/v1/health/db"]["get"]["operationId"] == "get_database_health"
