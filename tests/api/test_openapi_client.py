"""A client that knows only ``/openapi.json`` can run a whole collaboration.

Operations are found by their ``operationId`` and their URLs built from the schema's
path templates, as a generated client would; nothing here hard-codes a route.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient


class SchemaClient:
    """Calls operations by ``operationId``, as described by the app's OpenAPI schema."""

    def __init__(self, http: TestClient) -> None:
        self.http = http
        schema = http.get("/openapi.json").json()
        self.operations: dict[str, tuple[str, str, dict[str, Any]]] = {
            operation["operationId"]: (method.upper(), path, operation)
            for path, methods in schema["paths"].items()
            for method, operation in methods.items()
        }

    def __call__(self, operation_id: str, *path_args: int, **kwargs: Any) -> Any:
        method, template, operation = self.operations[operation_id]
        names = re.findall(r"{(\w+)}", template)
        assert len(names) == len(path_args), f"{operation_id} takes {names}"
        url = template
        for name, value in zip(names, path_args, strict=True):
            url = url.replace(f"{{{name}}}", str(value))
        response = self.http.request(method, url, **kwargs)
        documented = set(operation["responses"]) | {"default"}
        assert str(response.status_code) in documented, (
            f"{operation_id} answered {response.status_code}, not among {sorted(documented)}"
        )
        assert response.status_code < 400, response.text
        return response.json()


def test_a_schema_only_client_runs_a_collaboration_end_to_end(client: TestClient) -> None:
    api = SchemaClient(client)

    case = api("create_collaboration", json={"name": "Bansos DKI", "started_on": "2020-04-01"})
    dinsos = api(
        "create_stakeholder",
        json={"name": "Dinas Sosial DKI", "kind": "organisation", "sector": "government"},
    )
    spri = api(
        "create_stakeholder",
        json={"name": "SPRI DKI Jakarta", "kind": "organisation", "sector": "civil_society"},
    )
    forum = api(
        "create_forum",
        json={
            "collaboration_id": case["id"],
            "name": "Forum Koordinasi Bansos",
            "convener_id": dinsos["id"],
        },
    )
    meeting = api(
        "create_meeting",
        json={
            "forum_id": forum["id"],
            "title": "First coordination meeting",
            "starts_at": "2020-06-02T09:00:00+07:00",
            "ends_at": "2020-06-02T11:00:00+07:00",
            "status": "held",
            "attendance": [
                {"stakeholder_id": dinsos["id"], "role": "chair"},
                {"stakeholder_id": spri["id"]},
            ],
            "decisions": [{"text": "Verify the coalition's list of unserved households"}],
        },
    )
    commitment = api(
        "create_commitment",
        json={
            "collaboration_id": case["id"],
            "meeting_id": meeting["id"],
            "owner_id": dinsos["id"],
            "counterpart_id": spri["id"],
            "description": "Verify 1,200 households reported by the coalition",
            "made_on": "2020-06-02",
            "due_on": "2020-07-31",
        },
    )
    api(
        "change_commitment_status",
        commitment["id"],
        json={"status": "in_progress", "changed_on": "2020-06-15", "note": "Field checks began"},
    )
    fulfilled = api(
        "change_commitment_status",
        commitment["id"],
        json={"status": "fulfilled", "changed_on": "2020-07-20", "note": "List verified"},
    )
    trust = api(
        "create_trust_event",
        json={
            "collaboration_id": case["id"],
            "meeting_id": meeting["id"],
            "occurred_on": "2020-07-20",
            "actor_id": dinsos["id"],
            "target_id": spri["id"],
            "kind": "promise_kept",
            "trust_form": "rational",
            "valence": "positive",
            "severity": 2,
        },
    )
    parent = api(
        "create_outcome",
        json={
            "collaboration_id": case["id"],
            "title": "Poor households receive aid",
            "level": "outcome",
            "target": 100,
        },
    )
    child_a = api(
        "create_outcome",
        json={
            "collaboration_id": case["id"],
            "parent_id": parent["id"],
            "title": "Households added to DTKS",
            "level": "small_win",
            "unit": "households",
            "baseline": 0,
            "target": 1200,
            "weight": 3,
            "commitment_ids": [commitment["id"]],
        },
    )
    child_b = api(
        "create_outcome",
        json={
            "collaboration_id": case["id"],
            "parent_id": parent["id"],
            "title": "Complaints resolved",
            "level": "small_win",
            "target": 200,
            "weight": 1,
        },
    )
    api("add_outcome_measurement", child_a["id"], json={"measured_on": "2020-08-01", "value": 600})
    api("add_outcome_measurement", child_b["id"], json={"measured_on": "2020-08-01", "value": 200})

    assert [step["to_status"] for step in fulfilled["history"]] == [
        "open",
        "in_progress",
        "fulfilled",
    ]
    assert fulfilled["fulfilled_on"] == "2020-07-20"
    assert trust["valence"] == "positive"
    assert api("get_meeting", meeting["id"])["attendance"][0]["role"] == "chair"
    assert api("get_outcome", child_a["id"])["progress"] == 50.0
    # Weighted mean of the children: (3 × 50 % + 1 × 100 %) / 4 = 62.5 %.
    assert api("get_outcome", parent["id"])["progress"] == 62.5
    listed = api("list_outcomes", params={"collaboration_id": case["id"]})
    assert listed["total"] == 3
