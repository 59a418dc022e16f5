"""The meeting log in a real browser: log a meeting end to end on the demo case."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.server import sign_in

pytestmark = pytest.mark.browser


def open_the_log(page: Page, live_server: str) -> None:
    """From the home page to the meeting log of the demo case, as a newcomer would."""
    page.goto(live_server + "/")
    page.get_by_role("link", name=re.compile("Perbaikan Bansos")).first.click()
    page.get_by_role("navigation", name="Collaboration").get_by_role(
        "link", name="Meetings"
    ).click()
    page.get_by_role("link", name="Log a meeting").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a meeting")


class TestMeetingLog:
    def test_log_a_meeting_see_an_error_fix_it_and_see_the_meeting(
        self, page: Page, live_server: str
    ) -> None:
        title = f"Evaluation meeting {uuid.uuid4().hex[:6]}"
        open_the_log(page, live_server)

        page.get_by_label("Title (required)").fill(title)
        page.get_by_label("Date (required)").fill("2022-01-10")
        page.get_by_label("Start time (required)").fill("09:00")
        page.get_by_label("End time").fill("11:00")
        page.get_by_label("Location").fill("Balai Kota")
        for name in ("SPRI DKI Jakarta", "Dinas Sosial DKI Jakarta", "LBH Jakarta"):
            page.get_by_role("checkbox", name=name, exact=True).check()
        page.get_by_label("Minutes", exact=True).fill(
            "**Agreed**: Dinsos verifies the coalition's list.\n\n- next meeting in February"
        )

        page.get_by_role("button", name="Preview the minutes").click()

        preview = page.locator("#minutes-preview")
        expect(preview.locator("strong")).to_have_text("Agreed")
        expect(preview.locator("li")).to_have_text("next meeting in February")
        expect(page.get_by_label("Title (required)")).to_have_value(title)
        expect(page.get_by_role("checkbox", name="LBH Jakarta", exact=True)).to_be_checked()

        page.locator("#field-decisions-0-text").fill("Verify the list before the next update")
        owner = page.locator("#field-commitments-0-owner_id")
        owner.select_option(label="Dinas Sosial DKI Jakarta")
        page.locator("#field-commitments-0-counterpart_id").select_option(label="SPRI DKI Jakarta")
        page.locator("#field-commitments-0-description").fill("Verify 1,480 households")
        page.locator("#field-commitments-0-due_on").fill("2021-12-01")
        page.locator("#field-trust_events-0-actor_id").select_option(
            label="Dinas Sosial DKI Jakarta"
        )
        page.locator("#field-trust_events-0-kind").select_option("information_shared")
        page.locator("#field-trust_events-0-valence").select_option("positive")
        page.locator("#field-trust_events-0-trust_form").select_option("procedural")
        page.locator("#field-trust_events-0-description").fill("Shared the DTKS update status")

        page.get_by_role("button", name="Save the meeting", exact=True).last.click()

        due = page.locator("#field-commitments-0-due_on")
        expect(page.locator("#field-commitments-0-due_on-error")).to_contain_text(
            "Must not be before the meeting's date (Jan 10, 2022)."
        )
        expect(due).to_have_attribute("aria-invalid", "true")
        expect(due).to_have_value("2021-12-01")
        expect(page.get_by_role("alert").first).to_contain_text("There is a problem")
        expect(page.get_by_label("Title (required)")).to_have_value(title)
        expect(page.locator("#field-decisions-0-text")).to_have_value(
            "Verify the list before the next update"
        )
        expect(page.locator("#field-trust_events-0-description")).to_have_value(
            "Shared the DTKS update status"
        )

        due.fill("2022-02-15")
        page.get_by_role("button", name="Save the meeting", exact=True).last.click()

        expect(page.locator(".notice__text")).to_have_text(f"Meeting “{title}” logged.")
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        expect(page.locator(".minutes strong")).to_have_text("Agreed")
        expect(page.get_by_text("Verify the list before the next update")).to_be_visible()
        expect(page.get_by_role("link", name="Verify 1,480 households")).to_be_visible()
        expect(page.get_by_text("Shared the DTKS update status")).to_be_visible()
        attendance = page.get_by_role("table", name="Attendance")
        expect(attendance.get_by_role("row")).to_have_count(1 + 3)

    def test_add_more_rows_keeps_what_was_typed(self, page: Page, live_server: str) -> None:
        open_the_log(page, live_server)
        page.get_by_label("Title (required)").fill("Kept title")
        page.locator("#field-decisions-2-text").fill("Third decision")

        page.get_by_role("button", name="Add more decision rows").click()

        expect(page.locator("#field-decisions-5-text")).to_be_visible()
        expect(page.locator("#field-decisions-2-text")).to_have_value("Third decision")
        expect(page.get_by_label("Title (required)")).to_have_value("Kept title")

    def test_the_log_fits_a_phone_screen(self, browser: Browser, live_server: str) -> None:
        phone = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
        page = phone.new_page()
        sign_in(page, live_server)
        open_the_log(page, live_server)

        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        # Anywhere in the long form, Save stays within reach at the bottom of the screen.
        page.locator("#field-decisions-0-text").scroll_into_view_if_needed()
        save = page.get_by_role("button", name="Save the meeting", exact=True).last
        expect(save).to_be_in_viewport()
        phone.close()
        assert overflow <= 0
