"""The faster paths of page rendering give what the slower ones gave: templates' gettext,
record links and badges as Python functions, the kept formatted values and fragments."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from babel import dates, numbers
from fastapi import FastAPI
from jinja2 import Environment
from markupsafe import Markup
from starlette.requests import Request

from api import web
from api.i18n import Language, load_languages
from api.pages.meeting_views import MeetingRow
from api.pages.meetings import meeting_table
from governance.vocab import MeetingMode, MeetingStatus

UTC = dt.UTC

#: The macros ``ui.record_link`` and ``ui.badge`` were before they became functions.
FORMER_MACROS = """
{%- macro badge(code, vocabulary) -%}
<span class="badge badge--{{ code }}">{{ code | label(vocabulary) }}</span>
{%- endmacro -%}
{%- macro record_link(record_type, record_id, title) -%}
{%- set href = record_url(record_type, record_id) if record_id else none -%}
{%- if href %}<a href="{{ href }}">{{ title }}</a>{% else %}{{ title }}{% endif -%}
{%- endmacro -%}
"""


@pytest.fixture(scope="module")
def languages() -> dict[str, Language]:
    return load_languages()


@pytest.fixture
def jinja_gettext() -> Environment:
    """The environment with Jinja's own new-style gettext, as it was."""
    environment = web.make_environment()
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        web._gettext, web._ngettext, newstyle=True
    )
    return environment


@pytest.fixture
def links(monkeypatch: pytest.MonkeyPatch) -> None:
    """Records of type "meeting" have pages at /meetings/<id>; "vote" has none."""

    def record_url(record_type: str, record_id: int) -> str | None:
        return f"/meetings/{record_id}" if record_type == "meeting" else None

    monkeypatch.setattr(web, "record_url_in", record_url)


def rendered(environment: Environment, source: str, language: Language, **values: Any) -> str:
    with web.speaking(language):
        return environment.from_string(source).render(values)


class TestTemplateGettext:
    @pytest.mark.parametrize("code", ["en", "id"])
    @pytest.mark.parametrize(
        "source",
        [
            '{{ _("Sign out") }}',
            '{{ gettext("Sign out") }}',
            '{{ _("100%% sure") }}',
            '{{ _("since %(start)s", start=when) }}',
            '{{ _("represented by %(name)s", name=name) }}',
            "{% trans %}Sign out{% endtrans %}",
            "{% trans name=name %}Hello {{ name }}{% endtrans %}",
            '{{ _("%(a)s & %(b)s", a=name, b=when) }}',
        ],
    )
    def test_gives_what_jinjas_own_gave(
        self,
        jinja_gettext: Environment,
        languages: dict[str, Language],
        code: str,
        source: str,
    ) -> None:
        values = {"name": "<b>Dinsos</b> & co", "when": "1 Apr 2020"}
        ours = rendered(web.make_environment(), source, languages[code], **values)

        assert ours == rendered(jinja_gettext, source, languages[code], **values)

    def test_translates_escapes_and_reads_percent_signs(
        self, languages: dict[str, Language]
    ) -> None:
        environment = web.make_environment()

        assert rendered(environment, '{{ _("Sign out") }}', languages["id"]) == "Keluar"
        assert rendered(environment, '{{ _("100%% sure") }}', languages["en"]) == "100% sure"
        assert (
            rendered(
                environment,
                '{{ _("represented by %(name)s", name=name) }}',
                languages["en"],
                name="<i>",
            )
            == "represented by &lt;i&gt;"
        )


class TestRecordLinkAndBadge:
    @pytest.mark.parametrize(
        ("record_type", "record_id", "title"),
        [
            ("meeting", 7, "Rapat <koordinasi> & evaluasi"),
            ("meeting", None, "No id"),
            ("meeting", 0, "Id zero"),
            ("vote", 3, "No page <here>"),
            ("meeting", 8, Markup("<em>Kept</em>")),
        ],
    )
    def test_a_record_link_is_what_the_macro_made(
        self,
        links: None,
        languages: dict[str, Language],
        record_type: str,
        record_id: int | None,
        title: str,
    ) -> None:
        environment = web.make_environment()
        source = FORMER_MACROS + "{{ record_link(t, i, title) }}|{{ ui.record_link(t, i, title) }}"
        environment.globals["ui"] = environment.get_template("macros/ui.html").module
        environment.globals["record_url"] = web.record_url_in

        former, ours = rendered(
            environment, source, languages["en"], t=record_type, i=record_id, title=title
        ).split("|")

        assert ours == former

    def test_a_record_link_links_and_escapes(self, links: None) -> None:
        assert web.record_link("meeting", 7, "A & B") == '<a href="/meetings/7">A &amp; B</a>'
        assert web.record_link("vote", 7, "A & B") == "A &amp; B"

    @pytest.mark.parametrize("code", ["en", "id"])
    @pytest.mark.parametrize("status", ["planned", "held", "cancelled"])
    def test_a_badge_is_what_the_macro_made(
        self, languages: dict[str, Language], code: str, status: str
    ) -> None:
        environment = web.make_environment()
        environment.globals["ui"] = environment.get_template("macros/ui.html").module
        source = FORMER_MACROS + (
            '{{ badge(s, "meeting_status") }}|{{ ui.badge(s, "meeting_status") }}'
        )

        former, ours = rendered(environment, source, languages[code], s=status).split("|")

        assert ours == former
        assert ours.startswith(f'<span class="badge badge--{status}">')


class TestKeptFormats:
    """Formatted values are kept per value: equal values of other types print their own way."""

    @pytest.mark.parametrize("code", ["en", "id"])
    def test_numbers_of_each_type(self, languages: dict[str, Language], code: str) -> None:
        language = languages[code]
        with web.speaking(language):
            for value in (1234, 1234.5, 1234.0, -0.0, 0.0, 0, -7):
                assert web.format_number(value) == numbers.format_decimal(
                    value, locale=language.locale
                ), value
            assert web.format_number(1234, 2) == numbers.format_decimal(
                1234, format="#,##0.00", locale=language.locale
            )

    def test_a_date_and_an_instant_on_the_same_day(self, languages: dict[str, Language]) -> None:
        late_evening_utc = dt.datetime(2020, 3, 31, 20, 0, tzinfo=UTC)  # 1 April in Jakarta
        with web.speaking(languages["en"]):
            assert web.format_date(dt.datetime(2020, 3, 31, tzinfo=UTC)) == "Mar 31, 2020"
            assert web.format_date(dt.date(2020, 3, 31)) == "Mar 31, 2020"
            assert web.format_date(late_evening_utc) == "Apr 1, 2020"
            assert web.format_date(dt.date(2020, 4, 1), "short") == "4/1/20"

    @pytest.mark.parametrize("code", ["en", "id"])
    def test_times_as_babel_writes_them(self, languages: dict[str, Language], code: str) -> None:
        language = languages[code]
        instant = dt.datetime(2021, 3, 1, 2, 30, tzinfo=UTC)
        with web.speaking(language):
            twice = [web.format_datetime(instant) for _ in range(2)]
            time = web.format_time(instant)

        expected_time = dates.format_time(
            instant, "short", tzinfo=language.timezone, locale=language.locale
        )
        assert time == expected_time
        assert twice[0] == twice[1]
        assert expected_time in twice[0]


class TestMeetingTable:
    @pytest.fixture
    def request_(self, app: FastAPI) -> Request:
        return Request(
            {"type": "http", "app": app, "headers": [], "path": "/", "query_string": b""}
        )

    def row(self, starts_at: dt.datetime) -> MeetingRow:
        return MeetingRow(
            id=41,
            title="Rapat <pleno>",
            forum_id=3,
            forum="Forum",
            starts_at=starts_at,
            ends_at=None,
            mode=MeetingMode.IN_PERSON,
            location="Balai Kota",
            status=MeetingStatus.PLANNED,
            attended=0,
            decisions=0,
        )

    def test_a_planned_meeting_is_late_once_its_start_has_passed(
        self, request_: Request, languages: dict[str, Language]
    ) -> None:
        starts = dt.datetime(2030, 5, 1, 2, 0, tzinfo=UTC)
        rows = [self.row(starts)]
        before = meeting_table(
            request_, languages["en"], rows, now=starts - dt.timedelta(minutes=1)
        )
        after = meeting_table(request_, languages["en"], rows, now=starts + dt.timedelta(minutes=1))
        again = meeting_table(request_, languages["en"], rows, now=starts + dt.timedelta(days=9))
        indonesian = meeting_table(
            request_, languages["id"], rows, now=starts + dt.timedelta(days=1)
        )

        assert "Not logged yet" not in before
        assert "Not logged yet" in after
        assert again is after  # kept, not rendered again
        assert "Rapat &lt;pleno&gt;" in before
        assert 'href="/meetings/41"' in before
        assert "Belum dicatat" in indonesian
        assert ">Kapan<" in indonesian
