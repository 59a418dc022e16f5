"""The network's figures quarter by quarter."""

from __future__ import annotations

import pytest

from governance.cases.snapshot import CaseData
from governance.network.graph import (
    ALL_LAYERS,
    Layer,
    Window,
    arc_graph,
    build_network,
    restrict,
    tie_graph,
)
from governance.network.metrics import network_figures
from governance.network.series import (
    MAX_QUARTERS,
    Quarter,
    activity_span,
    quarterly_series,
    quarters,
)
from governance.vocab import Sector, Valence
from tests.network.cases import commitment, day, make_case, meeting, random_case, trust


class TestQuarters:
    def test_spans_the_quarters_holding_both_ends(self) -> None:
        found = quarters(day("2020-05-05"), day("2021-01-01"))

        assert [(q.label, q.start, q.end) for q in found] == [
            ("2020-Q2", day("2020-04-01"), day("2020-06-30")),
            ("2020-Q3", day("2020-07-01"), day("2020-09-30")),
            ("2020-Q4", day("2020-10-01"), day("2020-12-31")),
            ("2021-Q1", day("2021-01-01"), day("2021-03-31")),
        ]

    def test_the_last_quarter_of_the_calendar_ends(self) -> None:
        assert Quarter(9999, 4).end == day("9999-12-31")

    @pytest.mark.parametrize(
        ("start", "end", "message"),
        [("2021-01-01", "2020-01-01", "cannot end"), ("1900-01-01", "2020-01-01", "at most")],
    )
    def test_refuses_impossible_spans(self, start: str, end: str, message: str) -> None:
        assert MAX_QUARTERS < (2020 - 1900) * 4
        with pytest.raises(ValueError, match=message):
            quarters(day(start), day(end))


class TestQuarterlySeries:
    def case(self) -> CaseData:
        return make_case(
            meetings=[
                meeting(1, "2020-05-01", [1, 2, 3]),
                meeting(2, "2020-11-01", [1, 2]),
            ],
            commitments=[commitment(1, 1, 2, "2020-05-01"), commitment(2, 2, 1, "2020-11-10")],
            trust_events=[trust(1, 3, 1, "2019-01-01", Valence.POSITIVE, 2)],
        )

    def test_each_quarter_is_its_own_snapshot(self) -> None:
        series = quarterly_series(
            self.case(), ALL_LAYERS, start=day("2020-04-01"), end=day("2020-12-31")
        )

        assert [(s.quarter.label, s.figures.nodes, s.figures.ties) for s in series] == [
            ("2020-Q2", 3, 3),
            ("2020-Q3", 0, 0),
            ("2020-Q4", 2, 1),
        ]
        assert series[2].figures.reciprocity == 1.0
        assert series[2].figures.density == 1.0
        assert series[0].figures.communities is None

    def test_filters_apply_to_every_quarter(self) -> None:
        series = quarterly_series(
            self.case(),
            [Layer.COMMITMENTS],
            start=day("2020-04-01"),
            end=day("2020-12-31"),
            sectors=[Sector.CIVIL_SOCIETY],
            min_weight=2,
        )

        assert [s.figures.arcs for s in series] == [0, 0, 0]
        assert [s.figures.nodes for s in series] == [2, 0, 2]

    def test_activity_span_starts_with_the_collaboration_not_its_prehistory(self) -> None:
        assert activity_span(self.case()) == (day("2020-01-01"), day("2020-11-10"))
        assert activity_span(make_case()) is None

    @pytest.mark.parametrize("seed", [11, 12, 13])
    @pytest.mark.parametrize(
        ("layers", "sectors", "min_weight"),
        [
            (ALL_LAYERS, None, 0),
            ((Layer.CO_ATTENDANCE, Layer.TRUST), None, 0),
            (ALL_LAYERS, frozenset({Sector.GOVERNMENT, Sector.COMMUNITY}), 0),
            (ALL_LAYERS, None, 2),
            (ALL_LAYERS, None, 1),
            (ALL_LAYERS, None, 0.5),
            ((Layer.CO_ATTENDANCE,), frozenset({Sector.CIVIL_SOCIETY, Sector.COMMUNITY}), 2),
            ((Layer.RELATIONSHIPS,), None, 2),
            ((Layer.COMMITMENTS, Layer.TRUST), frozenset({Sector.GOVERNMENT}), 1.5),
        ],
    )
    def test_each_quarter_has_the_figures_of_its_whole_network(
        self,
        seed: int,
        layers: tuple[Layer, ...],
        sectors: frozenset[Sector] | None,
        min_weight: float,
    ) -> None:
        """The series counts rows sorted into quarters; the figures are those of the
        quarter's network built, restricted and collapsed the long way."""
        case = random_case(seed)

        series = quarterly_series(
            case,
            layers,
            start=day("2020-01-01"),
            end=day("2022-12-31"),
            sectors=sectors,
            min_weight=min_weight,
        )

        expected = []
        for quarter in quarters(day("2020-01-01"), day("2022-12-31")):
            window = Window.period(quarter.start, quarter.end)
            network = restrict(
                build_network(case, layers, window), sectors=sectors, min_weight=min_weight
            )
            expected.append(network_figures(tie_graph(network), arc_graph(network)))
        assert [item.figures for item in series] == expected
        assert sum(figures.nodes for figures in expected) > 0

    def test_refuses_no_layer(self) -> None:
        with pytest.raises(ValueError, match="at least one layer"):
            quarterly_series(self.case(), [], start=day("2020-04-01"), end=day("2020-12-31"))
