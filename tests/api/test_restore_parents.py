"""Restoring a record whose parent is deleted is refused, so nothing comes back orphaned."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import make_collaboration, make_forum


def test_a_forum_of_a_deleted_collaboration_is_not_restored(
    client: TestClient, session: Session
) -> None:
    collaboration = make_collaboration(session)
    forum = make_forum(session, collaboration)
    session.commit()
    assert client.delete(f"/api/v1/forums/{forum.id}").status_code == 200
    assert client.delete(f"/api/v1/collaborations/{collaboration.id}").status_code == 200

    refused = client.post(f"/api/v1/forums/{forum.id}/restore")
    client.post(f"/api/v1/collaborations/{collaboration.id}/restore")
    restored = client.post(f"/api/v1/forums/{forum.id}/restore")

    assert refused.status_code == 409
    assert "Bansos monitoring" in refused.json()["detail"]
    assert restored.status_code == 200
    assert restored.json()["deleted_at"] is None
