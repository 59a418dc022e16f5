"""The web app in a real browser: language, forms with errors, delete and undo, keyboard."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.server import sign_in

pytestmark = pytest.mark.browser


def unique(name: str) -> str:
    """A name no other test uses: the browser tests share one database."""
    return f"{name} {uuid.uuid4().hex[:6]}"


class TestLanguage:
    def test_switching_to_indonesian_is_remembered_on_the_next_page(
        self, page: Page, live_server: str
    ) -> None:
        page.goto(live_server + "/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Collaborations")

        page.get_by_role("link", name="Bahasa Indonesia").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Kolaborasi")
        expect(page.locator("html")).to_have_attribute("lang", "id")
        page.get_by_role("navigation", name="Utama").get_by_role(
            "link", name="Pemangku kepentingan"
        ).click()
        expect(page).to_have_url(re.compile(r"/stakeholders$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Pemangku kepentingan")
        expect(page.get_by_role("button", name="Cari")).to_be_visible()

        page.goto(live_server + "/collaborations/new")

        expect(page.get_by_role("heading", level=1)).to_have_text("Kolaborasi baru")


class TestStakeholderForm:
    def test_an_error_shows_beside_its_field_with_the_input_kept_then_the_fix_saves(
        self, page: Page, live_server: str
    ) -> None:
        name = unique("Forum Warga Cilincing")
        page.goto(live_server + "/stakeholders/new")
        page.get_by_label("Name (required)").fill(name)
        page.get_by_label("Other names").fill("FWC\nCilincing residents' forum")
        page.get_by_label("Kind (required)").select_option("group")
        page.get_by_label("Sector (required)").select_option("community")
        page.get_by_label("Staff").select_option("1")
        page.get_by_label("E-mail").fill("fwc-at-example.org")

        page.get_by_role("button", name="Create stakeholder").click()

        email = page.get_by_label("E-mail")
        expect(page.locator("#field-contact-email-error")).to_contain_text(
            "Enter an e-mail address, such as name@example.org."
        )
        expect(email).to_have_attribute("aria-invalid", "true")
        expect(email).to_have_value("fwc-at-example.org")
        expect(page.get_by_label("Name (required)")).to_have_value(name)
        expect(page.get_by_label("Other names")).to_have_value("FWC\nCilincing residents' forum")
        expect(page.get_by_label("Staff")).to_have_value("1")
        expect(page.get_by_role("alert").first).to_contain_text("There is a problem")

        email.fill("fwc@example.org")
        page.get_by_role("button", name="Create stakeholder").click()

        expect(page.locator(".notice__text")).to_have_text(f"Stakeholder “{name}” created.")
        expect(page.get_by_role("heading", level=1)).to_have_text(name)
        expect(page.get_by_text("fwc@example.org")).to_be_visible()

    def test_delete_takes_it_out_of_the_list_and_its_page(
        self, page: Page, live_server: str
    ) -> None:
        name = unique("Paguyuban Ojol")
        page.goto(live_server + "/stakeholders/new")
        page.get_by_label("Name (required)").fill(name)
        page.get_by_label("Kind (required)").select_option("group")
        page.get_by_label("Sector (required)").select_option("community")
        page.get_by_role("button", name="Create stakeholder").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(name)
        detail = page.url

        page.get_by_role("button", name="Delete").click()

        expect(page).to_have_url(re.compile(r"/stakeholders$"))
        expect(page.locator(".notice__text")).to_have_text(f"Stakeholder “{name}” deleted.")
        page.get_by_label("Name or other name").fill(name)
        page.get_by_role("button", name="Find").click()
        expect(page.get_by_text("No stakeholder matches.")).to_be_visible()

        page.goto(detail)
        expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")

    def test_undo_restores_right_after_the_delete(self, page: Page, live_server: str) -> None:
        name = unique("Karang Taruna RW 05")
        page.goto(live_server + "/stakeholders/new")
        page.get_by_label("Name (required)").fill(name)
        page.get_by_label("Kind (required)").select_option("group")
        page.get_by_label("Sector (required)").select_option("community")
        page.get_by_role("button", name="Create stakeholder").click()
        page.get_by_role("button", name="Delete").click()
        expect(page.locator(".notice__text")).to_have_text(f"Stakeholder “{name}” deleted.")

        page.get_by_role("button", name="Undo").click()

        expect(page.locator(".notice__text")).to_have_text(f"Stakeholder “{name}” restored.")
        expect(page.get_by_role("heading", level=1)).to_have_text(name)


class TestAccess:
    def test_the_first_tab_reaches_the_skip_link_which_jumps_to_the_content(
        self, page: Page, live_server: str
    ) -> None:
        page.goto(live_server + "/stakeholders")

        page.keyboard.press("Tab")

        skip = page.get_by_role("link", name="Skip to content")
        expect(skip).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.locator("#main")).to_be_focused()

    def test_a_form_can_be_sent_with_the_keyboard_alone(self, page: Page, live_server: str) -> None:
        page.goto(live_server + "/collaborations/new")
        page.get_by_label("Name (required)").focus()

        page.keyboard.press("Enter")

        expect(page.locator("#field-name-error")).to_have_text(
            re.compile("This field is required.")
        )

    def test_the_dashboard_fits_a_phone_screen(self, browser: Browser, live_server: str) -> None:
        phone = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
        page = phone.new_page()
        sign_in(page, live_server)
        page.goto(live_server + "/")
        page.get_by_role("link", name=re.compile("Perbaikan Bansos")).click()

        expect(page.get_by_role("heading", name="Outcome progress")).to_be_visible()
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        phone.close()
        assert overflow <= 0
