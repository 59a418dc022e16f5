"""Reading cells as Indonesian offices and Excel write them."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from governance.imports import parsing
from governance.imports.words import SYNONYMS
from governance.vocab import CommitmentStatus, Sector, Valence

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


class TestDates:
    @pytest.mark.parametrize(
        "text",
        [
            "2021-12-31",
            "31/12/2021",
            "31-12-2021",
            "31.12.2021",
            "31 Desember 2021",
            "31 Des 2021",
            "31 des. 2021",
            "31 December 2021",
            "31 Dec 2021",
            "December 31, 2021",
            "Jumat, 31 Desember 2021",
            "31-Des-2021",
            "31/12/21",
            "2021-12-31 00:00:00",
        ],
    )
    def test_reads_iso_and_indonesian_office_formats(self, text: str) -> None:
        assert parsing.parse_date(text) == dt.date(2021, 12, 31)

    def test_reads_day_first(self) -> None:
        assert parsing.parse_date("03/04/2021") == dt.date(2021, 4, 3)

    @pytest.mark.parametrize(
        ("text", "month"),
        [
            ("1 Agustus 2020", 8),
            ("1 Agt 2020", 8),
            ("1 Okt 2020", 10),
            ("1 Mei 2020", 5),
            ("1 Peb 2020", 2),
            ("1 Nop 2020", 11),
        ],
    )
    def test_knows_indonesian_month_names_and_abbreviations(self, text: str, month: int) -> None:
        assert parsing.parse_date(text) == dt.date(2020, month, 1)

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("31/02/2021", "not a real date"),
            ("tomorrow", "is not a date"),
            ("31 Foo 2021", "is not a month name"),
            ("2021/31/12", "is not a date"),
        ],
    )
    def test_refuses_what_is_not_a_date_saying_why(self, text: str, message: str) -> None:
        with pytest.raises(ValueError, match=message):
            parsing.parse_date(text)


class TestTimes:
    def test_a_date_and_a_time_are_read_in_jakarta_time(self) -> None:
        instant, timed = parsing.parse_datetime("31/03/2021 14.00", timezone=JAKARTA)
        assert timed
        assert instant.astimezone(dt.UTC) == dt.datetime(2021, 3, 31, 7, 0, tzinfo=dt.UTC)

    def test_an_offset_in_the_text_wins(self) -> None:
        instant, _ = parsing.parse_datetime("2021-03-31T07:00:00+00:00", timezone=JAKARTA)
        assert instant == dt.datetime(2021, 3, 31, 7, 0, tzinfo=dt.UTC)

    @pytest.mark.parametrize("text", ["9.30", "09:30", "9.30 WIB", "09:30:00"])
    def test_reads_times(self, text: str) -> None:
        assert parsing.parse_time(text) == dt.time(9, 30)


class TestValues:
    @pytest.mark.parametrize("text", ["ya", "Ya", "YES", "1", "x", "✓", "hadir", "true"])
    def test_yes(self, text: str) -> None:
        assert parsing.parse_bool(text) is True

    @pytest.mark.parametrize("text", ["tidak", "no", "0", "-", "tidak hadir", "Absen", "false"])
    def test_no(self, text: str) -> None:
        assert parsing.parse_bool(text) is False

    @pytest.mark.parametrize(
        ("text", "number"),
        [
            ("12,5", 12.5),
            ("1.234,5", 1234.5),
            ("1,234.5", 1234.5),
            ("1.234.567", 1234567.0),
            ("-3", -3.0),
            ("45%", 45.0),
            ("12 500", 12500.0),
        ],
    )
    def test_numbers_with_a_decimal_comma_or_point(self, text: str, number: float) -> None:
        assert parsing.parse_number(text) == number

    @pytest.mark.parametrize("text", ["abc", "1.2.3", "nan", "inf"])
    def test_refuses_what_is_not_a_number(self, text: str) -> None:
        with pytest.raises(ValueError, match="number"):
            parsing.parse_number(text)

    @pytest.mark.parametrize(
        ("text", "vocabulary", "words", "code"),
        [
            ("Civil Society", Sector, "sector", "civil_society"),
            ("civil-society", Sector, "sector", "civil_society"),
            ("Pemerintah", Sector, "sector", "government"),
            ("LSM", Sector, "sector", "civil_society"),
            ("Terpenuhi", CommitmentStatus, "commitment_status", "fulfilled"),
            ("dalam proses", CommitmentStatus, "commitment_status", "in_progress"),
            ("+", Valence, "valence", "positive"),
            ("negatif", Valence, "valence", "negative"),
        ],
    )
    def test_codes_from_words_in_either_language(
        self, text: str, vocabulary: type, words: str, code: str
    ) -> None:
        assert parsing.parse_code(text, vocabulary, SYNONYMS[words]) == code

    def test_an_unknown_code_lists_the_codes(self) -> None:
        with pytest.raises(ValueError, match="'ngawur' is not one of: academic, civil_society"):
            parsing.parse_code("ngawur", Sector, SYNONYMS["sector"])
