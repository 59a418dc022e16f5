"""Reading the audit log: filters, order, paging, record titles, hidden credentials."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError
from sqlalchemy.orm import Session

from governance.audit import queries
from governance.audit.models import AuditEntry
from governance.audit.queries import AuditQuery
from governance.errors import NotFound
from governance.users.models import User
from governance.vocab import UserRole
from tests.factories import make_collaboration, make_forum

UTC = dt.UTC
JAKARTA = ZoneInfo("Asia/Jakarta")


def entry(session: Session, **fields: Any) -> AuditEntry:
    values: dict[str, Any] = {
        "at": dt.datetime(2020, 6, 1, 12, tzinfo=UTC),
        "actor": "alice",
        "action": "update",
        "record_type": "stakeholder",
        "record_id": 1,
        "changes": {"name": ["A", "B"]},
    }
    row = AuditEntry(**(values | fields))
    session.add(row)
    session.flush()
    return row


def ids(page: Any) -> list[int]:
    return [row.id for row in page.items]


class TestSearch:
    def test_newest_first_with_the_total_and_a_stable_order_for_equal_times(
        self, session: Session
    ) -> None:
        old = entry(session, at=dt.datetime(2020, 1, 1, tzinfo=UTC))
        same_a = entry(session, at=dt.datetime(2020, 3, 1, tzinfo=UTC))
        same_b = entry(session, at=dt.datetime(2020, 3, 1, tzinfo=UTC))
        page = queries.search(session, query=AuditQuery(limit=2))
        assert ids(page) == [same_b.id, same_a.id]
        assert page.total == 3
        rest = queries.search(session, query=AuditQuery(limit=2, offset=2))
        assert ids(rest) == [old.id]

    def test_by_record_both_type_and_id(self, session: Session) -> None:
        mine = entry(session, record_type="forum", record_id=7)
        entry(session, record_type="forum", record_id=8)
        entry(session, record_type="meeting", record_id=7)
        found = queries.search(session, query=AuditQuery(record_type="forum", record_id=7))
        assert ids(found) == [mine.id]

    def test_by_user_id_or_by_actor_name_ignoring_case(self, session: Session) -> None:
        user = User(name="siti", role=UserRole.SECRETARIAT, password_hash="x")
        session.add(user)
        session.flush()
        by_user = entry(session, user_id=user.id, actor="siti")
        by_cli = entry(session, actor="cli")
        assert ids(queries.search(session, query=AuditQuery(user_id=user.id))) == [by_user.id]
        assert ids(queries.search(session, query=AuditQuery(actor="CLI"))) == [by_cli.id]

    def test_by_action_and_record_type(self, session: Session) -> None:
        deleted = entry(session, action="delete", record_type="forum")
        entry(session, action="delete", record_type="meeting")
        entry(session, action="create", record_type="forum")
        query = AuditQuery(action="delete", record_type="forum")
        assert ids(queries.search(session, query=query)) == [deleted.id]

    def test_whole_days_are_read_in_the_given_time_zone(self, session: Session) -> None:
        # 1 June 2020 in Jakarta (UTC+7) runs from 31 May 17:00 UTC to 1 June 17:00 UTC.
        before = entry(session, at=dt.datetime(2020, 5, 31, 16, 59, tzinfo=UTC))
        first = entry(session, at=dt.datetime(2020, 5, 31, 17, 0, tzinfo=UTC))
        last = entry(session, at=dt.datetime(2020, 6, 1, 16, 59, tzinfo=UTC))
        after = entry(session, at=dt.datetime(2020, 6, 1, 17, 0, tzinfo=UTC))
        day = dt.date(2020, 6, 1)
        in_jakarta = queries.search(
            session, query=AuditQuery(since=day, until=day), timezone=JAKARTA
        )
        assert ids(in_jakarta) == [last.id, first.id]
        in_utc = queries.search(session, query=AuditQuery(since=day, until=day))
        assert ids(in_utc) == [after.id, last.id]
        assert before.id not in ids(in_utc)

    def test_instants_bound_both_ends_inclusively(self, session: Session) -> None:
        at = dt.datetime(2020, 6, 1, 12, tzinfo=UTC)
        exact = entry(session, at=at)
        entry(session, at=at + dt.timedelta(seconds=1))
        found = queries.search(session, query=AuditQuery(since=at, until=at))
        assert ids(found) == [exact.id]


class TestQueryValidation:
    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("record_type", "Forum; drop"),
            ("record_id", 0),
            ("action", ""),
            ("since", "2020-06-01T10:00:00"),  # an instant needs its time zone
            ("until", "9999-12-31"),  # the day after would overflow
            ("since", "yesterday"),
            ("limit", 501),
            ("offset", -1),
            ("colour", "red"),
        ],
    )
    def test_bad_filters_name_the_field(self, field: str, value: Any) -> None:
        with pytest.raises(ValidationError) as error:
            AuditQuery.model_validate({field: value})
        assert error.value.errors()[0]["loc"][0] == field

    def test_until_before_since_is_refused_on_until(self) -> None:
        with pytest.raises(ValidationError) as error:
            AuditQuery(since=dt.date(2020, 6, 2), until=dt.date(2020, 6, 1))
        assert error.value.errors()[0]["loc"] == ("until",)

    def test_one_day_is_a_valid_range(self) -> None:
        day = dt.date(2020, 6, 1)
        assert AuditQuery(since=day, until=day).until == day


class TestReading:
    def test_get_one_entry_or_not_found(self, session: Session) -> None:
        row = entry(session)
        assert queries.get(session, row.id).id == row.id
        with pytest.raises(NotFound):
            queries.get(session, row.id + 1000)

    def test_history_is_one_records_entries_newest_first(self, session: Session) -> None:
        first = entry(session, record_type="forum", record_id=3, action="create")
        second = entry(session, record_type="forum", record_id=3, action="update")
        entry(session, record_type="forum", record_id=4)
        page = queries.history(session, "forum", 3, limit=10)
        assert ids(page) == [second.id, first.id]

    def test_credentials_are_never_shown_even_if_logged(self, session: Session) -> None:
        row = entry(
            session,
            record_type="user",
            changes={
                "password_hash": ["$argon2$a", "$argon2$b"],
                "token_hash": [None, "ff"],
                "role": ["viewer", "admin"],
            },
        )
        shown = queries.field_changes(row)
        assert [(c.field, c.before, c.after) for c in shown] == [("role", "viewer", "admin")]
        assert queries.AuditEntryRead.of(row).changes == {"role": ["viewer", "admin"]}

    def test_record_labels_give_titles_and_state_one_query_per_type(self, session: Session) -> None:
        collaboration = make_collaboration(session, name="Bansos")
        forum = make_forum(session, collaboration, name="Forum  data\nbansos")
        gone = make_forum(session, collaboration, name="Old forum", deleted_at=dt.datetime.now(UTC))
        labels = queries.record_labels(
            session,
            [
                ("forum", forum.id),
                ("forum", gone.id),
                ("collaboration", collaboration.id),
                ("forum", 999_999),
                ("no_such_type", 1),
                ("forum", None),
            ],
        )
        assert labels == {
            ("forum", forum.id): queries.RecordLabel("Forum data bansos", deleted=False),
            ("forum", gone.id): queries.RecordLabel("Old forum", deleted=True),
            ("collaboration", collaboration.id): queries.RecordLabel("Bansos", deleted=False),
        }

    def test_last_deletion_is_the_latest_delete_entry(self, session: Session) -> None:
        entry(session, action="delete", record_type="forum", record_id=5, actor="alice")
        entry(session, action="restore", record_type="forum", record_id=5, actor="bob")
        latest = entry(session, action="delete", record_type="forum", record_id=5, actor="carol")
        found = queries.last_deletions(session, [("forum", 5), ("meeting", 5)])
        assert list(found) == [("forum", 5)]
        assert found[("forum", 5)].id == latest.id


class TestRecordTypes:
    def test_every_record_model_is_known_so_none_is_missing_from_the_trash(self) -> None:
        from governance import models
        from governance.base import Record
        from governance.record_types import RECORD_TYPES, TRASH_TYPES

        record_models = {
            member.record_type
            for member in vars(models).values()
            if isinstance(member, type) and issubclass(member, Record) and member is not Record
        }
        assert record_models <= set(RECORD_TYPES)
        assert set(TRASH_TYPES) == record_models - {"user"}
