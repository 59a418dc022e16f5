"""The diagnosis' sentences as message ids with typed parameters: English as the API has
always said them, and every one of them translated into Indonesian."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from babel.messages.catalog import Catalog

from api.i18n import load_languages, read_catalog
from api.pages.diagnosis import wording_for
from governance.diagnosis import cycle, lifecycle, warning_signs
from governance.diagnosis.diagnose import BOTTLENECK_RULES, COMPONENT_NAMES, PHASES
from governance.diagnosis.indicator import SPECS, Indicator, Window
from governance.diagnosis.messages import (
    LIST,
    N_,
    Joined,
    Message,
    day,
    label,
    number,
    share,
    text,
)
from governance.diagnosis.thresholds import Thresholds, describe
from governance.report.wording import (
    AGREEMENT_REASONS,
    LIFECYCLE_NAMES,
    SCOPE_NAMES,
    VERDICT_NAMES,
    WARNING_TITLES,
    Wording,
)
from tests.pages.test_i18n import extracted

AS_OF = dt.date(2022, 6, 30)


@pytest.fixture(scope="module")
def indonesian() -> Catalog:
    return read_catalog("id")


@pytest.fixture(scope="module")
def say_id() -> Wording:
    return wording_for(load_languages()["id"])


def translated(catalog: Catalog, message_id: str) -> bool:
    entry = catalog.get(message_id)
    return entry is not None and bool(entry.string) and not entry.fuzzy


def message_ids(message: Message) -> Iterator[str]:
    """Every message id a message says, its nested messages' too (not the bare list)."""
    if message.message_id != LIST:
        yield message.message_id
    for value in message.params.values():
        if isinstance(value, Message):
            yield from message_ids(value)
        elif isinstance(value, Joined):
            for item in value.items:
                yield from message_ids(item)


class TestMessage:
    def test_says_english_as_python_formats_it(self) -> None:
        said = text(
            N_("%(share)s, %(balance)s, %(limit)s, %(gini)s on %(on)s: %(sector)s, %(count)s"),
            share=share(2 / 3),
            balance=number(0.8275, 2, signed=True),
            limit=number(0.0, signed=True),
            gini=number(0.31068, 2),
            on=day(dt.date(2021, 6, 15)),
            sector=label("sector", "civil_society"),
            count=1234,
        )

        assert str(said) == "67%, +0.83, +0, 0.31 on 2021-06-15: civil society, 1234"

    def test_each_language_writes_the_parameters_its_way(self, say_id: Wording) -> None:
        said = text(
            N_("%(share)s, %(balance)s, %(gini)s on %(on)s: %(sector)s, %(count)s"),
            share=share(2 / 3),
            balance=number(0.8275, 2, signed=True),
            gini=number(0.31068, 2),
            on=day(dt.date(2021, 6, 15)),
            sector=label("sector", "civil_society"),
            count=1234,
        )

        assert Wording().text(said) == "67%, +0.83, 0.31 on Jun 15, 2021: civil society, 1,234"
        assert say_id.text(said) == "67%, +0,83, 0,31 on 15 Jun 2021: Masyarakat sipil, 1.234"

    def test_survives_json_unchanged(self) -> None:
        inner = text(N_("the last was on %(date)s"), date=day(AS_OF))
        said = text(N_("No small win (%(since)s)"), since=inner, days=number(180))

        again = Message.model_validate_json(said.model_dump_json())

        assert again == said
        assert str(again) == "No small win (the last was on 2022-06-30)"

    def test_a_list_is_its_items_in_a_row(self) -> None:
        from governance.diagnosis.messages import all_of

        one = text(N_("no final outcome measured"))
        both = all_of([one, text(N_("no formalising decision recorded"))])

        assert all_of([one]) is one
        assert str(both) == "no final outcome measured; no formalising decision recorded"
        assert list(message_ids(both)) == [
            "no final outcome measured",
            "no formalising decision recorded",
        ]


# --- Every text of the diagnosis and the report has its Indonesian translation -------------


def fixed_texts() -> dict[str, str]:
    """Every fixed text the diagnosis and the report show, named by what it is."""
    found: dict[str, str] = {}
    for key, spec in SPECS.items():
        found |= {
            f"indicator {key}: label": spec.label,
            f"indicator {key}: formula": spec.formula,
            f"indicator {key}: source": spec.source_id,
        }
    found |= {f"phase P{number}": name for number, name in PHASES.items()}
    found |= {f"component {key}": name for key, name in COMPONENT_NAMES.items()}
    found |= {f"bottleneck rule {key}": why for key, why in BOTTLENECK_RULES.items()}
    found |= {f"warning title {key}": title for key, title in WARNING_TITLES.items()}
    found |= {f"life cycle {status}": name for status, name in LIFECYCLE_NAMES.items()}
    found |= {f"verdict {verdict}": name for verdict, name in VERDICT_NAMES.items()}
    found |= {f"scope {scope}": name for scope, name in SCOPE_NAMES.items()}
    found |= {f"threshold {name}": describe(name) for name in Thresholds.names()}
    found |= {f"agreement reason {i}": reason for i, reason in enumerate(AGREEMENT_REASONS)}
    found |= {"life-cycle rules": lifecycle.RULES, "cycle rule": cycle.RULE}
    return found


class TestEveryTextIsTranslated:
    def test_every_fixed_text(self, indonesian: Catalog) -> None:
        texts = fixed_texts()

        missing = sorted(name for name, said in texts.items() if not translated(indonesian, said))

        assert len(texts) > 130
        assert not missing, f"no Indonesian translation for: {missing}"

    def test_every_message_the_domain_marks_is_extracted_and_translated(
        self, indonesian: Catalog
    ) -> None:
        marked = {
            msgid: where
            for msgid, where in extracted().items()
            if any(w.startswith(("governance/diagnosis/", "governance/report/")) for w in where)
        }

        missing = sorted(m for m in marked if not translated(indonesian, m))

        assert len(marked) > 200
        assert set(fixed_texts().values()) <= set(marked)
        assert not missing, f"no Indonesian translation for: {missing}"

    def test_every_warning_sign_speaks_indonesian(
        self, indonesian: Catalog, say_id: Wording
    ) -> None:
        signs = every_warning_sign()

        assert {sign.key for sign in signs} == set(WARNING_TITLES)
        for sign in signs:
            missing = [m for m in message_ids(sign.text) if not translated(indonesian, m)]
            assert not missing, f"{sign.key}: no Indonesian translation for {missing}"
            assert say_id.text(sign.text) != sign.message


# --- A context in which every warning sign shows, in each of its forms ---------------------


def measured(key: str, value: float, part: str | None = None, **detail: Any) -> Indicator:
    return SPECS[key].measured(value, part=part, **detail)


def context(**indicators: Indicator) -> warning_signs.Context:
    window = Window.ending(AS_OF, 90)
    before = measured(
        "attendance_share",
        0.5,
        part="community",
        attendances=5,
        total=10,
        joint_share=0.5,
        joint_attendances=5,
        joint_total=10,
        joint_forums=["Forum 1"],
    )
    return warning_signs.Context(
        indicators={i.key: i for i in indicators.values()},
        previous={before.key: before},
        window=window,
        thresholds=Thresholds(),
        first_meeting=dt.date(2020, 5, 5),
    )


def late(owner: str, days: int) -> dict[str, Any]:
    return {"owner": owner, "description": "Open the data", "state": True, "days_overdue": days}


def every_warning_sign() -> list[warning_signs.WarningSign]:
    """Each sign, in each of its wordings, from indicators made to show it."""
    loud = context(
        overdue=measured("overdue_ratio", 0.5, overdue=2, live=4),
        late=measured("median_days_overdue", 40, overdue=[late("Dinsos", 40)]),
        share=measured(
            "attendance_share",
            0.1,
            part="community",
            attendances=1,
            total=10,
            joint_share=0.1,
            joint_attendances=1,
            joint_total=10,
            joint_forums=["Forum 1"],
        ),
        trust=measured("net_trust_balance", -0.4),
        venue=measured("alternative_venue_events", 2, events=[]),
        win=measured("days_since_small_win", 200, last_on="2021-12-12"),
        minutes=measured("minutes_on_time", 0.0, lapsed=[{}, {}]),
        gini=measured("resource_asymmetry", 0.6),
        empowered=measured("empowerment_actions", 0),
        designated=measured("facilitator_designated", 0),
    )
    other = context(
        late=measured("median_days_overdue", 40, overdue=[late("Dinsos", 40), late("Bappeda", 35)]),
        win=SPECS["days_since_small_win"].too_little(N_("no small win recorded")),
        designated=measured("facilitator_designated", 1),
        attendance=measured("facilitator_attendance", 0.25, attended=1, meetings=4, missed=[]),
    )
    signs = [*warning_signs.warnings(loud), *warning_signs.warnings(other)]
    assert len(signs) == 12, [s.key for s in signs]
    return signs
