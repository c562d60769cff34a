"""Accessibility: axe-core's WCAG 2.1 A and AA rules on every main page, for each role, on a
laptop and a phone: no serious or critical violation."""

import pytest
import time_machine

from courses.models import LessonPage, SyllabusPage

from .axe import axe_violations
from .conftest import VIEWPORTS, sign_in
from .demo_grading import PS1, demo_with_ps1_graded, next_wednesday_noon

pytestmark = [pytest.mark.e2e, pytest.mark.grading, pytest.mark.django_db(transaction=True)]

COMMON = ["/", "/community/", "/events/", "/office-hours/", "/calendar/"]


def _pages() -> dict[str, list[str]]:
    syllabus = SyllabusPage.objects.get(cohort__slug="cohort-7")
    lesson = LessonPage.objects.descendant_of(syllabus).live().order_by("-path").first()
    week = lesson.get_parent()
    learning = [syllabus.url, week.url, lesson.url]
    return {
        "aisha": COMMON + learning + [
            "/progress/", f"/progress/{PS1}/v1/feedback/", "/hours/", "/projects/",
            "/mentoring/my-mentor/", "/accounts/password_change/",
            "/placement/", "/placement/profile/", "/placement/openings/", "/placement/people/aisha/",
        ],
        "priya": COMMON + [
            "/mentoring/", "/mentoring/mentees/", "/progress/of/aisha/", "/placement/",
        ],
        "amara": COMMON + learning,
        "jordan": COMMON + [
            "/gradebook/cohort-7/", "/gradebook/cohort-7/manual/", f"/grading/cohort-7/{PS1}/",
            f"/gradebook/cohort-7/stuck/{PS1}/", f"/gradebook/cohort-7/aisha/{PS1}/",
            "/attendance/", "/hours/", "/projects/", "/mentoring/overview/",
            "/placement/board/cohort-6/", "/placement/outcomes/", "/placement/openings/",
            "/placement/partners/",
        ],
    }  # fmt: skip


def test_no_serious_or_critical_violations_on_any_main_page(live_server, browser):
    with time_machine.travel(next_wednesday_noon(), tick=True):
        demo_with_ps1_graded()
        pages = _pages()
        found = {}
        for device, viewport in VIEWPORTS.items():
            for username, paths in pages.items():
                context = browser.new_context(viewport=viewport, bypass_csp=True)
                page = context.new_page()
                sign_in(page, live_server.url, username)
                for path in paths:
                    response = page.goto(f"{live_server.url}{path}")
                    assert response.ok, f"{path} as {username}: {response.status}"
                    for violation in axe_violations(page):
                        found.setdefault((violation["id"], violation["help"]), []).append(
                            f"{username} {device} {page.url.removeprefix(live_server.url)}: "
                            + "; ".join(violation["targets"])
                        )
                context.close()
        report = "\n".join(
            f"{rule} ({help_}) on {len(where)} page views:\n  " + "\n  ".join(where[:6])
            for (rule, help_), where in sorted(found.items())
        )
        print(f"\naxe: {sum(len(w) for w in found.values())} serious or critical\n{report}")
        assert not found, report
