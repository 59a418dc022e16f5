"""The commitments board and the outcome pages in a real browser: a status change moves
its card to another group; a measurement moves the progress bar."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def unique(text: str) -> str:
    """A text no other test uses: the browser tests share one database."""
    return f"{text} {uuid.uuid4().hex[:6]}"


def open_section(page: Page, live_server: str, section: str) -> None:
    """From the home page to one section of the demo collaboration, as a user would."""
    page.goto(live_server + "/")
    page.get_by_role("link", name=re.compile("Perbaikan Bansos")).first.click()
    page.get_by_role("navigation", name="Collaboration").get_by_role(
        "link", name=section, exact=True
    ).click()


class TestCommitmentsBoard:
    def test_a_status_change_takes_two_clicks_and_moves_the_card(
        self, page: Page, live_server: str
    ) -> None:
        what = unique("Publish the verified household list")
        open_section(page, live_server, "Commitments")
        expect(page.get_by_role("heading", level=1)).to_have_text("Commitments board")
        page.get_by_role("link", name="New commitment").first.click()
        page.get_by_label("What was promised").fill(what)
        page.get_by_label("Owner (required)").select_option(label="Dinas Sosial DKI Jakarta")
        page.get_by_label("Counterpart").select_option(label="Koalisi Pemantau Bansos")
        page.get_by_label("Due on").fill("2999-03-31")
        page.get_by_role("button", name="Record commitment").click()
        expect(page.locator(".notice__text")).to_have_text(f"Commitment “{what}” recorded.")
        page.get_by_role("navigation", name="Collaboration").get_by_role(
            "link", name="Commitments", exact=True
        ).click()
        open_group = page.locator(".board__group--open")
        card = open_group.locator(".commitment-card", has_text=what)
        expect(card).to_be_visible()

        card.get_by_text("Change status").click()
        card.get_by_role("button", name="In progress").click()

        expect(page.locator(".notice__text")).to_have_text(f"“{what}” is now In progress.")
        moved = page.locator(".board__group--in_progress .commitment-card", has_text=what)
        expect(moved).to_be_visible()
        expect(moved).to_contain_text("Due Mar 31, 2999")
        expect(open_group.locator(".commitment-card", has_text=what)).to_have_count(0)

    def test_a_refused_change_shows_the_error_beside_the_date_with_the_input_kept(
        self, page: Page, live_server: str
    ) -> None:
        what = unique("Send the complaint summary")
        open_section(page, live_server, "Commitments")
        page.get_by_role("link", name="New commitment").first.click()
        page.get_by_label("What was promised").fill(what)
        page.get_by_label("Owner (required)").select_option(label="Koalisi Pemantau Bansos")
        page.get_by_label("Made on").fill("2021-03-01")
        page.get_by_role("button", name="Record commitment").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(what)
        form = page.get_by_role("region", name="Change status")
        form.get_by_label("Date of the change").fill("2021-02-01")
        form.get_by_label("Note").fill("Sent by e-mail.")

        form.get_by_role("button", name="Fulfilled", exact=True).click()

        error = page.locator("#field-changed_on-error")
        expect(error).to_contain_text("Must not be before Made on (Mar 1, 2021).")
        expect(page.get_by_label("Date of the change")).to_have_value("2021-02-01")
        expect(page.get_by_label("Note")).to_have_value("Sent by e-mail.")

        page.get_by_label("Date of the change").fill("2021-03-05")
        page.get_by_role("button", name="Fulfilled", exact=True).click()

        expect(page.locator(".notice__text")).to_have_text(f"“{what}” is now Fulfilled.")
        expect(page.get_by_role("table")).to_contain_text("Sent by e-mail.")


class TestOutcomes:
    def test_adding_a_measurement_moves_the_progress_bar(
        self, page: Page, live_server: str
    ) -> None:
        title = unique("Complaint posts opened")
        open_section(page, live_server, "Outcomes")
        expect(page.get_by_role("heading", level=1)).to_have_text("Outcome tree")
        page.get_by_role("link", name="New outcome").first.click()
        page.get_by_label("Title (required)").fill(title)
        page.get_by_label("Level (required)").select_option("small_win")
        page.get_by_label("Unit").fill("posts")
        page.get_by_label("Target (required)").fill("40")
        page.get_by_role("button", name="Create outcome").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        progress = page.locator("#outcome-progress")
        expect(progress.locator(".progress__value")).to_contain_text("0%")
        empty_width = progress.locator(".progress__fill").bounding_box()
        assert empty_width is not None

        page.get_by_label("Value (required)").fill("10")
        page.get_by_role("button", name="Add measurement").click()

        expect(page.locator(".notice__text")).to_have_text(
            "Measurement added. Progress is now 25%."
        )
        expect(progress.locator(".progress__value")).to_contain_text("25%")
        expect(progress.locator(".progress__fill")).to_have_attribute("width", "25.0")
        quarter = progress.locator(".progress__fill").bounding_box()
        assert quarter is not None
        assert quarter["width"] > empty_width["width"]

        page.get_by_label("Value (required)").fill("30")
        page.get_by_role("button", name="Add measurement").click()

        expect(progress.locator(".progress__value")).to_contain_text("75%")
        three_quarters = progress.locator(".progress__fill").bounding_box()
        assert three_quarters is not None
        assert three_quarters["width"] == pytest.approx(quarter["width"] * 3, rel=0.05)
        expect(page.locator("svg.line-chart circle")).to_have_count(2)

    def test_the_outcome_tree_fits_a_phone_screen(self, page: Page, live_server: str) -> None:
        page.set_viewport_size({"width": 375, "height": 740})
        open_section(page, live_server, "Outcomes")

        expect(page.locator(".progress__value").first).to_be_visible()
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
