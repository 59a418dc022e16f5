"""dump_database / load_database: the whole database as JSON, and back, exactly."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from governance import migrations
from governance.backup.dump import (
    FORMAT_NAME,
    FORMAT_VERSION,
    dump_database,
    load_database,
    table_counts,
    tables,
)
from governance.db import SessionFactory, make_engine
from governance.errors import Invalid
from governance.models import AuditEntry, Stakeholder
from governance.stakeholders import service as stakeholder_service
from governance.stakeholders.schemas import StakeholderCreate
from governance.users import service as user_service
from governance.vocab import Sector, StakeholderKind, UserRole
from tests.backup.conftest import (
    ACTOR,
    PASSWORD,
    UNICODE_NAME,
    dump_of,
    fill,
    new_database,
    without_time,
)

ISO_INSTANT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$")
ISO_DATE = re.compile(r"^\d{4}-\d\d-\d\d$")


def rows_of(document: dict[str, Any], table: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = document["tables"][table]
    return rows


class TestDump:
    def test_writes_every_table_in_dependency_order_with_a_header(self, session: Session) -> None:
        fill(session)

        document = dump_database(session)

        assert document["header"]["format"] == FORMAT_NAME
        assert document["header"]["format_version"] == FORMAT_VERSION
        assert document["header"]["revision"] == migrations.head_revision()
        assert ISO_INSTANT.match(document["header"]["dumped_at"])
        assert list(document["tables"]) == [table.name for table in tables()]
        empty = [name for name, rows in document["tables"].items() if not rows]
        assert empty == [], "the test data should reach every table"
        assert {"audit_entries", "users", "api_tokens", "user_sessions", "login_failures"} <= set(
            document["tables"]
        )
        assert {"evidence_links", "outcome_commitments", "outcome_meetings"} <= set(
            document["tables"]
        )

    def test_values_are_json_ready_codes_and_iso_text(self, session: Session) -> None:
        fill(session)

        document = dump_database(session)

        json.dumps(document)  # no default=: every value is already JSON
        spri = next(r for r in rows_of(document, "stakeholders") if r["name"] == UNICODE_NAME)
        assert next(iter(spri)) == "id"
        assert spri["kind"] == "organisation"
        assert spri["sector"] == "civil_society"
        assert spri["aliases"] == ["SPRI", "Ñ-alias", "组织"]
        assert spri["contact"] == {"email": "spri@example.org", "phone": "+62 21 555 0101"}
        assert ISO_INSTANT.match(spri["created_at"])
        assert ISO_INSTANT.match(spri["deleted_at"])  # soft-deleted, and kept
        meeting = rows_of(document, "meetings")[0]
        assert ISO_INSTANT.match(meeting["starts_at"])
        commitment = rows_of(document, "commitments")[0]
        assert ISO_DATE.match(commitment["made_on"])
        link = rows_of(document, "evidence_links")[0]
        assert sum(value is None for value in link.values()) == 5  # one target of six set
        tokens = rows_of(document, "api_tokens")
        assert [t["revoked_at"] is None for t in tokens] == [True, False]
        assert len(tokens[0]["token_hash"]) == 64
        users = rows_of(document, "users")
        assert [u["role"] for u in users] == ["admin", "viewer"]
        assert users[0]["password_hash"].startswith("$argon2id$")
        assert rows_of(document, "login_failures")[0]["name"] == "ghost"
        outcomes = rows_of(document, "outcomes")
        assert isinstance(outcomes[0]["target"], float)
        assert {o["parent_id"] is None for o in outcomes} == {True, False}
        audit = rows_of(document, "audit_entries")
        assert [a["id"] for a in audit] == sorted(a["id"] for a in audit)
        assert {"create", "delete", "login", "login_failed", "revoke"} <= {
            a["action"] for a in audit
        }


class TestRoundTrip:
    def test_dump_load_dump_gives_the_same_document(
        self, session: Session, backend: str, tmp_path: Path
    ) -> None:
        fill(session)
        first = dump_database(session)
        text = json.dumps(first, ensure_ascii=False)

        with new_database(backend, tmp_path) as target:
            with SessionFactory(target).transaction() as loading:
                counts = load_database(loading, json.loads(text))
            second = dump_of(target)

        assert second == without_time(first)
        assert json.dumps(second, ensure_ascii=False) == json.dumps(
            without_time(first), ensure_ascii=False
        )
        assert counts == {name: len(rows) for name, rows in first["tables"].items()}

    def test_new_rows_after_a_load_get_fresh_ids(
        self, session: Session, backend: str, tmp_path: Path
    ) -> None:
        fill(session)
        document = dump_database(session)
        last_stakeholder = max(r["id"] for r in rows_of(document, "stakeholders"))
        last_audit = max(r["id"] for r in rows_of(document, "audit_entries"))
        last_user = max(r["id"] for r in rows_of(document, "users"))

        with new_database(backend, tmp_path) as target:
            with SessionFactory(target).transaction() as loading:
                load_database(loading, document)
            with SessionFactory(target).transaction() as writing:
                created = stakeholder_service.create(
                    writing,
                    data=StakeholderCreate(
                        name="Dinas Sosial",
                        kind=StakeholderKind.ORGANISATION,
                        sector=Sector.GOVERNMENT,
                    ),
                    actor=ACTOR,
                )
                user = user_service.create_user(
                    writing, name="new user", role=UserRole.VIEWER, password=PASSWORD, actor=ACTOR
                )
                entry_ids = writing.scalars(
                    select(AuditEntry.id).where(AuditEntry.id > last_audit).order_by(AuditEntry.id)
                ).all()

        assert created.id == last_stakeholder + 1
        assert user.id == last_user + 1
        assert entry_ids == [last_audit + 1, last_audit + 2]


@pytest.fixture
def document(session: Session) -> dict[str, Any]:
    """A small valid dump of the test database (left empty again): one stakeholder, one
    user with a token, and their audit entries."""
    savepoint = session.begin_nested()
    stakeholder_service.create(
        session,
        data=StakeholderCreate(
            name="Kelurahan Ñ", kind=StakeholderKind.GROUP, sector=Sector.COMMUNITY
        ),
        actor=ACTOR,
    )
    user = user_service.create_user(
        session, name="secretary", role=UserRole.SECRETARIAT, password=PASSWORD, actor=ACTOR
    )
    user_service.create_token(session, user=user, name="cli", actor=ACTOR)
    document = dump_database(session)
    savepoint.rollback()
    return copy.deepcopy(document)


def set_in(table: str, column: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        document["tables"][table][0][column] = value

    return change


def drop_column(table: str, column: str) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        del document["tables"][table][0][column]

    return change


def repeat_row(table: str, **changes: Any) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        rows = document["tables"][table]
        rows.append(rows[0] | changes)

    return change


def set_header(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        document["header"][key] = value

    return change


def drop_table(name: str) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        del document["tables"][name]

    return change


def add_table(name: str) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        document["tables"][name] = []

    return change


class TestLoadRefuses:
    def test_a_valid_dump_loads(self, session: Session, document: dict[str, Any]) -> None:
        counts = load_database(session, document)

        assert counts["stakeholders"] == 1
        assert counts["api_tokens"] == 1
        assert session.scalar(select(Stakeholder.name)) == "Kelurahan Ñ"

    @pytest.mark.parametrize(
        ("change", "field", "message"),
        [
            (set_header("format", "pg_dump"), "header.format", "not a collabgov dump"),
            (set_header("format_version", 2), "header.format_version", "is not supported"),
            (set_header("revision", "0001"), "header.revision", "the dump is at schema revision"),
            (set_header("revision", None), "header.revision", "is missing"),
            (drop_table("users"), "tables.users", "is missing"),
            (add_table("secrets"), "tables.secrets", "is not a table of this schema"),
            (set_in("stakeholders", "kind", "alien"), "tables.stakeholders[0].kind", "'alien'"),
            (set_in("stakeholders", "name", None), "tables.stakeholders[0].name", "null"),
            (set_in("stakeholders", "name", "x" * 201), "tables.stakeholders[0].name", "200"),
            (
                set_in("stakeholders", "created_at", "2026-01-01T00:00:00"),
                "tables.stakeholders[0].created_at",
                "no time zone",
            ),
            (
                set_in("stakeholders", "created_at", "yesterday"),
                "tables.stakeholders[0].created_at",
                "ISO 8601",
            ),
            (set_in("stakeholders", "version", "1"), "tables.stakeholders[0].version", "whole"),
            (set_in("users", "active", "yes"), "tables.users[0].active", "true or false"),
            (set_in("stakeholders", "colour", "red"), "tables.stakeholders[0].colour", "column"),
            (drop_column("stakeholders", "description"), "tables.stakeholders[0].description", ""),
            (set_in("audit_entries", "user_id", 999), "tables.audit_entries[0].user_id", "999"),
            (repeat_row("stakeholders"), "tables.stakeholders[1]", "repeats the key"),
            (
                repeat_row("api_tokens", id=99),
                "tables.api_tokens",
                "a row does not fit",
            ),
        ],
    )
    def test_a_dump_that_does_not_fit(
        self,
        session: Session,
        document: dict[str, Any],
        change: Callable[[dict[str, Any]], None],
        field: str,
        message: str,
    ) -> None:
        change(document)

        with pytest.raises(Invalid) as raised:
            load_database(session, document)

        assert message in raised.value.errors[field]
        assert not any(table_counts(session).values()), "nothing may be written"

    @pytest.mark.parametrize("data", [[], {"tables": {}}, {"header": "x", "tables": {}}])
    def test_a_document_that_is_not_a_dump(self, session: Session, data: Any) -> None:
        with pytest.raises(Invalid, match="not a collabgov dump"):
            load_database(session, data)

    def test_a_database_that_holds_rows(self, session: Session, document: dict[str, Any]) -> None:
        stakeholder_service.create(
            session,
            data=StakeholderCreate(name="Already here", kind="group", sector="community"),
            actor=ACTOR,
        )

        with pytest.raises(Invalid) as raised:
            load_database(session, document)

        assert "stakeholders (1 row)" in raised.value.errors["database"]
        assert "audit_entries (1 row)" in raised.value.errors["database"]

    def test_a_database_without_schema(self, document: dict[str, Any], tmp_path: Path) -> None:
        engine = make_engine(f"sqlite:///{tmp_path / 'bare.sqlite3'}")
        try:
            with SessionFactory(engine).transaction() as bare, pytest.raises(Invalid) as raised:
                load_database(bare, document)
        finally:
            engine.dispose()

        assert "has no collabgov schema" in raised.value.errors["database"]
