"""Accounts, passwords and API tokens, through the users service."""

from __future__ import annotations

import json
from typing import Any

import pytest
from argon2 import PasswordHasher
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.audit.models import AuditEntry
from governance.audit.service import Actor
from governance.base import utcnow
from governance.errors import Invalid
from governance.users import passwords
from governance.users import service as user_service
from governance.users.models import ApiToken, User
from governance.users.schemas import UserCreate, UserRead
from governance.vocab import UserRole

ADMIN = Actor("cli")
GOOD_PASSWORD = "correct horse battery staple"

#: Argon2's defaults take a fifth of a second per hash; tests hash with cheap parameters.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "hasher", FAST_HASHER)


def make_user(session: Session, **overrides: Any) -> User:
    values: dict[str, Any] = {
        "name": "sekretariat",
        "role": UserRole.SECRETARIAT,
        "password": GOOD_PASSWORD,
        "actor": ADMIN,
    }
    return user_service.create_user(session, **(values | overrides))


class TestPasswordPolicy:
    @pytest.mark.parametrize(
        ("password", "problem"),
        [
            ("short", "must be at least 12 characters long"),
            ("x" * 11, "must be at least 12 characters long"),
            ("x" * 257, "must be at most 256 characters long"),
            ("password1234", "is one of the most common passwords; choose another"),
            ("PassWord1234", "is one of the most common passwords; choose another"),
            ("123456789012", "is one of the most common passwords; choose another"),
            ("QWERTYUIOP12", "is one of the most common passwords; choose another"),
        ],
    )
    def test_refuses_weak_passwords(self, password: str, problem: str) -> None:
        with pytest.raises(Invalid) as raised:
            passwords.check_password(password)

        assert raised.value.errors == {"password": problem}

    @pytest.mark.parametrize("password", ["x" * 12, "x" * 256, GOOD_PASSWORD, "pässwörd-äöü!"])
    def test_accepts_other_passwords(self, password: str) -> None:
        assert passwords.password_problem(password) is None

    def test_the_create_schema_applies_the_policy(self) -> None:
        with pytest.raises(ValidationError) as raised:
            UserCreate.model_validate({"name": "r1", "role": "researcher", "password": "short"})

        assert [error["loc"] for error in raised.value.errors()] == [("password",)]

    def test_the_create_schema_keeps_the_password_out_of_its_repr(self) -> None:
        data = UserCreate.model_validate(
            {"name": "r1", "role": "researcher", "password": GOOD_PASSWORD}
        )

        assert GOOD_PASSWORD not in repr(data)
        assert data.password.get_secret_value() == GOOD_PASSWORD


class TestHashing:
    def test_a_hash_verifies_its_password_only(self) -> None:
        hashed = passwords.hash_password(GOOD_PASSWORD)

        assert hashed.startswith("$argon2id$")
        assert GOOD_PASSWORD not in hashed
        assert passwords.verify_password(GOOD_PASSWORD, hashed) is True
        assert passwords.verify_password(GOOD_PASSWORD.upper(), hashed) is False

    def test_the_same_password_hashes_differently_each_time(self) -> None:
        assert passwords.hash_password(GOOD_PASSWORD) != passwords.hash_password(GOOD_PASSWORD)

    def test_a_malformed_hash_never_verifies(self) -> None:
        assert passwords.verify_password(GOOD_PASSWORD, "not a hash") is False

    def test_hashes_made_with_weaker_parameters_need_rehashing(self) -> None:
        weak = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1).hash(GOOD_PASSWORD)

        assert passwords.needs_rehash(weak) is True
        assert passwords.needs_rehash(passwords.hash_password(GOOD_PASSWORD)) is False


class TestCreateUser:
    def test_stores_a_hash_not_the_password(self, session: Session) -> None:
        user = make_user(session, name="  peneliti ", role=UserRole.RESEARCHER)

        assert (user.name, user.role, user.active, user.version) == (
            "peneliti",
            UserRole.RESEARCHER,
            True,
            1,
        )
        assert user.password_hash != GOOD_PASSWORD
        assert passwords.verify_password(GOOD_PASSWORD, user.password_hash)

    def test_reads_without_the_hash(self, session: Session) -> None:
        read = UserRead.model_validate(make_user(session)).model_dump()

        assert "password_hash" not in read
        assert read["name"] == "sekretariat"

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"name": ""}, "name"),
            ({"name": "   "}, "name"),
            ({"name": "x" * 101}, "name"),
            ({"role": "superuser"}, "role"),
            ({"password": "short"}, "password"),
            ({"password": "Password1234"}, "password"),
            ({"name": "sekretariat-dki", "password": "SEKRETARIAT-DKI"}, "password"),
        ],
    )
    def test_bad_input_names_the_field_and_stores_nothing(
        self, session: Session, overrides: dict[str, Any], field: str
    ) -> None:
        with pytest.raises(Invalid) as raised:
            make_user(session, **overrides)

        assert list(raised.value.errors) == [field]
        assert session.scalars(select(User)).all() == []

    def test_reports_every_bad_field_at_once(self, session: Session) -> None:
        with pytest.raises(Invalid) as raised:
            make_user(session, name="", role="root", password="short")

        assert set(raised.value.errors) == {"name", "role", "password"}

    @pytest.mark.parametrize("name", ["sekretariat", "Sekretariat"])
    def test_names_are_unique_ignoring_case(self, session: Session, name: str) -> None:
        make_user(session)

        with pytest.raises(Invalid) as raised:
            make_user(session, name=name)

        assert raised.value.errors == {"name": f"a user named {name!r} already exists"}
        assert len(session.scalars(select(User)).all()) == 1

    def test_accepts_a_role_code(self, session: Session) -> None:
        assert make_user(session, role="viewer").role is UserRole.VIEWER


class TestAuthenticate:
    def test_right_password_gives_the_user(self, session: Session) -> None:
        user = make_user(session)

        assert (
            user_service.authenticate(session, name="sekretariat", password=GOOD_PASSWORD) is user
        )

    @pytest.mark.parametrize(
        ("name", "password"),
        [
            ("sekretariat", "wrong password!"),
            ("sekretariat", ""),
            ("nobody", GOOD_PASSWORD),
        ],
    )
    def test_wrong_name_or_password_gives_none(
        self, session: Session, name: str, password: str
    ) -> None:
        make_user(session)

        assert user_service.authenticate(session, name=name, password=password) is None

    def test_inactive_users_cannot_sign_in(self, session: Session) -> None:
        user = make_user(session)
        user.active = False
        session.flush()

        assert user_service.authenticate(session, name=user.name, password=GOOD_PASSWORD) is None

    def test_an_outdated_hash_is_replaced_on_sign_in(self, session: Session) -> None:
        user = make_user(session)
        user.password_hash = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1).hash(
            GOOD_PASSWORD
        )
        session.flush()

        signed_in = user_service.authenticate(session, name=user.name, password=GOOD_PASSWORD)

        assert signed_in is user
        assert passwords.needs_rehash(user.password_hash) is False
        assert passwords.verify_password(GOOD_PASSWORD, user.password_hash)


class TestTokens:
    def test_create_lookup_revoke_lookup(self, session: Session) -> None:
        user = make_user(session)

        token = user_service.create_token(session, user=user, name="laptop", actor=ADMIN)
        found = user_service.user_for_token(session, token)
        (row,) = user_service.list_tokens(session, user=user)
        user_service.revoke_token(session, token_id=row.id, actor=ADMIN)

        assert found is user
        assert row.last_used_at is not None
        assert user_service.user_for_token(session, token) is None

    def test_a_token_use_is_noted_at_most_once_per_interval(self, session: Session) -> None:
        user = make_user(session)
        user_service.create_token(session, user=user, name="laptop", actor=ADMIN)
        (row,) = user_service.list_tokens(session, user=user)
        interval = user_service.TOKEN_TOUCH_INTERVAL
        noted = []
        for ago in (None, interval / 2, interval * 2):
            before = None if ago is None else utcnow() - ago
            row.last_used_at = before
            session.flush()

            user_service.touch_token(session, row.id)
            session.refresh(row)
            noted.append(row.last_used_at == before)

        assert noted == [False, True, False]
        assert row.last_used_at is not None
        assert utcnow() - row.last_used_at < interval / 2

    def test_only_the_sha256_of_a_token_is_stored(self, session: Session) -> None:
        user = make_user(session)

        token = user_service.create_token(session, user=user, name="laptop", actor=ADMIN)

        row = session.scalars(select(ApiToken)).one()
        assert len(token) == 43
        assert row.token_hash == user_service.token_digest(token)
        assert len(row.token_hash) == 64
        assert token not in row.token_hash

    def test_tokens_are_different_each_time(self, session: Session) -> None:
        user = make_user(session)

        first = user_service.create_token(session, user=user, name="a", actor=ADMIN)
        second = user_service.create_token(session, user=user, name="b", actor=ADMIN)

        assert first != second

    @pytest.mark.parametrize("token", ["", "nonsense", "x" * 10_000, "tökén"])
    def test_unknown_tokens_give_none(self, session: Session, token: str) -> None:
        user_service.create_token(session, user=make_user(session), name="laptop", actor=ADMIN)

        assert user_service.user_for_token(session, token) is None

    def test_tokens_of_inactive_or_deleted_users_give_none(self, session: Session) -> None:
        inactive = make_user(session, name="inactive")
        deleted = make_user(session, name="deleted")
        tokens = [
            user_service.create_token(session, user=user, name="t", actor=ADMIN)
            for user in (inactive, deleted)
        ]
        inactive.active = False
        deleted.deleted_at = deleted.created_at
        session.flush()

        assert [user_service.user_for_token(session, token) for token in tokens] == [None, None]

    @pytest.mark.parametrize("name", ["", " ", "x" * 101])
    def test_token_names_are_checked(self, session: Session, name: str) -> None:
        user = make_user(session)

        with pytest.raises(Invalid) as raised:
            user_service.create_token(session, user=user, name=name, actor=ADMIN)

        assert list(raised.value.errors) == ["name"]
        assert session.scalars(select(ApiToken)).all() == []

    def test_an_inactive_user_gets_no_token(self, session: Session) -> None:
        user = make_user(session)
        user.active = False

        with pytest.raises(Invalid) as raised:
            user_service.create_token(session, user=user, name="laptop", actor=ADMIN)

        assert list(raised.value.errors) == ["user"]


class TestAudit:
    def test_writes_are_logged_without_secrets(self, session: Session) -> None:
        user = make_user(session)
        hashes = [user.password_hash]
        user.password_hash = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1).hash(
            GOOD_PASSWORD
        )
        session.flush()
        token = user_service.create_token(session, user=user, name="laptop", actor=ADMIN)
        user_service.authenticate(session, name=user.name, password=GOOD_PASSWORD)
        hashes += [user.password_hash]
        user_service.user_for_token(session, token)
        (row,) = user_service.list_tokens(session, user=user)
        user_service.revoke_token(session, token_id=row.id, actor=ADMIN)

        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()

        assert [(entry.record_type, entry.action) for entry in entries] == [
            ("user", "create"),
            ("api_token", "create"),
            ("user", "update"),
            ("api_token", "revoke"),
        ]
        assert entries[0].changes["name"] == [None, "sekretariat"]
        logged = json.dumps([entry.changes for entry in entries])
        for secret in (GOOD_PASSWORD, *hashes, token, row.token_hash):
            assert secret not in logged
        assert "password_hash" not in logged
        assert "token_hash" not in logged
