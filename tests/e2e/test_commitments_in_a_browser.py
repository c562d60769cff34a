"""Post-residency hours in a real browser: an alumna logs hers; staff read the cohort's grid."""

import pytest
from django.core.management import call_command

from lms.commitments.models import HoursEntry

from .conftest import NO_SIDEWAYS_SCROLL, VIEWPORTS, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_an_alumna_logs_hours(live_server, browser, screenshot_dir, device):
    """Does Noor see her months, with last month behind, and can she log an hour of office hours?"""
    call_command("load_demo")
    context = browser.new_context(viewport=VIEWPORTS[device])
    page = context.new_page()
    sign_in(page, live_server.url, "noor")
    page.goto(f"{live_server.url}/hours/")
    assert page.locator(".month").count() == 8
    assert page.locator(".month--behind").count() == 1
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.screenshot(path=f"{screenshot_dir}/hours-alumna-{device}.png", full_page=True)

    before = HoursEntry.objects.filter(person__username="noor").count()
    page.select_option("#id_kind", "office_hours")
    page.fill("#id_hours", "1.25")
    page.fill("#id_note", "Helped two residents with Git")
    page.click(".hours-form button[type=submit]")
    page.wait_for_selector(".messages li")
    assert "Logged 1.25 hours of office hours" in page.inner_text(".messages")
    assert HoursEntry.objects.filter(person__username="noor").count() == before + 1
    context.close()


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_staff_read_the_hours_grid(live_server, browser, screenshot_dir, device):
    """Can staff see who is behind, sorted furthest behind first, inside a scrolling frame?"""
    call_command("load_demo")
    context = browser.new_context(viewport=VIEWPORTS[device])
    page = context.new_page()
    sign_in(page, live_server.url, "jordan")
    page.goto(f"{live_server.url}/hours/cohort-6/?sort=behind")
    rows = page.locator("tbody tr[data-person]")
    assert rows.count() == 4
    assert rows.first.get_attribute("data-person") == "hector"
    assert page.locator("tr.is-behind").count() == 2
    assert page.evaluate(NO_SIDEWAYS_SCROLL), "the grid scrolls inside its frame, not the page"
    page.screenshot(path=f"{screenshot_dir}/hours-grid-{device}.png", full_page=True)
    context.close()
