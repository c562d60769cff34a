"""Where the cohort is stuck, reached from the gradebook and from the lesson, on a laptop and a phone.

The demo's sample hand-ins of ps1 are graded for real (kernels in the sandbox), so the page
shows the failures the demo's partial and mistaken answers actually raise. The clock is moved
to a Wednesday noon ahead of the real one, so the demo's week 6 is the same whatever the day.
"""

import re

import pytest
import time_machine
from playwright.sync_api import expect

from .conftest import NO_SIDEWAYS_SCROLL, VIEWPORTS, sign_in
from .demo_grading import PS1, demo_with_ps1_graded, next_wednesday_noon

pytestmark = [pytest.mark.e2e, pytest.mark.grading, pytest.mark.django_db(transaction=True)]

COLUMN_LINK = re.compile(rf"^{PS1}\s*: where the cohort is stuck$")
HAND_IN = re.compile(rf".*/gradebook/cohort-7/[\w.@+-]+/{PS1}/$")


def test_staff_see_where_the_cohort_is_stuck_on_a_laptop_and_a_phone(
    live_server, browser, screenshot_dir
):
    """From the gradebook's column and the lesson's card, does staff reach each test's pass rate,
    its failures and who is stuck, readable on both screens?"""
    with time_machine.travel(next_wednesday_noon(), tick=True):
        ps1 = demo_with_ps1_graded()
        for device, viewport in VIEWPORTS.items():
            context = browser.new_context(viewport=viewport)
            page = context.new_page()
            sign_in(page, live_server.url, "jordan")

            page.goto(f"{live_server.url}/gradebook/cohort-7/")
            page.screenshot(path=f"{screenshot_dir}/stuck-from-gradebook-{device}.png")
            page.get_by_role("link", name=COLUMN_LINK).click()
            page.wait_for_url(f"{live_server.url}/gradebook/cohort-7/stuck/{PS1}/")
            expect(page.locator("h1")).to_have_text(ps1.title)
            expect(page.locator(".hero .lede")).to_contain_text("10 of 12 residents have")
            cells = page.locator(".stuck-cell")
            assert cells.count() == 4, "ps1 has four autograded tests"
            expect(cells.first.locator(".stuck-cell__count")).to_contain_text("passed")
            failing = page.locator(".stuck-cell", has=page.locator(".stuck-failures"))
            assert failing.count() >= 1, "the demo's partial and mistaken answers fail some tests"
            assert page.evaluate(NO_SIDEWAYS_SCROLL), f"the page scrolls sideways on a {device}"
            page.screenshot(path=f"{screenshot_dir}/stuck-{device}.png", full_page=True)

            failing.first.locator(".stuck-people a").first.click()
            page.wait_for_url(HAND_IN)
            expect(page.locator("h1")).to_have_text(ps1.title)

            page.goto(f"{live_server.url}{ps1.lesson.url}")
            page.locator("[data-stuck-link]").click()
            page.wait_for_url(f"{live_server.url}/gradebook/cohort-7/stuck/{PS1}/")
            context.close()
