"""Announcements and the notification centre in a real browser: staff post to Cohort 7, a
resident finds it on the home page, in their mail and under the bell, and reads it."""

import pytest
from django.core import mail
from django.core.management import call_command

from lms.conversation.models import Announcement
from lms.notifications.models import Kind, Notification

from .axe import axe_violations
from .conftest import NO_SIDEWAYS_SCROLL, VIEWPORTS, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BODY = (
    "The field-trip bus leaves at **8:30 AM** sharp.\n\n"
    "- bring water\n- bring ID\n\n<script>document.title = 'owned'</script>\n\n"
    '```python\nprint("see you there")\n```'
)


def _check(page, screenshot_dir, name, device):
    assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{name} scrolls sideways on a {device}"
    assert axe_violations(page) == [], name
    page.screenshot(path=f"{screenshot_dir}/conversation-{name}-{device}.png", full_page=True)


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_an_announcement_reaches_a_residents_home_mail_and_bell(
    live_server, browser, screenshot_dir, device
):
    call_command("load_demo")
    mail.outbox.clear()
    staff = browser.new_context(viewport=VIEWPORTS[device], bypass_csp=True)
    page = staff.new_page()
    sign_in(page, live_server.url, "jordan")
    page.goto(f"{live_server.url}/conversation/announcements/")
    page.get_by_role("link", name="Post an announcement").click()
    page.select_option("#id_audience", "cohort")
    page.get_by_role("button", name="Post the announcement").click()
    page.get_by_text("Choose the cohort this is for.").wait_for()
    _check(page, screenshot_dir, "form-errors", device)
    page.select_option("#id_cohort", label="Cohort 7")
    page.fill("#id_title", "Field trip on Friday")
    page.fill("#id_body", BODY)
    page.get_by_role("button", name="Post the announcement").click()
    page.get_by_text("Posted “Field trip on Friday”.").wait_for()
    assert page.locator(".announcement__body strong").inner_text() == "8:30 AM"
    staff.close()

    announcement = Announcement.objects.get(title="Field trip on Friday")
    (to_aisha,) = [m for m in mail.outbox if m.to == ["aisha@residency.example.org"]]
    assert "Field trip on Friday" in to_aisha.subject
    assert f"/conversation/announcements/{announcement.pk}/" in to_aisha.body
    assert Notification.objects.filter(
        user__username="aisha", kind=Kind.ANNOUNCEMENT, key=f"announcement-{announcement.pk}"
    ).exists()

    resident = browser.new_context(viewport=VIEWPORTS[device], bypass_csp=True)
    page = resident.new_page()
    sign_in(page, live_server.url, "aisha")
    card = page.locator(".announcement", has_text="Field trip on Friday")
    assert card.is_visible() and card.locator("strong").inner_text() == "8:30 AM"
    assert page.title() != "owned" and not page.locator(".announcement script").count()
    bell = page.locator("a.bell")
    unread = int(page.locator(".bell__count").inner_text())
    assert unread >= 1 and f"{unread} unread" in bell.inner_text()
    _check(page, screenshot_dir, "home", device)

    bell.click()
    page.get_by_role("heading", name="Notifications").wait_for()
    _check(page, screenshot_dir, "centre", device)
    page.get_by_role("button", name="Unread: Field trip on Friday").click()
    page.wait_for_url(f"**/conversation/announcements/{announcement.pk}/")
    page.locator("h1", has_text="Field trip on Friday").wait_for()
    assert page.locator(".highlight pre").inner_text().strip() == 'print("see you there")'
    _check(page, screenshot_dir, "announcement", device)
    after = page.locator(".bell__count")
    assert (int(after.inner_text()) if after.count() else 0) == unread - 1

    page.goto(f"{live_server.url}/")
    assert not page.locator(".announcement", has_text="Field trip on Friday").count(), "read"
    page.goto(f"{live_server.url}/conversation/announcements/")
    _check(page, screenshot_dir, "list", device)
    page.get_by_role("link", name="Notifications").last.click()
    page.get_by_role("link", name="E-mail choices").click()
    page.get_by_text("Announcements from staff and instructors").wait_for()
    resident.close()


def test_another_cohort_gets_a_404(live_server, browser):
    call_command("load_demo")
    announcement = Announcement.objects.get(title__startswith="Week 6")
    context = browser.new_context(viewport=VIEWPORTS["laptop"])
    page = context.new_page()
    sign_in(page, live_server.url, "tanisha")
    response = page.goto(f"{live_server.url}/conversation/announcements/{announcement.pk}/")
    assert response.status == 404
    page.goto(f"{live_server.url}/conversation/announcements/")
    assert page.get_by_text("Judges wanted for demo day").is_visible()
    assert not page.get_by_text("Week 6").count()
    context.close()
