"""Grading a cohort's written answers side by side, in Chromium, on a laptop and a phone; then
the resident reads what the grader chose and wrote, and staff release held results to the
cohort from the gradebook's column."""

import pytest
import time_machine
from playwright.sync_api import expect

from assignments.models import Assignment, CellGrade, Grading

from .conftest import NO_SIDEWAYS_SCROLL, VIEWPORTS, sign_in, signed_in
from .demo_grading import PS1, demo_with_ps1_graded, next_wednesday_noon

pytestmark = [pytest.mark.e2e, pytest.mark.grading, pytest.mark.django_db(transaction=True)]

ANSWER = "texting-consent"


def _awaiting_usernames(ps1: Assignment) -> list[str]:
    return list(
        CellGrade.objects.filter(
            grading__submission__assignment=ps1, grade_id=ANSWER, needs_manual_grade=True
        ).values_list("grading__submission__resident__username", flat=True)
    )


def test_staff_grade_with_the_rubric_and_the_keyboard(live_server, browser, screenshot_dir):
    """From the gradebook's column, does staff reach the first answer awaiting a grader, beside
    its rubric; does a tick set the points and the total without a reload; do the keys move to
    the next resident waiting and back; and does the resident then read the criteria and the
    comment on the feedback page?"""
    with time_machine.travel(next_wednesday_noon(), tick=True):
        ps1 = demo_with_ps1_graded()
        waiting = _awaiting_usernames(ps1)
        assert len(waiting) >= 2, "the demo's hand-ins leave written answers for a grader"
        for device, viewport in VIEWPORTS.items():
            context = browser.new_context(viewport=viewport)
            page = context.new_page()
            sign_in(page, live_server.url, "jordan")
            page.goto(f"{live_server.url}/gradebook/cohort-7/")
            page.get_by_role("link", name=f"Grade {PS1} side by side").click()
            page.wait_for_url(f"**/grading/cohort-7/{PS1}/residents/**")
            answer = page.locator(".desk-cell", has=page.locator(f"code:text-is('{ANSWER}')"))
            expect(answer.locator("[data-awaiting-badge]")).to_be_visible()
            text = answer.locator(".desk-answer__body")
            points = answer.locator("[data-points]")
            if device == "laptop":
                left, right = text.bounding_box(), points.bounding_box()
                assert left["x"] + left["width"] <= right["x"], "the answer sits beside the points"
                assert right["y"] < left["y"] + max(left["height"], 200), "and level with them"
            assert page.evaluate(NO_SIDEWAYS_SCROLL), f"the desk scrolls sideways on a {device}"
            page.screenshot(path=f"{screenshot_dir}/desk-{device}.png", full_page=True)
            if device == "phone":
                context.close()
                continue

            resident = page.url.rstrip("/").rsplit("/", 1)[1]
            page.evaluate("window.notReloaded = true")
            total = page.locator("[data-total-score]")
            before = float(total.inner_text())
            answer.get_by_role("checkbox", name="Asks before the first text").check()
            expect(page.locator("[data-desk-status]")).to_have_text(f"Saved {ANSWER}.")
            expect(points).to_have_value("1")
            expect(total).to_have_text(f"{before + 1:g}")
            expect(answer.locator("[data-awaiting-badge]")).to_be_hidden()
            answer.get_by_label("Comment to").fill("Good start: say how someone stops the texts.")
            answer.get_by_label("Comment to").press("Control+Enter")
            expect(page.locator("[data-desk-status]")).to_have_text(f"Saved {ANSWER}.")
            assert page.evaluate("window.notReloaded === true"), "saved without reloading"
            page.screenshot(path=f"{screenshot_dir}/desk-graded-{device}.png", full_page=True)

            page.locator("body").click(position={"x": 5, "y": 5})
            page.keyboard.press("n")
            page.wait_for_url(lambda url, gone=resident: f"/residents/{gone}/" not in url)
            following = page.url.rstrip("/").rsplit("/", 1)[1]
            assert following in waiting and following != resident
            page.keyboard.press("k")
            page.wait_for_url(lambda url, gone=following: f"/residents/{gone}/" not in url)
            context.close()

        graded = Grading.objects.get(
            submission__assignment=ps1, submission__resident__username=resident
        )
        version = graded.submission.version
        with signed_in(browser, live_server.url, resident) as page:
            page.goto(f"{live_server.url}/progress/{PS1}/v{version}/feedback/")
            comments = page.locator(".grader-comments")
            expect(comments).to_contain_text("say how someone stops the texts")
            expect(comments).to_contain_text("✓ Asks before the first text")
            frame = page.frame_locator("iframe.feedback-frame").first
            expect(frame.locator("body")).to_contain_text("Asks before the first text")
            page.screenshot(path=f"{screenshot_dir}/desk-feedback-resident.png", full_page=True)


def test_staff_release_held_results_to_the_cohort_from_the_gradebook(
    live_server, browser, screenshot_dir
):
    """With ps1's results held, does a resident see neither score nor feedback; does "Release
    results" in the gradebook's column reach the whole cohort at once?"""
    with time_machine.travel(next_wednesday_noon(), tick=True):
        ps1 = demo_with_ps1_graded()
        Assignment.objects.filter(pk=ps1.pk).update(feedback_policy="manual")
        graded = Grading.objects.filter(submission__assignment=ps1).select_related(
            "submission__resident"
        )
        resident = graded.first().submission.resident
        with signed_in(browser, live_server.url, resident.username) as page:
            page.goto(f"{live_server.url}/progress/")
            row = page.locator("tbody tr", has_text=ps1.title).first
            expect(row).to_contain_text("Results held until staff release them")
            expect(row.get_by_role("link", name=f"Feedback on {PS1}")).to_have_count(0)

        with signed_in(browser, live_server.url, "jordan") as page:
            page.goto(f"{live_server.url}/gradebook/cohort-7/")
            page.get_by_role("button", name=f"Release results of {PS1} to the cohort").click()
            expect(page.locator(".messages")).to_contain_text(
                f"released to the cohort ({graded.count()}"
            )
            expect(page.locator("th.assignment", has_text=PS1)).to_contain_text("results released")
            page.screenshot(path=f"{screenshot_dir}/gradebook-released.png")

        with signed_in(browser, live_server.url, resident.username) as page:
            page.goto(f"{live_server.url}/progress/")
            row = page.locator("tbody tr", has_text=ps1.title).first
            expect(row).not_to_contain_text("Results held")
            expect(row.get_by_role("link", name=f"Feedback on {PS1}")).to_be_visible()
            page.screenshot(path=f"{screenshot_dir}/progress-after-release.png", full_page=True)
