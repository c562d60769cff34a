"""The pages residents use every day, looked at in a real browser on a laptop and a phone."""

import pytest
from django.core.management import call_command

from courses.models import LessonPage, WeekPage

from .conftest import NO_SIDEWAYS_SCROLL, VIEWPORTS, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_screenshots_of_home_week_and_lesson(live_server, browser, screenshot_dir, device):
    """Do home, syllabus, week and lesson render readably, with no sideways scrolling, on both screens?"""
    call_command("load_demo")
    week = WeekPage.objects.get(number=4)
    lesson = LessonPage.objects.child_of(week).filter(live=True).last()
    context = browser.new_context(viewport=VIEWPORTS[device])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server.url, "aisha")

    pages = {
        "home": ("/", "Welcome, Aisha Bello"),
        "syllabus": (week.get_parent().url, "Cohort 7 syllabus"),
        "week": (week.url, "Data and SQL"),
        "lesson": (lesson.url, lesson.title),
    }
    for name, (path, heading) in pages.items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, f"{name}: {response.status}"
        assert heading in page.locator("h1").first.inner_text()
        assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{name} scrolls sideways on a {device}"
        font_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        assert font_size >= 16, f"{name} body text is {font_size}px"
        page.screenshot(path=f"{screenshot_dir}/{name}-{device}.png", full_page=True)

    page.goto(f"{live_server.url}{lesson.url}")
    assert page.locator(".highlight pre").count() >= 1, "code blocks are not highlighted"
    assert page.locator("figure.figure img").first.get_attribute("alt")
    assert errors == []
    context.close()


def test_resident_is_kept_out_of_the_admin_in_a_browser(live_server, browser):
    """Does a resident who types /admin/ end up at a sign-in page, not in the admin?"""
    call_command("load_demo")
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, live_server.url, "aisha")
    page.goto(f"{live_server.url}/admin/pages/")
    assert "/admin/login/" in page.url
    assert page.locator("input[name=password]").count() == 1, "no sign-in form where the admin was"
    context.close()
