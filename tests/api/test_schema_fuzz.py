"""Schemathesis drives every operation of ``/openapi.json`` with generated input.

No input may produce a server error, and every response must match the schema the
API publishes (status codes, content types and bodies). It runs in-process, inside
the test's rolled-back transaction, on each database backend.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import create_app
from governance.config import Settings

EXAMPLES_PER_OPERATION = 10


def _operations() -> list[tuple[str, str]]:
    schema = create_app(Settings(database_url="sqlite://")).openapi()
    return sorted(
        (method.upper(), path) for path, methods in schema["paths"].items() for method in methods
    )


@pytest.mark.parametrize(("method", "path"), _operations())
def test_no_input_breaks_the_api(app: FastAPI, method: str, path: str) -> None:
    operation = schemathesis.openapi.from_asgi("/openapi.json", app)[path][method]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def call(case: Any) -> None:
        case.call_and_validate(
            checks=[
                not_a_server_error,
                status_code_conformance,
                content_type_conformance,
                response_schema_conformance,
            ]
        )

    call()
