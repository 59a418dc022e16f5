"""The network service: the demo's story, the data revision and the cache."""

from __future__ import annotations

import datetime as dt
import doctest
import gc
import sys
from collections.abc import Iterator

import networkx as nx
import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from governance.audit.service import Actor
from governance.base import utcnow
from governance.cases.snapshot import CaseData
from governance.demo.loader import load_demo
from governance.errors import Invalid, NotFound
from governance.models import Attendance, Meeting, Stakeholder, TrustEvent
from governance.network import service
from governance.network.graph import Layer, Window
from governance.network.metrics import with_distances
from governance.network.schemas import NetworkQuery
from governance.network.service import NetworkRequest
from governance.trust import service as trust_service
from governance.trust.schemas import TrustEventCreate
from governance.vocab import Sector, TrustEventKind, TrustForm, Valence
from tests.factories import (
    make_collaboration,
    make_forum,
    make_meeting,
    make_participation,
    make_stakeholder,
)
from tests.network.cases import random_case


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    service.clear_cache()
    yield
    service.clear_cache()


def demo(session: Session) -> tuple[int, CaseData, dict[str, int]]:
    """The demo case, its rows, and stakeholder ids by a short name."""
    collaboration_id = load_demo(session).collaboration_id
    assert collaboration_id is not None
    _, case = service.case_data(session, collaboration_id)
    names = {
        "dinsos": "Dinas Sosial DKI Jakarta",
        "pemprov": "Pemerintah Provinsi DKI Jakarta",
        "kemensos": "Kementerian Sosial RI",
        "sudinsos": "Suku Dinas Sosial Jakarta Utara",
        "kelurahan": "Kelurahan Kampung Melayu",
        "hendra": "Hendra Kusuma",
        "spri": "SPRI DKI Jakarta",
        "koalisi": "Koalisi Pemantau Bansos",
        "rw05": "Warga RW 05 Kampung Melayu",
        "cilincing": "Warga Cilincing",
        "tanahmerah": "Kelompok Ibu-ibu Tanah Merah",
    }
    by_name = {row.name: row.id for row in case.stakeholders.values()}
    return collaboration_id, case, {short: by_name[name] for short, name in names.items()}


def as_of(iso: str, *layers: Layer) -> NetworkRequest:
    return NetworkRequest(layers=layers, window=Window.as_of(dt.date.fromisoformat(iso)))


class TestDemoStory:
    def test_the_coalition_and_spri_sit_between_the_residents_and_the_government(
        self, session: Session
    ) -> None:
        collaboration_id, _, ids = demo(session)

        result = service.network(
            session,
            collaboration_id=collaboration_id,
            request=as_of("2022-06-30", Layer.CO_ATTENDANCE),
        )

        between = {n: m.betweenness for n, m in result.metrics.items()}
        ranking = sorted(between, key=lambda n: -between[n])
        assert set(ranking[:2]) == {ids["spri"], ids["koalisi"]}
        assert between[ids["spri"]] == between[ids["koalisi"]] == pytest.approx(0.2243, abs=1e-4)
        assert ranking[2] == ids["dinsos"]
        assert between[ids["dinsos"]] == pytest.approx(0.0381, abs=1e-4)
        for group in ("rw05", "cilincing", "tanahmerah"):
            assert between[ids[group]] == 0.0
        # The residents reach the agencies they never sat with through SPRI or the coalition.
        lengths = with_distances(result.ties)
        for group in ("rw05", "cilincing"):
            for agency in ("kemensos", "sudinsos", "kelurahan"):
                paths = list(
                    nx.all_shortest_paths(lengths, ids[group], ids[agency], weight="distance")
                )
                assert {path[1] for path in paths} == {ids["spri"], ids["koalisi"]}
                assert all(len(path) == 3 for path in paths)

    def test_the_facilitator_is_the_broker_between_the_two_sides(self, session: Session) -> None:
        collaboration_id, case, ids = demo(session)
        government = {i for i, row in case.stakeholders.items() if row.sector is Sector.GOVERNMENT}

        before = service.network(
            session,
            collaboration_id=collaboration_id,
            request=as_of("2020-12-31", Layer.RELATIONSHIPS),
        )
        after = service.network(
            session,
            collaboration_id=collaboration_id,
            request=as_of("2021-06-30", Layer.RELATIONSHIPS),
        )

        # Between the end of the early conflict and the data-sharing agreement, the
        # declared ties of government and civil society meet only in Hendra Kusuma.
        hendra = before.metrics[ids["hendra"]]
        assert hendra.betweenness == pytest.approx(0.4167, abs=1e-4)
        assert hendra.betweenness == max(before.metrics[g].betweenness for g in government)
        assert hendra.effective_size == 2.0
        without = before.ties.copy()
        without.remove_node(ids["hendra"])
        assert not any(nx.has_path(without, g, ids["spri"]) for g in government - {ids["hendra"]})
        # Once Dinas Sosial shares data with the coalition the bridge is institutional.
        assert after.metrics[ids["hendra"]].betweenness == pytest.approx(0.05, abs=1e-4)
        assert after.ties.has_edge(ids["dinsos"], ids["koalisi"])

    def test_a_stakeholder_keeps_its_place_between_dates_and_layers(self, session: Session) -> None:
        collaboration_id, _, ids = demo(session)

        early = service.network(
            session,
            collaboration_id=collaboration_id,
            request=as_of("2020-06-30", Layer.RELATIONSHIPS),
        )
        late = service.network(
            session,
            collaboration_id=collaboration_id,
            request=as_of("2022-06-30", Layer.CO_ATTENDANCE, Layer.TRUST),
        )

        for name in ("hendra", "spri", "dinsos"):
            assert early.positions[ids[name]] == late.positions[ids[name]]

    def test_the_series_runs_from_the_start_to_the_last_activity(self, session: Session) -> None:
        collaboration_id, _, _ = demo(session)

        series = service.series(
            session, collaboration_id=collaboration_id, query=NetworkQuery(layers="co_attendance")
        )

        # From the collaboration's start (2020-05-05) to the last commitment (2022-06-14).
        labels = [q.quarter for q in series.quarters]
        assert (labels[0], labels[-1], len(labels)) == ("2020-Q2", "2022-Q2", 9)
        figures = {q.quarter: q.figures for q in series.quarters}
        # Three meetings in 2020-Q2 (k1, f1, f2) bring 12 stakeholders together.
        assert (figures["2020-Q2"].nodes, figures["2020-Q2"].ties) == (12, 64)
        # 2021-Q4 held only the December forum meeting: the thinnest quarter.
        assert min(f.ties for f in figures.values()) == figures["2021-Q4"].ties == 36


def add_trust_event(session: Session, collaboration_id: int, actor: int, target: int) -> None:
    session.add(
        TrustEvent(
            collaboration_id=collaboration_id,
            occurred_on=dt.date(2020, 6, 1),
            actor_id=actor,
            target_id=target,
            kind=TrustEventKind.JOINT_ACTION,
            trust_form=TrustForm.RATIONAL,
            valence=Valence.POSITIVE,
            severity=2,
            description="Joint visit",
        )
    )
    session.flush()


class TestDataRevision:
    def small_case(self, session: Session) -> tuple[int, Stakeholder, Stakeholder, Meeting]:
        collaboration = make_collaboration(session)
        first = make_stakeholder(session, name="Dinas Sosial", sector=Sector.GOVERNMENT)
        second = make_stakeholder(session, name="SPRI")
        make_participation(session, collaboration, first)
        make_participation(session, collaboration, second)
        forum = make_forum(session, collaboration)
        held = make_meeting(session, forum)
        session.add_all(
            [
                Attendance(meeting_id=held.id, stakeholder_id=first.id, attended=True),
                Attendance(meeting_id=held.id, stakeholder_id=second.id, attended=True),
            ]
        )
        session.flush()
        return collaboration.id, first, second, held

    def test_is_the_same_while_nothing_changes(self, session: Session) -> None:
        collaboration_id, *_ = self.small_case(session)

        assert service.data_revision(session, collaboration_id) == service.data_revision(
            session, collaboration_id
        )

    @pytest.mark.parametrize("change", ["trust event", "rename", "absent", "delete meeting"])
    def test_moves_on_with_every_change_the_network_reads(
        self, session: Session, change: str
    ) -> None:
        collaboration_id, first, second, held = self.small_case(session)
        before = service.data_revision(session, collaboration_id)

        if change == "trust event":
            add_trust_event(session, collaboration_id, first.id, second.id)
        elif change == "rename":
            second.name = "SPRI DKI Jakarta"
        elif change == "absent":
            session.query(Attendance).filter_by(stakeholder_id=second.id).update(
                {"attended": False}
            )
        else:
            held.deleted_at = utcnow()
        session.flush()

        assert service.data_revision(session, collaboration_id) != before

    def test_the_network_is_cached_until_the_data_change(self, session: Session) -> None:
        collaboration_id, _, second, _ = self.small_case(session)
        request = NetworkRequest(window=Window.as_of(dt.date(2030, 1, 1)))

        cold = service.network(session, collaboration_id=collaboration_id, request=request)
        warm = service.network(session, collaboration_id=collaboration_id, request=request)
        second.name = "SPRI DKI Jakarta"
        session.flush()
        changed = service.network(session, collaboration_id=collaboration_id, request=request)

        assert warm is cold
        assert changed is not cold
        assert changed.network.nodes[second.id]["name"] == "SPRI DKI Jakarta"
        assert service.drawing(changed) is service.drawing(changed)
        assert service.read(changed) is service.read(changed)
        assert service.read(changed) is not service.read(cold)

    def test_an_unknown_or_deleted_collaboration_is_not_found(self, session: Session) -> None:
        collaboration = make_collaboration(session)
        collaboration.deleted_at = utcnow()
        session.flush()

        with pytest.raises(NotFound, match="not found"):
            service.data_revision(session, 2**31 - 1)
        with pytest.raises(NotFound, match="deleted"):
            service.data_revision(session, collaboration.id)


class TestRequestFrom:
    def test_defaults_to_every_layer_as_of_today(self) -> None:
        request = service.request_from(NetworkQuery(), today=dt.date(2024, 1, 31))

        assert request == NetworkRequest(window=Window.as_of(dt.date(2024, 1, 31)))

    def test_reads_layers_period_and_filters(self) -> None:
        query = NetworkQuery(
            layers="trust, co_attendance",
            start=dt.date(2021, 1, 1),
            end=dt.date(2021, 3, 31),
            sectors="community,government",
            min_weight=2,
        )

        request = service.request_from(query)

        assert request == NetworkRequest(
            layers=(Layer.CO_ATTENDANCE, Layer.TRUST),
            window=Window.period(dt.date(2021, 1, 1), dt.date(2021, 3, 31)),
            sectors=frozenset({Sector.COMMUNITY, Sector.GOVERNMENT}),
            min_weight=2,
        )

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"as_of": "2021-01-01", "start": "2020-01-01", "end": "2020-02-01"}, "as_of"),
            ({"start": "2020-01-01"}, "end"),
            ({"end": "2020-01-01"}, "start"),
            ({"start": "2020-02-01", "end": "2020-01-01"}, "end"),
        ],
    )
    def test_refuses_impossible_dates_naming_the_field(
        self, fields: dict[str, str], field: str
    ) -> None:
        with pytest.raises(Invalid) as caught:
            service.request_from(NetworkQuery.model_validate(fields))

        assert list(caught.value.errors) == [field]


class TestSeriesCache:
    def test_is_computed_once_per_data_revision_and_query(self, session: Session) -> None:
        collaboration_id, *_ = TestDataRevision().small_case(session)
        query = NetworkQuery(as_of=dt.date(2030, 1, 1))

        first = service.series(session, collaboration_id=collaboration_id, query=query)
        again = service.series(session, collaboration_id=collaboration_id, query=query)
        other = service.series(
            session, collaboration_id=collaboration_id, query=NetworkQuery(layers="trust")
        )

        assert again is first
        assert other is not first
        assert other.layers == [Layer.TRUST]

    def test_a_write_through_the_service_gives_a_new_series(self, session: Session) -> None:
        collaboration_id, first, second, held = TestDataRevision().small_case(session)
        query = NetworkQuery(layers="trust", start=held.starts_at.date(), end=dt.date(2030, 1, 1))
        before = service.series(session, collaboration_id=collaboration_id, query=query)

        trust_service.create(
            session,
            data=TrustEventCreate(
                collaboration_id=collaboration_id,
                occurred_on=held.starts_at.date(),
                actor_id=first.id,
                target_id=second.id,
                kind=TrustEventKind.JOINT_ACTION,
                trust_form=TrustForm.RATIONAL,
                valence=Valence.POSITIVE,
            ),
            actor=Actor("tester"),
        )
        after = service.series(session, collaboration_id=collaboration_id, query=query)

        assert after is not before
        assert before.quarters[0].figures.ties == 0
        assert after.quarters[0].figures.ties == 1
        assert service.series(session, collaboration_id=collaboration_id, query=query) is after


class TestRevisionOf:
    """The collaboration's fingerprint is taken again only when the database's has moved."""

    def counted(self, monkeypatch: pytest.MonkeyPatch) -> list[int]:
        taken: list[int] = []
        real = service.data_revision

        def counting(session: Session, collaboration_id: int) -> service.Revision:
            taken.append(collaboration_id)
            return real(session, collaboration_id)

        monkeypatch.setattr(service, "data_revision", counting)
        return taken

    def test_is_reused_while_the_database_does_not_change(
        self, session: Session, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        collaboration_id, *_ = TestDataRevision().small_case(session)
        taken = self.counted(monkeypatch)

        first = service.revision_of(session, collaboration_id)
        again = service.revision_of(session, collaboration_id)

        assert first == again == service.data_revision(session, collaboration_id)
        assert taken == [collaboration_id, collaboration_id]  # once by revision_of, once here

    def test_is_taken_again_after_a_write_and_the_network_follows(
        self, session: Session, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        collaboration_id, first, second, _ = TestDataRevision().small_case(session)
        request = NetworkRequest(window=Window.as_of(dt.date(2030, 1, 1)))
        before = service.network(session, collaboration_id=collaboration_id, request=request)
        taken = self.counted(monkeypatch)

        add_trust_event(session, collaboration_id, first.id, second.id)
        after = service.network(session, collaboration_id=collaboration_id, request=request)

        assert taken == [collaboration_id]
        assert after.revision != before.revision
        assert after.network.has_edge(first.id, second.id, key="trust")
        assert not before.network.has_edge(first.id, second.id, key="trust")


class TestSeriesAfterTheNetwork:
    def test_reuses_the_network_s_revision_without_querying_again(self, session: Session) -> None:
        collaboration_id, *_ = TestDataRevision().small_case(session)
        query = NetworkQuery(as_of=dt.date(2030, 1, 1))
        result = service.network(
            session, collaboration_id=collaboration_id, request=service.request_from(query)
        )
        statements: list[str] = []

        def count(*args: object) -> None:
            statements.append(str(args[2]))

        engine = session.get_bind().engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            reused = service.series(
                session, collaboration_id=collaboration_id, query=query, revision=result.revision
            )
        finally:
            event.remove(engine, "before_cursor_execute", count)

        assert result.revision == service.data_revision(session, collaboration_id)
        assert [s for s in statements if not s.startswith(("SAVEPOINT", "RELEASE"))] == []
        assert service.series(session, collaboration_id=collaboration_id, query=query) is reused
        assert reused.quarters[0].figures.ties == 1


class TestCollectorPause:
    def test_holds_the_collector_off_until_the_last_computation_ends(self) -> None:
        assert gc.isenabled()

        with service.collector_paused():
            assert not gc.isenabled()
            with service.collector_paused():
                assert not gc.isenabled()
            assert not gc.isenabled()

        assert gc.isenabled()

    def test_leaves_a_collector_that_was_off_off(self) -> None:
        gc.disable()
        try:
            with service.collector_paused():
                assert not gc.isenabled()
            assert not gc.isenabled()
        finally:
            gc.enable()

    def test_resumes_when_the_computation_fails(self) -> None:
        with pytest.raises(RuntimeError), service.collector_paused():
            raise RuntimeError("boom")

        assert gc.isenabled()


class TestDrawingStore:
    """Drawings share one least-recently-used store bounded in bytes (issue 5)."""

    @staticmethod
    def svg(mark: str, length: int = 1000) -> str:
        return mark * length

    def test_keeps_the_most_recent_drawings_within_the_budget(self) -> None:
        one = sys.getsizeof(self.svg("a"))
        store = service.DrawingStore(budget=3 * one)

        for mark in "abcde":
            store.put(mark, self.svg(mark))

        assert store.used == 3 * one <= store.budget
        assert [store.get(mark) is not None for mark in "abcde"] == [
            False,
            False,
            True,
            True,
            True,
        ]
        assert store.get("e") == self.svg("e")

    def test_a_drawing_read_again_outlives_older_ones(self) -> None:
        one = sys.getsizeof(self.svg("a"))
        store = service.DrawingStore(budget=2 * one)
        store.put("a", self.svg("a"))
        store.put("b", self.svg("b"))

        assert store.get("a") is not None
        store.put("c", self.svg("c"))

        assert store.get("a") == self.svg("a")
        assert store.get("b") is None
        assert len(store) == 2

    def test_replacing_a_drawing_counts_its_size_once(self) -> None:
        store = service.DrawingStore(budget=10**6)
        store.put("a", self.svg("a", 100))
        store.put("a", self.svg("a", 300))

        assert len(store) == 1
        assert store.used == sys.getsizeof(self.svg("a", 300))

    def test_a_drawing_larger_than_the_budget_is_not_kept(self) -> None:
        small = self.svg("s", 10)
        store = service.DrawingStore(budget=sys.getsizeof(self.svg("x", 500)))
        store.put("small", small)

        store.put("huge", self.svg("h", 1000))

        assert store.get("huge") is None
        assert store.get("small") == small
        assert store.used == sys.getsizeof(small)

    def test_its_examples_hold(self) -> None:
        result = doctest.testmod(service, optionflags=doctest.ELLIPSIS)

        assert (result.failed, result.attempted > 0) == (0, True)


class TestDrawingsOfManyNetworks:
    def test_stay_within_the_budget_and_the_latest_is_served_from_the_cache(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        case = random_case(seed=5)
        positions = service.union_layout(case)
        latest, earlier = (
            NetworkRequest(window=Window.as_of(dt.date(year, 12, 31))) for year in (2022, 2021)
        )
        requests = [latest, latest, earlier]
        sizes = [
            sys.getsizeof(service.drawing(service.compute(case, request, positions)))
            for request in requests
        ]
        # Room for the last two drawings exactly: the third pushes out the least recent one.
        store = service.DrawingStore(budget=sizes[1] + sizes[2])
        monkeypatch.setattr(service, "_drawings", store)
        results = [service.compute(case, request, positions) for request in requests]

        drawn = [service.drawing(result) for result in results]

        assert store.used <= store.budget
        assert len(store) == 2
        # The two equal networks are still told apart: each has its own drawings.
        assert drawn[0] == drawn[1]
        assert drawn[0] is not drawn[1]
        assert service.drawing(results[2]) is drawn[2]
        assert service.drawing(results[1]) is drawn[1]
        redrawn = service.drawing(results[0])
        assert redrawn == drawn[0]
        assert redrawn is not drawn[0]
        assert store.used <= store.budget

    def test_the_default_budget_holds_the_recent_drawings_of_a_large_network(self) -> None:
        # A 2,000-stakeholder drawing is about 1.3 MB: the budget keeps some 24 of them.
        assert service.DRAWINGS_BUDGET_BYTES >= 16 * 1_300_000
        assert service.DRAWINGS_BUDGET_BYTES <= 64 * 2**20
