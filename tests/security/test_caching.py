"""No answer that may hold personal data or a secret is kept in a cache.

A browser keeps what it is allowed to keep after its user signs out: on a shared
computer the next person could read a stakeholder's contact details, an export or an
API token shown once from the cache. Every answer but our own static files says
``Cache-Control: no-store``.
"""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import make_collaboration, make_stakeholder


def test_the_api_answer_with_contact_details_is_not_stored(
    client: TestClient, session: Session
) -> None:
    spri = make_stakeholder(session, contact={"email": "ketua@spri.example"})
    session.commit()

    response = client.get(f"/api/v1/stakeholders/{spri.id}")

    assert response.json()["contact"]["email"] == "ketua@spri.example"
    assert response.headers["cache-control"] == "no-store"


def test_an_export_is_not_stored(client: TestClient, session: Session) -> None:
    case = make_collaboration(session)
    session.commit()

    response = client.get(f"/api/v1/collaborations/{case.id}/export", params={"format": "json"})

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"


def test_a_new_api_token_is_not_stored(client: TestClient) -> None:
    response = client.post("/api/v1/me/tokens", json={"name": "laptop"})

    assert response.status_code == 201
    assert response.json()["token"]
    assert response.headers["cache-control"] == "no-store"


def test_refusals_are_not_stored_either(anonymous_client: TestClient) -> None:
    response = anonymous_client.get("/api/v1/stakeholders")

    assert response.status_code == 401
    assert response.headers["cache-control"] == "no-store"


def test_static_files_may_be_cached(anonymous_client: TestClient) -> None:
    response = anonymous_client.get("/static/app.css")

    assert response.status_code == 200
    assert "cache-control" not in response.headers
