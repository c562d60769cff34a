"""Attendance in a real browser: staff mark a day, a resident reads their own record."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from lms.attendance.models import AttendanceMark, Session, SessionKind, Status
from lms.cohorts.models import Cohort

from .conftest import NO_SIDEWAYS_SCROLL, VIEWPORTS, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_staff_mark_a_day_in_a_few_clicks(live_server, browser, screenshot_dir, device):
    """Can staff see the week, open the latest class day, mark Omar absent and save once?"""
    call_command("load_demo")
    cohort = Cohort.objects.get(slug="cohort-7")
    day = (
        Session.objects.filter(
            cohort=cohort, kind=SessionKind.CLASS_DAY, starts_at__lte=timezone.now()
        )
        .order_by("-starts_at")
        .first()
    )
    context = browser.new_context(viewport=VIEWPORTS[device])
    page = context.new_page()
    sign_in(page, live_server.url, "jordan")

    page.goto(f"{live_server.url}/attendance/{cohort.slug}/?week={day.scheduled_on.isoformat()}")
    assert page.locator(".session-tile").count() >= 5
    assert page.locator("tbody tr[data-resident]").count() == 12
    assert page.evaluate(NO_SIDEWAYS_SCROLL), "the week and the table fit the screen"
    page.screenshot(path=f"{screenshot_dir}/attendance-week-{device}.png", full_page=True)

    page.click(f".session-tile[data-session='{day.pk}']")
    assert page.locator(".mark-row").count() == 12
    assert page.evaluate(NO_SIDEWAYS_SCROLL), "the marking sheet fits the screen"
    page.screenshot(path=f"{screenshot_dir}/attendance-day-{device}.png", full_page=True)

    page.locator(".mark-row[data-resident='omar'] .pill--absent").click()
    page.locator(".mark-row[data-resident='omar'] input[type=text]").fill("No word from him")
    page.locator(".mark-row[data-resident='kai'] .pill--late").click()
    page.click(".mark-sheet__save button")
    page.wait_for_selector(".messages li")
    assert "Attendance saved for 12 residents" in page.inner_text(".messages")
    omar = AttendanceMark.objects.get(session=day, person__username="omar")
    assert (omar.status, omar.note) == (Status.ABSENT, "No word from him")
    assert AttendanceMark.objects.get(session=day, person__username="kai").status == Status.LATE
    context.close()


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_a_resident_reads_their_own_record(live_server, browser, screenshot_dir, device):
    """Does Omar see his rate and his absences, and no one else's names?"""
    call_command("load_demo")
    context = browser.new_context(viewport=VIEWPORTS[device])
    page = context.new_page()
    sign_in(page, live_server.url, "omar")
    page.goto(f"{live_server.url}/attendance/")
    assert page.locator(".rate-card__rate").inner_text().endswith("%")
    assert page.locator("tr[data-status=absent]").count() >= 3
    body = page.inner_text("main")
    assert "Aisha" not in body and "Marcus" not in body
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.screenshot(path=f"{screenshot_dir}/attendance-resident-{device}.png", full_page=True)
    context.close()
