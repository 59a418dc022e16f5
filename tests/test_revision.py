"""Derived views cached per data revision: reused until any write, then computed afresh."""

from __future__ import annotations

from sqlalchemy.orm import Session

from governance import revision
from governance.audit.service import Actor
from governance.revision import RevisionCache, data_revision
from governance.stakeholders import service as stakeholder_service
from governance.stakeholders.schemas import StakeholderPatch
from tests.factories import make_collaboration, make_forum, make_meeting, make_stakeholder


class TestDataRevision:
    def test_stays_the_same_while_nothing_is_written(self, session: Session) -> None:
        make_collaboration(session)
        assert data_revision(session) == data_revision(session)

    def test_moves_with_a_row_added_even_without_an_audit_entry(self, session: Session) -> None:
        forum = make_forum(session, make_collaboration(session))
        before = data_revision(session)
        make_meeting(session, forum)
        assert data_revision(session) != before

    def test_moves_with_an_update_through_a_service(self, session: Session) -> None:
        stakeholder = make_stakeholder(session)
        before = data_revision(session)
        stakeholder_service.update(
            session,
            record=stakeholder,
            data=StakeholderPatch(version=stakeholder.version, description="Changed"),
            actor=Actor("test"),
        )
        session.flush()
        assert data_revision(session) != before


class TestRevisionCache:
    def test_computes_once_per_revision_and_key(self, session: Session) -> None:
        make_collaboration(session)
        cache: RevisionCache[str, int] = RevisionCache(4)
        calls: list[str] = []

        def compute(key: str) -> int:
            calls.append(key)
            return len(calls)

        assert cache.get_or_compute(session, "a", lambda: compute("a")) == 1
        assert cache.get_or_compute(session, "a", lambda: compute("a")) == 1
        assert cache.get_or_compute(session, "b", lambda: compute("b")) == 2
        make_stakeholder(session, name="Someone new")
        assert cache.get_or_compute(session, "a", lambda: compute("a")) == 3
        assert calls == ["a", "b", "a"]

    def test_keeps_only_the_most_recent_answers(self, session: Session) -> None:
        make_collaboration(session)
        cache: RevisionCache[int, int] = RevisionCache(2)
        calls: list[int] = []

        def computing(key: int) -> int:
            calls.append(key)
            return key

        for key in (1, 2, 3, 1):
            cache.get_or_compute(session, key, lambda key=key: computing(key))  # type: ignore[misc]
        assert calls == [1, 2, 3, 1]

    def test_clear_caches_forgets_every_answer(self, session: Session) -> None:
        make_collaboration(session)
        cache: RevisionCache[str, int] = RevisionCache(4)
        cache.get_or_compute(session, "a", lambda: 1)
        revision.clear_caches()
        assert cache.get_or_compute(session, "a", lambda: 2) == 2
