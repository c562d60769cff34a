"""Keyboard only, no mouse: a resident signs in, reads a lesson, reaches the notebook and their
progress; staff grade a written answer by hand. Every stop shows where the focus is."""

import re

import pytest
import time_machine
from playwright.sync_api import expect

from assignments.models import Grading
from courses.models import LessonPage, SyllabusPage

from .conftest import VIEWPORTS
from .demo_grading import PS1, demo_with_ps1_graded, next_wednesday_noon

pytestmark = [pytest.mark.e2e, pytest.mark.grading, pytest.mark.django_db(transaction=True)]

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {text: '', tag: 'BODY', name: '', visible: false};
  const style = getComputedStyle(el);
  const visible = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
    || style.boxShadow !== 'none';
  const label = el.labels && el.labels.length ? el.labels[0].textContent : '';
  const text = el.getAttribute('aria-label') || label || el.textContent || el.value || '';
  return {text: text.replace(/\\s+/g, ' ').trim(), tag: el.tagName,
          name: el.getAttribute('name') || '', visible};
}"""


def tab_to(page, pattern: str, limit: int = 120) -> dict:
    """Press Tab until the focused element's text matches; it must show its focus."""
    wanted = re.compile(pattern)
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if wanted.search(focused["text"]) or wanted.search(focused["name"]):
            assert focused["visible"], f"focus on {focused['text']!r} cannot be seen"
            return focused
    raise AssertionError(f"{pattern!r} cannot be reached with Tab")


def _sign_in_by_keyboard(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    tab_to(page, r"^username$")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type("residency-demo")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base_url}/")


def test_a_resident_gets_to_the_lesson_notebook_and_progress_by_keyboard(live_server, browser):
    with time_machine.travel(next_wednesday_noon(), tick=True):
        ps1 = demo_with_ps1_graded()
        resident = (
            Grading.objects.filter(submission__assignment=ps1, status="graded")
            .order_by("submission__resident__username")
            .first()
            .submission.resident.username
        )
        syllabus = SyllabusPage.objects.get(cohort__slug="cohort-7")
        lesson = LessonPage.objects.descendant_of(syllabus).live().order_by("-path").first()
        context = browser.new_context(viewport=VIEWPORTS["laptop"])
        page = context.new_page()
        _sign_in_by_keyboard(page, live_server.url, resident)

        page.keyboard.press("Tab")
        assert page.evaluate(FOCUSED)["text"] == "Skip to content", "the first stop skips the menu"

        page.goto(f"{live_server.url}{lesson.get_parent().url}")
        tab_to(page, re.escape(lesson.title))
        page.keyboard.press("Enter")
        page.wait_for_url(f"**{lesson.url}")
        expect(page.locator("h1")).to_have_text(lesson.title)

        first_lesson = LessonPage.objects.descendant_of(syllabus).live().order_by("path").first()
        page.goto(f"{live_server.url}{first_lesson.url}")
        tab_to(page, r"Open in JupyterLab")
        href = page.evaluate("() => document.activeElement.getAttribute('href')")
        assert "/hub/" in href, "the notebook opens from the card by keyboard"

        tab_to(page, r"^My progress$")
        page.keyboard.press("Enter")
        page.wait_for_url(f"{live_server.url}/progress/")
        tab_to(page, rf"Feedback on {PS1}")
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/progress/{PS1}/v*/feedback/")
        context.close()


def test_staff_grade_a_written_answer_by_keyboard(live_server, browser):
    with time_machine.travel(next_wednesday_noon(), tick=True):
        demo_with_ps1_graded()
        context = browser.new_context(viewport=VIEWPORTS["laptop"])
        page = context.new_page()
        _sign_in_by_keyboard(page, live_server.url, "jordan")
        page.goto(f"{live_server.url}/gradebook/cohort-7/")
        tab_to(page, rf"^Grade\s*{PS1} side by side$")
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/grading/cohort-7/{PS1}/residents/**")

        tab_to(page, r"Asks before the first text")
        page.keyboard.press("Space")
        expect(page.locator("[data-desk-status]")).to_have_text("Saved texting-consent.")
        tab_to(page, r"^comment$")
        page.keyboard.type("Clear and kind.")
        page.keyboard.press("Control+Enter")
        expect(page.locator("[data-desk-status]")).to_have_text("Saved texting-consent.")
        here = page.url
        page.keyboard.press("Escape")
        page.evaluate("() => document.activeElement.blur()")
        page.keyboard.press("n")
        page.wait_for_url(lambda url: url != here)
        context.close()
