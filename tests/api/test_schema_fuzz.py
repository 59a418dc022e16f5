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
from sqlalchemy.orm import Session

from api.app import create_app
from governance.audit.service import SYSTEM
from governance.config import Settings
from governance.users import service as user_service
from governance.vocab import UserRole
from tests.conftest import make_user

EXAMPLES_PER_OPERATION = 10


def _operations() -> list[tuple[str, str]]:
    schema = create_app(Settings(database_url="sqlite://")).openapi()
    return sorted(
        (method.upper(), path) for path, methods in schema["paths"].items() for method in methods
    )


@pytest.fixture
def admin_token(session: Session) -> str:
    """An admin's API token: the fuzzing reaches every operation, not only its 401."""
    admin = make_user(session, UserRole.ADMIN)
    token = user_service.create_token(session, user=admin, name="fuzz", actor=SYSTEM)
    session.commit()
    return token


@pytest.mark.parametrize(("method", "path"), _operations())
def test_no_input_breaks_the_api(app: FastAPI, admin_token: str, method: str, path: str) -> None:
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
            headers={"Authorization": f"Bearer {admin_token}"},
            checks=[
                not_a_server_error,
                status_code_conformance,
                content_type_conformance,
                response_schema_conformance,
            ],
        )

    call()
