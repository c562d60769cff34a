"""Staff's cohort gradebook, looked at in a real browser on a laptop and a phone."""

import datetime
import random

import pytest
from django.core.management import call_command
from django.utils import timezone

from assignments.models import Assignment, Grading, Submission
from lms.cohorts.models import Cohort

from .conftest import NO_SIDEWAYS_SCROLL, VIEWPORTS, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _graded_hand_ins(cohort: Cohort) -> None:
    """Grades for the demo's past problem sets, as the grading worker would have stored them."""
    rng = random.Random(3)
    now = timezone.now()
    for assignment in Assignment.objects.filter(cohort=cohort, due_at__lt=now):
        for enrollment in cohort.enrollments.select_related("resident"):
            if rng.random() < 0.12:
                continue
            submission = Submission.objects.create(
                assignment=assignment, resident=enrollment.resident, version=1, checksum="demo",
                submitted_at=assignment.due_at - datetime.timedelta(hours=rng.randint(-30, 50)),
            )  # fmt: skip
            late = max(0, int((submission.submitted_at - assignment.due_at).total_seconds()))
            score = round(assignment.max_score * rng.uniform(0.35, 1.0))
            Grading.objects.create(
                submission=submission, status="graded", queued_at=now, max_score=assignment.max_score,
                raw_score=score, score=score, seconds_late=late, needs_manual_grading=rng.random() < 0.2,
            )  # fmt: skip


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_gradebook_reads_clearly(live_server, browser, screenshot_dir, device):
    """Can staff read the whole cohort's grid, with names in view while it scrolls sideways?"""
    call_command("load_demo")
    cohort = Cohort.objects.get(slug="cohort-7")
    _graded_hand_ins(cohort)
    context = browser.new_context(viewport=VIEWPORTS[device])
    page = context.new_page()
    sign_in(page, live_server.url, "jordan")

    page.goto(f"{live_server.url}/gradebook/{cohort.slug}/")
    assert page.locator("tbody tr[data-resident]").count() == 12
    assert page.evaluate(NO_SIDEWAYS_SCROLL), "the grid scrolls inside its frame, not the page"
    assert page.locator("tr.at-risk").count() >= 1
    page.screenshot(path=f"{screenshot_dir}/gradebook-{device}.png", full_page=True)
    first_row = page.locator("tbody tr[data-resident]").first.bounding_box()
    height = VIEWPORTS[device]["height"]
    assert first_row["y"] + first_row["height"] <= height, (
        "the filters leave the grid on screen one"
    )
    if device == "phone":
        grid = page.locator(".gradebook-wrap")
        grid.scroll_into_view_if_needed()
        grid.evaluate("frame => frame.scrollBy(0, 400)")
        header = page.locator("thead tr:last-child th").first.bounding_box()
        frame = grid.bounding_box()
        assert abs(header["y"] - frame["y"]) < 2, "assignment names stay at the top of the grid"
        page.screenshot(path=f"{screenshot_dir}/gradebook-scrolled-{device}.png")

    page.locator(".more-filters summary").click()
    page.select_option("select[name=state]", "needs-manual")
    page.click("form.gradebook-filters button[type=submit]")
    for row in page.locator("tbody tr[data-resident]").all():
        assert row.locator("td.cell--needs-manual").count() >= 1
    context.close()


@pytest.mark.grading
def test_a_script_in_a_residents_output_does_not_run_on_the_review_page(
    live_server, browser, cohort, staff, screenshot_dir
):
    """Does a notebook output's script stay inert when staff open the hand-in in a real browser?"""
    from tests.assignments.test_submission_review import hostile_hand_in
    from tests.factories import PASSWORD, resident_in

    hostile_hand_in(cohort, resident_in(cohort, username="ana"))
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, live_server.url, staff.username, PASSWORD)
    page.goto(f"{live_server.url}/gradebook/{cohort.slug}/ana/ps1/")
    frame = page.frame_locator("iframe.feedback-frame")
    frame.get_by_text("bold claim", exact=True).wait_for()
    assert page.evaluate("document.body.dataset.pwned") is None
    page.screenshot(path=f"{screenshot_dir}/submission-review.png", full_page=True)
    context.close()


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_residents_progress_reads_clearly(live_server, browser, screenshot_dir, device):
    """Does a resident see week-by-week bars, what comes next and each grade, on both screens?"""
    call_command("load_demo")
    _graded_hand_ins(Cohort.objects.get(slug="cohort-7"))
    context = browser.new_context(viewport=VIEWPORTS[device])
    page = context.new_page()
    sign_in(page, live_server.url, "aisha")
    page.goto(f"{live_server.url}/progress/")
    assert page.locator(".bars .bar").count() == 16
    assert page.locator(".bars .bar:not(.bar--empty)").count() >= 4, "weeks 1-5 have graded work"
    assert page.locator(".trend__dot").count() >= 4, "a point on the running total per scored week"
    assert page.evaluate(NO_SIDEWAYS_SCROLL), "the table scrolls inside its frame, not the page"
    page.screenshot(path=f"{screenshot_dir}/progress-{device}.png", full_page=True)
    context.close()
