"""Where the cohort is stuck, reached from the gradebook and from the lesson, on a laptop and a phone.

The demo's sample hand-ins of ps1 are graded for real (kernels in the sandbox), so the page
shows the failures the demo's partial and mistaken answers actually raise. The clock is moved
to a Wednesday noon ahead of the real one, so the demo's week 6 is the same whatever the day.
"""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from assignments.models import Assignment, Grading
from assignments.services.runs import grading_run

from .conftest import NO_SIDEWAYS_SCROLL, VIEWPORTS, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.grading, pytest.mark.django_db(transaction=True)]

PS1 = "ps1-python-basics"
COLUMN_LINK = re.compile(rf"^{PS1}\s*: where the cohort is stuck$")
HAND_IN = re.compile(rf".*/gradebook/cohort-7/[\w.@+-]+/{PS1}/$")
# The demo queues its hand-ins for a worker; here they wait until the test grades the ones it needs.
QUEUE_ONLY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}}


def _next_wednesday_noon() -> datetime.datetime:
    """Ahead of the real clock, so the browser keeps the cookies the server dates."""
    today = timezone.localdate()
    wednesday = today + datetime.timedelta(days=7 - today.weekday() + 2)
    return datetime.datetime.combine(
        wednesday, datetime.time(12), tzinfo=ZoneInfo(settings.TIME_ZONE)
    )


def _demo_with_ps1_graded() -> Assignment:
    with override_settings(TASKS=QUEUE_ONLY):
        call_command("load_demo", "--submissions")
    ps1 = Assignment.objects.get(cohort__slug="cohort-7", name=PS1)
    for grading_id in Grading.objects.filter(submission__assignment=ps1).values_list(
        "id", flat=True
    ):
        grading_run(grading_id=grading_id)
    assert not Grading.objects.filter(submission__assignment=ps1).exclude(status="graded")
    return ps1


def test_staff_see_where_the_cohort_is_stuck_on_a_laptop_and_a_phone(
    live_server, browser, screenshot_dir
):
    """From the gradebook's column and the lesson's card, does staff reach each test's pass rate,
    its failures and who is stuck, readable on both screens?"""
    with time_machine.travel(_next_wednesday_noon(), tick=True):
        ps1 = _demo_with_ps1_graded()
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
