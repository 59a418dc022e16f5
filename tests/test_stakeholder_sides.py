"""The two stakeholder aliases each thread keeps for queries that name two stakeholders."""

from __future__ import annotations

import threading

from governance.stakeholders.sides import two_sides


class TestTwoSides:
    def test_a_thread_gets_the_same_two_distinct_aliases_each_time(self) -> None:
        one, other = two_sides()

        again = two_sides()

        assert one is not other
        assert (again[0] is one, again[1] is other) == (True, True)

    def test_another_thread_gets_its_own(self) -> None:
        here = two_sides()
        there: list[tuple[object, object]] = []

        worker = threading.Thread(target=lambda: there.append(two_sides()))
        worker.start()
        worker.join()

        assert there[0][0] is not here[0]
        assert there[0][1] is not here[1]
