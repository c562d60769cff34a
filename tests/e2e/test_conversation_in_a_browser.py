"""Announcements and the notification centre in a real browser: staff post to Cohort 7, a
resident finds it on the home page, in their mail and under the bell, and reads it."""

import pytest
from django.core import mail
from django.core.management import call_command

from courses.models import LessonPage, SyllabusPage
from lms.conversation.models import Announcement, Question
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


TRACEBACK = (
    "My request fails:\n\n```\nTraceback (most recent call last):\n"
    '  File "app.py", line 3, in <module>\nrequests.exceptions.ConnectionError: refused\n```'
)


def _lesson_url():
    syllabus = SyllabusPage.objects.get(cohort__slug="cohort-7")
    lesson = LessonPage.objects.descendant_of(syllabus).live().get(title="How the web works: HTTP")
    return lesson


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_a_resident_asks_a_mentor_answers_the_resident_marks_it_and_the_bell_shows_it(
    live_server, browser, screenshot_dir, device
):
    call_command("load_demo")
    lesson = _lesson_url()
    resident = browser.new_context(viewport=VIEWPORTS[device], bypass_csp=True)
    page = resident.new_page()
    sign_in(page, live_server.url, "aisha")
    page.goto(f"{live_server.url}{lesson.url}")
    page.get_by_role("link", name="Ask a question").click()
    page.get_by_role("button", name="Ask").click()
    page.get_by_text("Say in a line what your question is.").wait_for()
    page.fill("#id_title", "Why is my connection refused?")
    page.fill("#id_body", TRACEBACK)
    page.check("#id_anonymous")
    page.get_by_role("button", name="Ask").click()
    page.get_by_text("Your question is posted.").wait_for()
    assert "ConnectionError: refused" in page.locator(".highlight pre").inner_text()
    _check(page, screenshot_dir, "question-asked", device)
    question = Question.objects.get(title="Why is my connection refused?")
    assert question.anonymous

    mentor = browser.new_context(viewport=VIEWPORTS[device], bypass_csp=True)
    mpage = mentor.new_page()
    sign_in(mpage, live_server.url, "priya")
    mpage.goto(f"{live_server.url}/conversation/questions/{question.pk}/")
    assert mpage.get_by_text("A classmate").first.is_visible(), "anonymous to a mentor too"
    assert not mpage.get_by_text("Aisha Bello").count()
    mpage.fill("#id_body", "Is the server running? Start it with `python app.py` first.")
    mpage.get_by_role("button", name="Post the answer").click()
    mpage.get_by_text("Your answer is posted").wait_for()
    mentor.close()

    page.goto(f"{live_server.url}/")
    bell = page.locator("a.bell")
    assert page.locator(".bell__count").count()
    bell.click()
    page.get_by_role("button", name="Unread: An answer to “Why is my connection refused?”").click()
    page.wait_for_url(f"**/conversation/questions/{question.pk}/**")
    page.get_by_role("button", name="This helped").click()
    page.get_by_text("Marked as the answer that helped.").wait_for()
    assert page.get_by_text("Helped the asker").is_visible()
    _check(page, screenshot_dir, "question-answered", device)
    resident.close()

    classmate = browser.new_context(viewport=VIEWPORTS[device], bypass_csp=True)
    cpage = classmate.new_page()
    sign_in(cpage, live_server.url, "marcus")
    cpage.goto(f"{live_server.url}{lesson.url}")
    card = cpage.locator(".questions-card")
    assert (
        "Why is my connection refused?" in card.inner_text() and "A classmate" in card.inner_text()
    )
    assert "Aisha" not in card.inner_text()
    card.get_by_role("link", name="Why is my connection refused?").click()
    cpage.get_by_role("button", name="Me too").click()
    cpage.get_by_text("Added your “me too”.").wait_for()
    assert not cpage.get_by_text("Aisha Bello").count()
    classmate.close()

    staff = browser.new_context(viewport=VIEWPORTS[device], bypass_csp=True)
    spage = staff.new_page()
    sign_in(spage, live_server.url, "jordan")
    spage.goto(f"{live_server.url}/conversation/questions/{question.pk}/")
    assert spage.get_by_text("Aisha Bello").first.is_visible()
    assert spage.get_by_text("anonymous to classmates").first.is_visible()
    _check(spage, screenshot_dir, "question-staff", device)
    staff.close()

    other = browser.new_context(viewport=VIEWPORTS[device])
    opage = other.new_page()
    sign_in(opage, live_server.url, "tanisha")
    response = opage.goto(f"{live_server.url}/conversation/questions/{question.pk}/")
    assert response.status == 404
    other.close()
