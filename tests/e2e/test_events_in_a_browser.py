"""Seminars, RSVPs and office hours in a real browser, on a laptop and a phone."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from courses.models import SeminarPage
from lms.events.models import Rsvp
from lms.officehours.models import Booking

from .conftest import NO_SIDEWAYS_SCROLL, VIEWPORTS, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_rsvp_from_a_seminar_page_and_see_it_listed(live_server, browser, screenshot_dir, device):
    """Does Omar RSVP in one click and find it on /events/, and Aisha see her waitlist place?"""
    call_command("load_demo")
    seminar = SeminarPage.objects.get(slug="mapping-eviction-filings")
    context = browser.new_context(viewport=VIEWPORTS[device])
    page = context.new_page()
    sign_in(page, live_server.url, "omar")

    page.goto(f"{live_server.url}{seminar.url}")
    assert "2 of 14 places left" in page.locator(".rsvp-box").inner_text()
    page.get_by_role("button", name="RSVP — I'm coming").click()
    page.wait_for_selector(".messages li")
    assert "You're going" in page.locator(".rsvp-box").inner_text()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.screenshot(path=f"{screenshot_dir}/events-seminar-going-{device}.png", full_page=True)

    page.goto(f"{live_server.url}/events/")
    card = page.locator(".event-card", has_text="Mapping eviction filings")
    assert "You're going" in card.inner_text()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.screenshot(path=f"{screenshot_dir}/events-list-{device}.png", full_page=True)
    context.close()

    context = browser.new_context(viewport=VIEWPORTS[device])
    page = context.new_page()
    sign_in(page, live_server.url, "aisha")
    page.goto(f"{live_server.url}{SeminarPage.objects.get(slug='accessible-forms').url}")
    box = page.locator(".rsvp-box").inner_text()
    assert "All 10 places are taken" in box and "Waitlist · number 2" in box
    page.screenshot(path=f"{screenshot_dir}/events-seminar-waitlist-{device}.png", full_page=True)
    context.close()


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_a_host_takes_attendance_from_the_attendee_list(
    live_server, browser, screenshot_dir, device
):
    """Does Luis see his list, tick who came on the day in one save, and Amara get a 404 for it?"""
    call_command("load_demo")
    seminar = SeminarPage.objects.get(slug="accessible-forms")
    context = browser.new_context(viewport=VIEWPORTS[device])
    page = context.new_page()
    sign_in(page, live_server.url, "luis")
    page.goto(f"{live_server.url}/events/{seminar.pk}/attendees/")
    assert page.locator("tr[data-rsvp]").count() == 10
    assert page.locator("input[name=attended]").count() == 0, "attendance waits for the day"
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.screenshot(path=f"{screenshot_dir}/events-attendees-{device}.png", full_page=True)

    seminar.starts_at = timezone.now() + datetime.timedelta(minutes=20)
    seminar.ends_at = seminar.starts_at + datetime.timedelta(hours=1)
    seminar.save()
    page.reload()
    for username in ("kai", "mei", "omar"):
        rsvp = Rsvp.objects.get(event=seminar, person__username=username)
        page.check(f"#attended-{rsvp.pk}")
    page.get_by_role("button", name="Save attendance").click()
    page.wait_for_selector(".messages li")
    assert "Attendance saved: 3 of 10 came" in page.locator(".messages").inner_text()
    assert page.locator("tr[data-rsvp] .badge--teal").count() == 3
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.screenshot(path=f"{screenshot_dir}/events-attendance-{device}.png", full_page=True)
    context.close()

    context = browser.new_context(viewport=VIEWPORTS[device])
    page = context.new_page()
    sign_in(page, live_server.url, "amara")
    response = page.goto(f"{live_server.url}/events/{seminar.pk}/attendees/")
    assert response.status == 404, "Amara hosts another seminar, not this one"
    context.close()


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_book_office_hours_and_see_the_hosts_view(live_server, browser, screenshot_dir, device):
    """Can DeShawn book an open slot from the board, and does Tanisha see his name on her slots?"""
    call_command("load_demo")
    context = browser.new_context(viewport=VIEWPORTS[device])
    page = context.new_page()
    sign_in(page, live_server.url, "deshawn")
    page.goto(f"{live_server.url}/office-hours/")
    assert page.locator(".oh-day").count() >= 1
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.screenshot(path=f"{screenshot_dir}/officehours-board-{device}.png", full_page=True)

    page.locator(".oh-host", has_text="Tanisha").first.locator("a.oh-time").first.click()
    page.fill("textarea[name=note]", "Is my capstone README clear to a hiring manager?")
    page.screenshot(path=f"{screenshot_dir}/officehours-book-{device}.png", full_page=True)
    page.get_by_role("button", name="Book this slot").click()
    page.wait_for_selector(".messages li")
    assert "capstone README" in page.locator(".oh-bookings").inner_text()
    booking = Booking.objects.get(booker__username="deshawn")
    context.close()

    context = browser.new_context(viewport=VIEWPORTS[device])
    page = context.new_page()
    sign_in(page, live_server.url, "tanisha")
    page.goto(f"{live_server.url}/office-hours/mine/")
    row = page.locator(f".oh-slot[data-slot='{booking.slot_id}']")
    assert "DeShawn Carter" in row.inner_text()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.screenshot(path=f"{screenshot_dir}/officehours-host-{device}.png", full_page=True)

    page.get_by_role("link", name="Publish slots").click()
    page.fill("input[name=topic]", "Mock interviews")
    page.get_by_role("button", name="Publish").click()
    assert "Choose the day of the first slot." in page.locator("form.oh-publish").inner_text()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.screenshot(path=f"{screenshot_dir}/officehours-publish-{device}.png", full_page=True)
    context.close()
