"""How the report speaks: values by kind and language, and every fixed text in the catalog."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from api.i18n import load_languages, read_catalog
from api.pages import diagnosis as page
from api.pages.diagnosis import wording_for
from governance.assessments import agreement
from governance.assessments.schemas import SCORE_ANCHORS
from governance.diagnosis import warning_signs
from governance.diagnosis.diagnose import PHASES, diagnose
from governance.diagnosis.examples import day
from governance.diagnosis.indicator import SPECS, Kind
from governance.report import markdown, parts, wording
from governance.report.examples import sample_case, sample_report
from governance.report.wording import Wording
from tests.pages.test_i18n import extracted

ENGLISH = Wording()
INDONESIAN = Wording(locale="id")


class TestValues:
    @pytest.mark.parametrize(
        ("kind", "value", "english", "indonesian"),
        [
            (Kind.RATIO, 0.6111, "61%", "61%"),
            (Kind.BALANCE, 0.8275, "+0.83", "+0,83"),
            (Kind.BALANCE, -0.5, "-0.50", "-0,50"),
            (Kind.FLAG, 1.0, "yes", "yes"),
            (Kind.FLAG, 0.0, "no", "no"),
            (Kind.COUNT, 1234.0, "1,234", "1.234"),
            (Kind.DAYS, 1606.0, "1,606", "1.606"),
            (Kind.RATE, 1 / 3, "0.33", "0,33"),
            (Kind.GINI, 0.31068, "0.31", "0,31"),
            (Kind.RATIO, None, "not enough data", "not enough data"),
        ],
    )
    def test_each_kind_reads_as_its_language_writes_numbers(
        self, kind: Kind, value: float | None, english: str, indonesian: str
    ) -> None:
        assert (ENGLISH.value(kind, value), INDONESIAN.value(kind, value)) == (english, indonesian)

    def test_a_family_member_is_labelled_with_its_sector(self) -> None:
        say = wording_for(load_languages()["id"])

        assert say.indicator("attendance_share_civil_society", "x") == (
            "Porsi kehadiran: Masyarakat sipil"
        )
        assert say.indicator("regularity", "x") == "Keteraturan rapat"
        assert say.indicator("unknown_key", "As given") == "As given"


class TestDomainTextsInTheCatalog:
    """The domain marks its fixed texts with N_ where it defines them, so that extraction
    (babel.cfg reads governance/ too) puts them in the catalog; the page module lists the
    few that come from elsewhere."""

    def test_the_domains_names_are_extracted(self) -> None:
        messages = extracted()
        found = diagnose(sample_case(), as_of=day("2022-06-30"))
        names = {
            *(spec.label for spec in SPECS.values()),
            *PHASES.values(),
            *(c.name for c in found.components),
            *wording.WARNING_TITLES.values(),
            *wording.LIFECYCLE_NAMES.values(),
            *wording.VERDICT_NAMES.values(),
            *wording.SCOPE_NAMES.values(),
            *wording.STATISTIC_NAMES.values(),
            *parts.TITLES.values(),
            wording.NOT_ENOUGH_DATA,
            markdown.DISAGREEMENT,
        }

        assert sorted(name for name in names if name not in messages) == []

    def test_warning_titles_name_every_sign(self) -> None:
        assert set(wording.WARNING_TITLES) == {sign.__name__ for sign in warning_signs.SIGNS}

    def test_the_texts_from_elsewhere_match(self) -> None:
        assert page.SCORE_ANCHORS == SCORE_ANCHORS
        assert (
            set(
                re.findall(
                    r'AgreementUndefined\("([^"]+)"\)', (Path(agreement.__file__).read_text())
                )
            )
            >= wording.AGREEMENT_REASONS
        )


@pytest.fixture(scope="module")
def indonesian() -> Catalog:
    return read_catalog("id")


def asked_for() -> set[str]:
    """Every message id the report's wording asks for: while rendering a report, every
    fixed text it can name, and every literal the Markdown passes to it."""
    asked: set[str] = set()

    def recording(message: str) -> str:
        asked.add(message)
        return message

    say = Wording(gettext=recording)
    markdown.render_markdown(sample_report(), say)
    for key in wording.WARNING_TITLES:
        say.warning(key)
    asked |= set(wording.LIFECYCLE_NAMES.values()) | set(wording.VERDICT_NAMES.values())
    asked |= set(wording.SCOPE_NAMES.values())
    asked |= set(wording.STATISTIC_NAMES.values()) | set(SCORE_ANCHORS.values())
    asked |= set(parts.TITLES.values()) | set(PHASES.values())
    asked |= {spec.label for spec in SPECS.values()}
    source = Path(markdown.__file__).read_text()
    asked |= set(re.findall(r"say\(\s*\"([^\"]+)\"", source))
    asked |= set(re.findall(r"say\(\s*'([^']+)'", source))
    asked.add(markdown.DISAGREEMENT)
    return asked


class TestEveryMessageIsExtractedAndTranslated:
    def test_the_report_asks_only_for_messages_the_catalog_has(self, indonesian: Catalog) -> None:
        messages = extracted()
        wanted = asked_for()

        missing = sorted(m for m in wanted if m not in messages)
        untranslated = sorted(m for m in wanted if not getattr(indonesian.get(m), "string", ""))

        assert len(wanted) > 100
        assert not missing, f"not marked for the catalog in api/ or templates/: {missing}"
        assert not untranslated, f"not translated into Indonesian: {untranslated}"
