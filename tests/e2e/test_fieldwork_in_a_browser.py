"""Field projects in a real browser: the cohort's cards, a project's timeline, the host's page."""

import pytest
from django.core.management import call_command

from lms.fieldwork.models import FieldProject

from .conftest import NO_SIDEWAYS_SCROLL, VIEWPORTS, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_a_resident_browses_and_updates_their_project(live_server, browser, screenshot_dir, device):
    """Does a resident see the cohort's projects, their own first, and update a milestone?"""
    call_command("load_demo")
    context = browser.new_context(viewport=VIEWPORTS[device])
    page = context.new_page()
    sign_in(page, live_server.url, "aisha")

    page.goto(f"{live_server.url}/projects/")
    assert page.locator("li.project-card").count() == 4
    assert "project-card--mine" in page.locator("li.project-card").first.get_attribute("class")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.screenshot(path=f"{screenshot_dir}/fieldwork-list-{device}.png", full_page=True)

    page.locator("li.project-card--mine h2 a").click()
    scoping = page.locator("#milestone-1")
    scoping.locator("summary").click()
    scoping.locator("select[name=status]").select_option("in_progress")
    scoping.get_by_role("button", name="Save status").click()
    page.get_by_text("Scoping is now “In progress”.").wait_for()
    scoping = page.locator("#milestone-1")
    scoping.locator("summary").click()
    scoping.locator("input[name=url]").fill("javascript:alert(1)")
    scoping.get_by_role("button", name="Add link").click()
    page.get_by_text("Links have to start with http:// or https://.").wait_for()
    assert page.locator("#milestone-1 .links").count() == 0, "the script link was not stored"
    page.locator("#milestone-2 summary").click()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.screenshot(path=f"{screenshot_dir}/fieldwork-project-team-{device}.png", full_page=True)
    context.close()


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_a_finished_project_and_its_host_page(live_server, browser, screenshot_dir, device):
    """Does a finished project show every milestone done with the host's words, and does the
    host's link open the same timeline with a feedback box, without signing in?"""
    call_command("load_demo")
    project = FieldProject.objects.get(title="Volunteer shift sign-up")
    context = browser.new_context(viewport=VIEWPORTS[device])
    page = context.new_page()
    sign_in(page, live_server.url, "jordan")

    page.goto(f"{live_server.url}/projects/{project.pk}/")
    assert page.locator(".timeline__item--done").count() == 4
    assert page.locator("blockquote.host-feedback").count() == 4
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.screenshot(path=f"{screenshot_dir}/fieldwork-project-done-{device}.png", full_page=True)

    host = browser.new_context(viewport=VIEWPORTS[device])
    host_page = host.new_page()
    host_page.goto(f"{live_server.url}/projects/feedback/{project.host_token}/")
    assert host_page.locator("#milestone-4 textarea").is_hidden(), "given feedback is not repeated"
    host_page.locator("#milestone-4 summary").click()
    host_page.locator("#milestone-4 textarea").fill("<b>Still</b> using it every week.")
    host_page.locator("#milestone-4 button[type=submit]").click()
    host_page.get_by_text("Thank you").wait_for()
    assert host_page.locator("#milestone-4 .host-feedback__text").inner_text() == (
        "<b>Still</b> using it every week."
    )
    assert host_page.evaluate(NO_SIDEWAYS_SCROLL)
    host_page.screenshot(path=f"{screenshot_dir}/fieldwork-host-{device}.png", full_page=True)
    host.close()
    context.close()
