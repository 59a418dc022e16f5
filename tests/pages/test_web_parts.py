"""The pages' shared parts: signed notices, the error mapping, labels, charts, error pages."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from api.i18n import Language, load_languages
from api.pages import notices
from api.pages.charts import TrustPoint, month_ticks, trust_timeline
from api.pages.forms import domain_message, field_errors, local_datetime, local_value
from api.pages.labels import ENUMS, VOCABULARIES
from api.pages.paging import Pager, page_number
from governance.errors import Invalid
from governance.stakeholders.schemas import StakeholderCreate

SECRET = "s" * 40


@pytest.fixture(scope="module")
def languages() -> dict[str, Language]:
    return load_languages()


class TestNoticeSigning:
    def test_a_signed_notice_reads_back(self) -> None:
        value = notices.sign({"m": "Saved."}, SECRET, now=1000)

        assert notices.unsign(value, SECRET, now=1010) == {"m": "Saved."}

    @pytest.mark.parametrize(
        "tamper",
        [
            lambda v: v[:-2] + ("AA" if not v.endswith("AA") else "BB"),
            lambda v: "e30" + v[3:],
            lambda v: v.split(".")[0],
            lambda v: "not a cookie",
            lambda v: "",
            lambda v: "%%%.###",
        ],
    )
    def test_a_tampered_value_is_ignored(self, tamper: object) -> None:
        value = notices.sign({"m": "Saved."}, SECRET, now=1000)
        assert callable(tamper)

        assert notices.unsign(tamper(value), SECRET, now=1010) is None

    def test_another_secret_does_not_verify(self) -> None:
        value = notices.sign({"m": "Saved."}, SECRET, now=1000)

        assert notices.unsign(value, "t" * 40, now=1010) is None

    def test_an_old_notice_has_expired(self) -> None:
        value = notices.sign({"m": "Saved."}, SECRET, now=1000)

        assert notices.unsign(value, SECRET, now=1000 + notices.MAX_AGE_SECONDS + 1) is None

    @pytest.mark.parametrize(
        "data",
        [
            {"m": "x", "p": {}, "u": "https://evil.example/restore"},
            {"m": "x", "p": {"n": 1}, "u": None},
            {"m": 3, "p": {}, "u": None},
            ["m"],
        ],
    )
    def test_a_malformed_notice_is_refused(self, data: object) -> None:
        assert notices.Notice.from_json(data) is None

    def test_a_forged_cookie_shows_no_notice(self, client: TestClient) -> None:
        client.cookies.set(notices.NOTICE_COOKIE, "eyJ0IjoxfQ.AAAA")

        response = client.get("/")

        assert "notice__text" not in response.text
        assert notices.NOTICE_COOKIE in response.headers.get("set-cookie", "")


class TestFieldErrors:
    def test_names_nested_fields_as_the_form_does(self, languages: dict[str, Language]) -> None:
        with pytest.raises(ValidationError) as raised:
            StakeholderCreate.model_validate(
                {"name": "", "kind": "person", "sector": "media", "contact": {"email": "x"}}
            )

        errors = field_errors(raised.value, languages["en"])

        assert errors == {
            "name": "This field is required.",
            "contact.email": "Enter an e-mail address, such as name@example.org.",
        }

    def test_speaks_indonesian(self, languages: dict[str, Language]) -> None:
        with pytest.raises(ValidationError) as raised:
            StakeholderCreate.model_validate({"name": "x", "kind": "person", "sector": "royalty"})

        assert field_errors(raised.value, languages["id"]) == {
            "sector": "Pilih salah satu pilihan."
        }

    def test_puts_an_item_error_on_its_line(self, languages: dict[str, Language]) -> None:
        with pytest.raises(ValidationError) as raised:
            StakeholderCreate.model_validate(
                {"name": "x", "kind": "person", "sector": "media", "aliases": ["a", ""]}
            )

        errors = field_errors(raised.value, languages["en"], line_fields=["aliases"])

        assert errors == {"aliases": "Line 2: This field is required."}

    def test_translates_a_domain_rule_with_its_field_and_date(
        self, languages: dict[str, Language]
    ) -> None:
        error = Invalid({"ended_on": "must not be before started_on (2021-02-01)"})

        assert field_errors(error, languages["id"]) == {
            "ended_on": "Tidak boleh sebelum Tanggal mulai (1 Feb 2021)."
        }

    def test_keeps_an_unknown_domain_message(self, languages: dict[str, Language]) -> None:
        assert domain_message("a rule nobody translated", languages["id"]) == (
            "A rule nobody translated"
        )


class TestLabels:
    @pytest.mark.parametrize("vocabulary", sorted(ENUMS))
    def test_every_code_has_a_label(self, vocabulary: str) -> None:
        codes = {member.value for member in ENUMS[vocabulary]}

        assert set(VOCABULARIES[vocabulary]) == codes


class TestPaging:
    def test_counts_the_rows_of_a_page(self) -> None:
        pager = Pager(page=2, total=60, size=25, params={"q": "spri", "sector": ""})

        assert (pager.first, pager.last, pager.pages) == (26, 50, 3)
        assert (pager.previous, pager.next) == (1, 3)
        assert pager.url(3) == "?q=spri&page=3"
        assert pager.url(1) == "?q=spri"

    @pytest.mark.parametrize(
        ("text", "expected"), [(None, 1), ("", 1), ("3", 3), ("0", None), ("x", None)]
    )
    def test_reads_a_page_number(self, text: str | None, expected: int | None) -> None:
        assert page_number(text) == expected


class TestTrustTimeline:
    def test_places_positive_events_above_and_negative_below_by_severity(self) -> None:
        chart = trust_timeline(
            [
                TrustPoint(dt.date(2020, 1, 1), True, 1),
                TrustPoint(dt.date(2020, 6, 1), True, 3),
                TrustPoint(dt.date(2021, 1, 1), False, 2),
            ]
        )

        assert chart is not None
        weak, strong, bad = chart.points
        assert weak.x < strong.x < bad.x
        assert strong.y < weak.y < chart.axis_y < bad.y
        assert weak.r < bad.r < strong.r
        assert chart.left <= weak.x
        assert bad.x <= chart.right

    def test_one_event_still_has_a_time_axis(self) -> None:
        chart = trust_timeline([TrustPoint(dt.date(2020, 1, 15), False, 1)])

        assert chart is not None
        assert chart.start < dt.date(2020, 1, 15) < chart.end
        assert chart.ticks

    def test_nothing_to_draw(self) -> None:
        assert trust_timeline([]) is None

    def test_ticks_stay_few_over_long_spans(self) -> None:
        ticks = month_ticks(dt.date(2000, 1, 1), dt.date(2020, 1, 1))

        assert 1 < len(ticks) <= 8
        assert all(tick.month == 1 for tick in ticks)


class TestErrorPages:
    def test_an_unknown_page_is_an_html_404(self, client: TestClient) -> None:
        response = client.get("/no/such/page")

        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html")
        assert "Page not found" in response.text

    def test_the_api_keeps_its_json_errors(self, client: TestClient) -> None:
        response = client.get("/api/v1/stakeholders/999999")

        assert response.status_code == 404
        assert response.json()["detail"] == "Stakeholder 999999 not found"

    def test_an_out_of_range_id_is_a_bad_request_page(self, client: TestClient) -> None:
        response = client.get("/stakeholders/99999999999")

        assert response.status_code == 400
        assert "The address or the input is not valid." in response.text

    def test_a_wrong_method_is_explained(self, client: TestClient) -> None:
        response = client.get("/stakeholders/1/delete")

        assert response.status_code == 405
        assert "This action is not possible here" in response.text

    def test_the_error_page_speaks_indonesian(self, client: TestClient) -> None:
        response = client.get("/no/such/page", params={"lang": "id"})

        assert "Halaman tidak ditemukan" in response.text


class TestStatic:
    def test_the_stylesheet_is_served_and_versioned(self, client: TestClient) -> None:
        page = client.get("/")

        href = page.text.split('<link rel="stylesheet" href="')[1].split('"')[0]
        assert href.startswith("/static/app.css?v=")
        response = client.get(href)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/css")

    def test_no_page_has_inline_script_or_style(self, client: TestClient) -> None:
        for path in ("/", "/stakeholders", "/stakeholders/new", "/collaborations/new"):
            html = client.get(path).text
            assert "<script" not in html
            assert "<style" not in html
            assert " style=" not in html


#: Input a form must survive: too long, odd characters, markup, impossible dates.
NASTY = (
    "x" * 60_000,
    "😀" * 300,
    "\x00",
    "<script>alert(1)</script>",
    " \t\n ",
    "2021-02-30",
    "-1",
    "99999999999999999999",
    "١٢٣",
)


class TestFormsSurviveAnything:
    """Whatever a browser (or a script) sends, a form answers with a page, never a 500."""

    @pytest.mark.parametrize("value", NASTY)
    @pytest.mark.parametrize("path", ["/stakeholders/new", "/collaborations/new"])
    def test_every_field_at_once(self, client: TestClient, path: str, value: str) -> None:
        fields = [
            "name",
            "aliases",
            "kind",
            "sector",
            "description",
            "policy_domain",
            "place",
            "started_on",
            "ended_on",
            "status",
            "resources.staff",
            "contact.email",
            "unexpected",
        ]

        response = client.post(path, data=dict.fromkeys(fields, value), follow_redirects=False)

        assert response.status_code in (303, 400)
        assert "<script>alert(1)</script>" not in response.text

    def test_a_field_sent_twice_keeps_the_last(self, client: TestClient) -> None:
        response = client.post(
            "/stakeholders/new",
            content="name=First&name=Second&kind=person&sector=oops",
            headers={"content-type": "application/x-www-form-urlencoded"},
            follow_redirects=False,
        )

        assert response.status_code == 400
        assert 'value="Second"' in response.text

    def test_a_limit_is_written_the_languages_way(
        self, client: TestClient, languages: dict[str, Language]
    ) -> None:
        client.get("/", params={"lang": "id"})

        response = client.post(
            "/stakeholders/new",
            data={"name": "x", "kind": "person", "sector": "media", "description": "y" * 50_001},
        )

        assert "Isi paling banyak 50.000 karakter." in response.text


class TestLocalDateTimes:
    JAKARTA = ZoneInfo("Asia/Jakarta")

    @pytest.mark.parametrize(
        ("typed", "sent"),
        [
            ("2021-03-31T14:00", "2021-03-31T14:00:00+07:00"),
            ("2021-03-31 14:00", "2021-03-31T14:00:00+07:00"),
            ("2021-03-31T14:00+00:00", "2021-03-31T14:00:00+00:00"),
            ("  ", None),
            ("tomorrow", "tomorrow"),
        ],
    )
    def test_a_typed_time_is_read_in_jakarta_time(self, typed: str, sent: str | None) -> None:
        assert local_datetime(typed, self.JAKARTA) == sent

    def test_a_stored_instant_shows_in_jakarta_time(self) -> None:
        instant = dt.datetime(2021, 3, 31, 7, 0, tzinfo=dt.UTC)

        assert local_value(instant, self.JAKARTA) == "2021-03-31T14:00"
        assert local_value(None, self.JAKARTA) == ""


class TestEveryInputIsLabelled:
    @pytest.mark.parametrize(
        "path", ["/stakeholders/new", "/collaborations/new", "/stakeholders?sector=x"]
    )
    def test_each_field_has_a_label_pointing_at_it(self, client: TestClient, path: str) -> None:
        html = client.get(path).text

        fields = re.findall(r"<(?:input|select|textarea)\b(?![^>]*type=\"hidden\")[^>]*>", html)
        ids = [re.search(r'\bid="([^"]+)"', field) for field in fields]
        labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', html))
        assert fields
        assert all(found is not None and found.group(1) in labelled for found in ids)
