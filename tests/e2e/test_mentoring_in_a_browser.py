"""Mentoring in a real browser: a mentor's mentees and log, staff's overview, laptop and phone."""

import pytest
from django.core.management import call_command

from .conftest import NO_SIDEWAYS_SCROLL, VIEWPORTS, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_a_mentor_sees_mentees_and_logs_a_check_in(live_server, browser, screenshot_dir, device):
    """Does a mentor see who needs a check-in this week, and log one from the mentee's page?"""
    call_command("load_demo")
    context = browser.new_context(viewport=VIEWPORTS[device])
    page = context.new_page()
    sign_in(page, live_server.url, "priya")

    page.goto(f"{live_server.url}/mentoring/")
    assert page.url.endswith("/mentoring/mentees/")
    assert page.locator("li.mentee").count() == 6, "four residents and two alumni"
    assert page.locator("li.mentee .badge--amber").count() >= 1
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.screenshot(path=f"{screenshot_dir}/mentoring-mentees-{device}.png", full_page=True)

    page.locator('li.mentee[data-resident="aisha"] a.button').click()
    page.check("input[name=channel][value=phone]")
    page.fill("#id_duration_minutes", "25")
    page.fill("#id_notes", "Quick call about the week-6 project.")
    page.click("#log-form button[type=submit]")
    page.get_by_text("Check-in with Aisha Bello logged.").wait_for()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.screenshot(path=f"{screenshot_dir}/mentoring-log-{device}.png", full_page=True)
    context.close()


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_staff_see_the_cohort_and_resolve_a_concern(live_server, browser, screenshot_dir, device):
    """Do staff see quiet pairings and the open concern, and resolve it in place?"""
    call_command("load_demo")
    context = browser.new_context(viewport=VIEWPORTS[device])
    page = context.new_page()
    sign_in(page, live_server.url, "jordan")

    page.goto(f"{live_server.url}/mentoring/overview/?cohort=cohort-7")
    assert page.locator("tbody tr[data-resident]").count() == 12
    assert page.locator("tr.is-quiet").count() >= 2
    assert page.locator("li.concern--open").count() == 1
    assert page.evaluate(NO_SIDEWAYS_SCROLL), "the table scrolls inside its frame, not the page"
    page.screenshot(path=f"{screenshot_dir}/mentoring-overview-{device}.png", full_page=True)

    concern = page.locator("li.concern--open")
    concern.locator("textarea").fill("Talked with DeShawn; he moves to the evening lab for now.")
    concern.locator("button[type=submit]").click()
    page.get_by_text("No open concerns in Cohort 7.").wait_for()
    assert page.locator("li.concern--resolved").count() == 2
    context.close()
