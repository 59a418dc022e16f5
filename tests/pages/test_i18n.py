"""Languages: every string translated into Indonesian, the language switch, locale formats."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api import web
from api.i18n import (
    LANGUAGE_COOKIE,
    TRANSLATIONS_DIR,
    choose_language,
    load_languages,
    parse_accept_language,
    read_catalog,
)
from tests.factories import make_collaboration
from tests.pages.html import text_of

ROOT = Path(__file__).resolve().parents[2]
BABEL_CFG = TRANSLATIONS_DIR / "babel.cfg"


#: Babel's reader of babel.cfg (untyped upstream): (pattern, method) pairs and options.
read_mapping: Callable[[IO[str]], tuple[list[tuple[str, str]], dict[str, dict[str, str]]]] = (
    parse_mapping_cfg
)


def extracted() -> dict[str, list[str]]:
    """Every message id the templates and the web code use, with where it is used."""
    with BABEL_CFG.open() as config:
        method_map, options_map = read_mapping(config)
    found: dict[str, list[str]] = {}
    for filename, line, message, _, _ in extract_from_dir(ROOT, method_map, options_map):
        msgid = message[0] if isinstance(message, tuple) else message  # plurals by singular
        if msgid:
            found.setdefault(msgid, []).append(f"{filename}:{line}")
    return found


def catalog(language: str) -> Catalog:
    return read_catalog(language)


@pytest.fixture(scope="module")
def indonesian() -> Catalog:
    return catalog("id")


@pytest.fixture(scope="module")
def messages() -> dict[str, list[str]]:
    return extracted()


class TestIndonesianCatalog:
    def test_the_sources_use_messages(self, messages: dict[str, list[str]]) -> None:
        assert "Skip to content" in messages
        assert "Civil society" in messages  # a label marked with N_ in Python

    def test_every_message_is_translated(
        self, indonesian: Catalog, messages: dict[str, list[str]]
    ) -> None:
        missing = []
        for msgid, where in sorted(messages.items()):
            entry = indonesian.get(msgid)
            strings = entry.string if entry is not None else ""
            translations = strings if isinstance(strings, tuple) else (strings,)
            if entry is None or entry.fuzzy or not all(translations):
                missing.append(f"{msgid!r} ({where[0]})")

        assert not missing, "not translated into Indonesian:\n" + "\n".join(missing)

    def test_placeholders_match_their_message(self, indonesian: Catalog) -> None:
        problems = [f"{message.id!r}: {errors}" for message, errors in indonesian.check() if errors]

        assert not problems

    def test_the_template_lists_every_message(self, messages: dict[str, list[str]]) -> None:
        with (TRANSLATIONS_DIR / "messages.pot").open("rb") as source:
            template = read_po(source)

        stale = sorted(msgid for msgid in messages if template.get(msgid) is None)

        assert not stale, "run `make messages`: messages.pot lacks " + ", ".join(stale)

    def test_compiles_in_memory(self) -> None:
        languages = load_languages()

        assert languages["id"].gettext("Skip to content") == "Langsung ke isi"
        assert languages["en"].gettext("Skip to content") == "Skip to content"


class TestChooseLanguage:
    @pytest.mark.parametrize(
        ("requested", "remembered", "accept", "default", "expected"),
        [
            ("id", "en", "en", "en", "id"),
            (None, "id", "en-GB", "en", "id"),
            (None, None, "id-ID,id;q=0.9,en;q=0.8", "en", "id"),
            (None, None, "fr-FR, en;q=0.5", "id", "en"),
            (None, None, "fr-FR, de", "id", "id"),
            (None, None, None, "id", "id"),
            ("xx", "zz", "", "en", "en"),
            ("ID", None, None, "en", "en"),
        ],
    )
    def test_takes_the_switch_then_the_cookie_then_the_browser_then_the_default(
        self,
        requested: str | None,
        remembered: str | None,
        accept: str | None,
        default: str,
        expected: str,
    ) -> None:
        chosen = choose_language(
            requested=requested, remembered=remembered, accept=accept, default=default
        )

        assert chosen == expected

    @pytest.mark.parametrize(
        ("header", "expected"),
        [
            ("en-US;q=0.5, id-ID, fr;q=0", ["id", "en"]),
            ("id;q=abc, en", ["en"]),
            ("", []),
            ("*", ["*"]),
            ("en, en-GB;q=0.9", ["en"]),
        ],
    )
    def test_reads_accept_language_by_quality(self, header: str, expected: list[str]) -> None:
        assert parse_accept_language(header) == expected


class TestLanguageSwitch:
    def test_the_switch_answers_in_indonesian_and_sets_a_lasting_cookie(
        self, client: TestClient
    ) -> None:
        response = client.get("/", params={"lang": "id"})

        assert '<html lang="id">' in response.text
        assert "Kolaborasi" in text_of(response.text)
        assert response.headers["content-language"] == "id"
        cookie = response.headers["set-cookie"]
        assert cookie.startswith(f"{LANGUAGE_COOKIE}=id;")
        assert "Max-Age=31536000" in cookie

    def test_the_choice_is_remembered_on_the_next_page(self, client: TestClient) -> None:
        client.get("/", params={"lang": "id"})

        response = client.get("/stakeholders")

        assert '<html lang="id">' in response.text
        assert "Pemangku kepentingan" in text_of(response.text)

    def test_the_browser_language_is_used_without_a_choice(self, client: TestClient) -> None:
        response = client.get("/", headers={"accept-language": "id-ID,id;q=0.9"})

        assert '<html lang="id">' in response.text
        assert "set-cookie" not in response.headers

    def test_switching_back_to_english(self, client: TestClient) -> None:
        client.get("/", params={"lang": "id"})

        response = client.get("/", params={"lang": "en"})

        assert '<html lang="en">' in response.text
        assert client.cookies.get(LANGUAGE_COOKIE) == "en"

    def test_the_switch_links_to_the_same_page_with_its_filters(self, client: TestClient) -> None:
        response = client.get("/stakeholders", params={"q": "spri"})

        assert 'href="/stakeholders?q=spri&amp;lang=id" lang="id" hreflang="id"' in response.text
        assert 'lang="en" hreflang="en" aria-current="true"' in response.text

    def test_the_api_is_not_affected(self, client: TestClient) -> None:
        response = client.get("/api/v1/stakeholders", headers={"accept-language": "id"})

        assert response.status_code == 200
        assert response.json()["items"] == []

    def test_a_form_error_reads_in_indonesian(self, client: TestClient) -> None:
        client.get("/", params={"lang": "id"})

        response = client.post("/stakeholders/new", data={"name": "", "kind": "person"})

        assert response.status_code == 400
        assert "Kolom ini wajib diisi." in response.text

    def test_dates_on_a_page_follow_the_language(
        self, client: TestClient, session: Session
    ) -> None:
        make_collaboration(session, name="Bansos", started_on=dt.date(2020, 4, 1))

        english = text_of(client.get("/").text)
        indonesian = text_of(client.get("/", params={"lang": "id"}).text)

        assert "since Apr 1, 2020" in english
        assert "sejak 1 Apr 2020" in indonesian


@pytest.fixture
def speaking_indonesian() -> Iterator[None]:
    with web.speaking(load_languages()["id"]):
        yield


@pytest.fixture
def speaking_english() -> Iterator[None]:
    with web.speaking(load_languages()["en"]):
        yield


class TestFormats:
    @pytest.mark.usefixtures("speaking_indonesian")
    def test_indonesian(self) -> None:
        assert web.format_date(dt.date(2020, 4, 1)) == "1 Apr 2020"
        assert web.format_number(1234.5) == "1.234,5"
        assert web.format_percent(72.5) == "72%"
        assert web.translated_label("civil_society", "sector") == "Masyarakat sipil"
        instant = dt.datetime(2020, 4, 1, 3, 0, tzinfo=dt.UTC)
        assert web.format_datetime(instant) == "1 Apr 2020 10.00"

    @pytest.mark.usefixtures("speaking_english")
    def test_english(self) -> None:
        assert web.format_date(dt.date(2020, 4, 1)) == "Apr 1, 2020"
        assert web.format_number(1234.5) == "1,234.5"
        assert web.format_number(2, digits=1) == "2.0"
        assert web.translated_label("civil_society", "sector") == "Civil society"
        assert (
            web.format_time(dt.datetime(2020, 4, 1, 3, 0, tzinfo=dt.UTC)) == "10:00\u202fAM"
        )  # CLDR puts a narrow no-break space before AM

    @pytest.mark.usefixtures("speaking_english")
    def test_nothing_formats_as_empty(self) -> None:
        assert web.format_date(None) == web.format_number(None) == web.format_percent(None) == ""

    @pytest.mark.usefixtures("speaking_indonesian")
    def test_how_long_ago(self) -> None:
        now = dt.datetime(2021, 1, 1, 12, tzinfo=dt.UTC)

        assert web.format_timeago(now - dt.timedelta(hours=2), now) == "2 jam yang lalu"
