"""The researcher's pages in a real browser: the diagnosis in Indonesian, on to the case
report, and coding the demo with a mistake corrected."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def open_demo_in_indonesian(page: Page, live_server: str) -> None:
    page.goto(live_server + "/?lang=id")
    page.get_by_role("link", name=re.compile("Perbaikan Bansos")).first.click()
    expect(page.locator("html")).to_have_attribute("lang", "id")


class TestDiagnosisInIndonesian:
    def test_shows_the_cycle_and_leads_to_the_case_report(
        self, page: Page, live_server: str
    ) -> None:
        open_demo_in_indonesian(page, live_server)
        page.get_by_role("navigation", name="Kolaborasi").get_by_role(
            "link", name="Diagnosis"
        ).click()

        expect(page).to_have_url(re.compile(r"/collaborations/\d+/diagnosis$"))
        expect(page.get_by_role("heading", name="Fase yang dicapai")).to_be_visible()
        expect(page.locator(".phase-code").first).to_have_text("P6")
        cycle = page.get_by_role("img", name=re.compile("Siklus Ansell & Gash"))
        expect(cycle).to_be_visible()
        expect(page.locator('[data-node="outcomes"] .cycle-node__tag')).to_have_text(
            "▶ Fase yang dicapai (P6)"
        )
        expect(page.locator('[data-warning="overdue_commitments"]')).to_contain_text(
            "Komitmen lewat tenggat"
        )

        page.get_by_role("link", name="Laporan kasus").click()

        expect(page.get_by_role("heading", level=1)).to_have_text(
            re.compile(r"^Laporan kasus: Perbaikan Bansos DKI Jakarta")
        )
        expect(page.get_by_role("heading", name="Kondisi awal", exact=True)).to_be_visible()
        expect(page.get_by_role("heading", name="Proses kolaboratif", exact=True)).to_be_visible()
        download = page.get_by_role("link", name="Unduh sebagai Markdown")
        expect(download).to_have_attribute("href", re.compile(r"/report\.md\?as_of="))

    def test_the_printout_leaves_the_navigation_out(self, page: Page, live_server: str) -> None:
        open_demo_in_indonesian(page, live_server)
        page.get_by_role("link", name="Laporan", exact=True).click()

        page.emulate_media(media="print")

        expect(page.locator(".section-nav")).to_be_hidden()
        expect(page.locator(".language-switch")).to_be_hidden()
        expect(page.get_by_role("link", name="Unduh sebagai Markdown")).to_be_hidden()
        expect(page.get_by_role("heading", name="Kondisi awal", exact=True)).to_be_visible()


class TestCodingTheDemo:
    def test_a_missing_piece_of_evidence_is_named_then_the_fix_saves(
        self, page: Page, live_server: str
    ) -> None:
        coder = f"Peneliti {uuid.uuid4().hex[:6]}"
        open_demo_in_indonesian(page, live_server)
        page.get_by_role("navigation", name="Kolaborasi").get_by_role(
            "link", name="Penilaian"
        ).click()
        page.get_by_role("link", name="Tambah penilaian").first.click()

        page.get_by_label("Variabel (wajib)").select_option("trust_building")
        page.get_by_label("Periode dari (wajib)").fill("2021-01-01")
        page.get_by_label("Periode sampai (wajib)").fill("2021-06-30")
        page.get_by_label(re.compile(r"^3 cukup kuat")).check()
        page.get_by_label("Alasan (wajib)").fill("Janji-janji ditepati dan notulen mencatatnya.")
        page.get_by_label("Pengode (wajib)").fill(coder)
        page.get_by_role("button", name="Simpan penilaian").click()

        expect(page.get_by_role("alert").first).to_contain_text("Ada 1 masalah")
        expect(page.locator("#field-evidence_ids-error")).to_contain_text(
            "Centang paling sedikit satu bukti, atau uraikan bukti baru di bawah."
        )
        expect(page.get_by_label("Pengode (wajib)")).to_have_value(coder)
        expect(page.get_by_label(re.compile(r"^3 cukup kuat"))).to_be_checked()

        page.get_by_label(re.compile(r"^Notulen Forum Koordinasi Bansos DKI, 16 Juni 2020")).check()
        page.get_by_role("button", name="Simpan penilaian").click()

        expect(page.locator(".notice__text")).to_have_text(
            f"Penilaian oleh {coder} telah disimpan."
        )
        saved = page.locator(".assessment", has_text=coder)
        expect(saved).to_contain_text("cukup kuat")
        expect(saved).to_contain_text("Notulen Forum Koordinasi Bansos DKI, 16 Juni 2020")
