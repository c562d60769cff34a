"""Post-residency hours in a real browser: an alumna logs hers; staff read the cohort's grid.

Also: a long name or note (hers, shown on the hours, mentoring and attendance pages) wraps.
"""

import pytest
from django.core.management import call_command
from django.utils import timezone

from lms.commitments.models import HoursEntry, HoursKind
from lms.commitments.services import hours_entry_create
from lms.people.models import User

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


def test_an_alumna_can_read_the_home_pages_way_to_her_hours(live_server, browser):
    """Is the white "Log your hours" button on the purple card lettered in a colour, not white?"""
    call_command("load_demo")
    context = browser.new_context(viewport=VIEWPORTS["laptop"])
    page = context.new_page()
    sign_in(page, live_server.url, "noor")
    button = page.get_by_role("link", name="Log your hours")
    colours = button.evaluate(
        "el => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]"
    )
    assert colours[1] == "rgb(255, 255, 255)"
    assert colours[0] != colours[1], "white on white"
    button.click()
    page.wait_for_url(f"{live_server.url}/hours/")
    context.close()


LONG_NAME = "Bartholomew" * 9 + "a"
LONG_NOTE = "Pairing" * 42 + "Xyzzyx"
# Pages that show Noor's name or her note, by who reads them.
LONG_TEXT_PAGES = {
    "noor": ["/", "/hours/"],
    "priya": ["/", "/mentoring/mentees/", "/attendance/"],
    "jordan": [
        "/hours/cohort-6/",
        "/mentoring/overview/?cohort=cohort-6",
        "/attendance/cohort-6/",
        "/attendance/cohort-6/people/noor/",
    ],
}


def _give_noor_a_long_name_and_note() -> None:
    """A 100-letter first name, and today's entry with a 300-letter note (the most a note holds)."""
    noor = User.objects.get(username="noor")
    noor.first_name = LONG_NAME
    noor.save(update_fields=["first_name"])
    hours_entry_create(
        person=noor, date=timezone.localdate(), kind=HoursKind.MENTORING, hours="1", note=LONG_NOTE
    )


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_long_names_and_notes_wrap_instead_of_pushing_the_page_sideways(
    live_server, browser, screenshot_dir, device
):
    """Does a 100-letter name or a 300-letter note wrap on every page showing it, even on a phone?"""
    assert len(LONG_NAME) == 100 and len(LONG_NOTE) == 300
    call_command("load_demo")
    _give_noor_a_long_name_and_note()
    for username, paths in LONG_TEXT_PAGES.items():
        context = browser.new_context(viewport=VIEWPORTS[device])
        page = context.new_page()
        sign_in(page, live_server.url, username)
        for path in paths:
            page.goto(f"{live_server.url}{path}")
            text = page.inner_text("main")
            assert LONG_NAME[:40] in text or LONG_NOTE[:40] in text, f"{path} shows neither"
            assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{path} scrolls sideways for {username}"
            name = path.strip("/").split("?")[0].replace("/", "-") or "home"
            page.screenshot(
                path=f"{screenshot_dir}/long-text-{username}-{name}-{device}.png", full_page=True
            )
        context.close()
