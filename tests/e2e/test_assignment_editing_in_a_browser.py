"""Editing an assignment in the Wagtail admin, in Chromium: a later due time and a cell's
points, saved together, the history below the form, and the offer to grade hand-ins again."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from assignments.models import Grading

from .conftest import signed_in
from .demo_grading import PS1, demo_with_ps1_graded, next_wednesday_noon

pytestmark = [pytest.mark.e2e, pytest.mark.grading, pytest.mark.django_db(transaction=True)]


def test_staff_move_the_due_time_and_change_points_then_grade_again(
    live_server, browser, screenshot_dir
):
    with time_machine.travel(next_wednesday_noon(), tick=True):
        ps1 = demo_with_ps1_graded()
        late = Grading.objects.filter(submission__assignment=ps1, late_penalty__gt=0).first()
        assert late is not None, "the demo has one late hand-in per set"
        with signed_in(browser, live_server.url, "jordan") as page:
            page.goto(f"{live_server.url}/admin/assignments/")
            page.get_by_role("link", name=PS1, exact=True).click()
            page.wait_for_url(f"**/admin/assignments/{ps1.pk}/edit/")
            later = timezone.localtime(ps1.due_at) + datetime.timedelta(days=2)
            page.fill("#id_due_at", later.strftime("%Y-%m-%dT%H:%M"))
            page.fill("[name='points:ps1-python-basics:texting-consent']", "3")
            page.get_by_role("button", name="Save changes").click()
            page.wait_for_url(f"**/admin/assignments/{ps1.pk}/edit/?regrade=*")
            offer = page.locator("#regrade-offer")
            expect(offer).to_contain_text("graded against the old version")
            history = page.locator("table.listing").last
            expect(history).to_contain_text("Due at")
            expect(history).to_contain_text("Points")
            expect(history).to_contain_text("Jordan Rivera")
            page.screenshot(path=f"{screenshot_dir}/assignment-edit-laptop.png", full_page=True)
            late.refresh_from_db()
            assert late.late_penalty == 0, "the late hand-in is on time under the new due time"

            offer.get_by_role("button", name="Grade the hand-ins again").click()
            expect(page.locator(".messages")).to_contain_text("queued to be graded again")
