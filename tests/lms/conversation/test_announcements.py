"""Announcements: who posts to whom, sanitized Markdown, the home page until read, e-mail with
opt-outs, the page of their own, and what other cohorts and roles get."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from courses.models import WeekPage
from courses.services import authoring_grant
from lms.conversation.models import Announcement, Audience
from lms.conversation.services import BODY_MAX, announcement_post
from lms.notifications.models import Kind, Notification
from lms.notifications.services import opt_outs_set
from tests.factories import CohortFactory, UserFactory, mentor_of, resident_in, syllabus_for

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 11, 15, 0, tzinfo=datetime.UTC)  # a Wednesday


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def graduated(db):
    return CohortFactory(start_date=datetime.date(2025, 6, 2))


def _post(author, audience=Audience.COHORT, cohort=None, title="Demo day moved", body="Hi"):
    return announcement_post(
        author=author, audience=audience, cohort=cohort, title=title, body=body
    )


def _notified(announcement) -> set[str]:
    return set(
        Notification.objects.filter(
            kind=Kind.ANNOUNCEMENT, key=f"announcement-{announcement.pk}"
        ).values_list("user__username", flat=True)
    )


def test_a_cohort_announcement_reaches_its_residents_and_mentors_only(
    home, cohort, other_cohort, staff, graduated
):
    ana = resident_in(cohort, username="ana")
    mentor_of(ana, username="mo")
    resident_in(other_cohort, username="olu")
    resident_in(graduated, username="gus")
    announcement = _post(staff, cohort=cohort, body="Demo day is **Friday** now.")
    assert _notified(announcement) == {"ana", "mo"}
    assert "<strong>Friday</strong>" in announcement.body_html
    row = Notification.objects.get(user__username="ana")
    assert row.url == f"/conversation/announcements/{announcement.pk}/"
    assert "Demo day is **Friday** now." in row.body and row.subject == "Demo day moved"


def test_alumni_and_everyone(home, cohort, staff, graduated):
    resident_in(cohort, username="ana")
    resident_in(graduated, username="gus")
    UserFactory(username="ira")
    assert _notified(_post(staff, audience=Audience.ALUMNI)) == {"gus"}
    assert _notified(_post(staff, audience=Audience.EVERYONE, title="Office closed")) == {
        "ana", "gus", "ira"
    }  # fmt: skip


def test_the_mail_goes_out_with_its_link_and_opting_out_stops_it(
    home, cohort, staff, django_capture_on_commit_callbacks
):
    ana = resident_in(cohort, username="ana")
    bo = resident_in(cohort, username="bo")
    opt_outs_set(user=bo, kinds={Kind.ANNOUNCEMENT})
    with django_capture_on_commit_callbacks(execute=True):
        announcement = _post(staff, cohort=cohort)
    (message,) = mail.outbox
    assert message.to == [ana.email] and "Demo day moved" in message.subject
    assert f"/conversation/announcements/{announcement.pk}/" in message.body
    assert "announcements from staff and instructors" in message.body.lower()


def test_a_guest_instructor_posts_only_to_the_cohorts_whose_weeks_they_teach(
    home, cohort, other_cohort, guest_instructor
):
    syllabus_for(cohort)
    syllabus_for(other_cohort)
    week = WeekPage.objects.filter(path__startswith=cohort.syllabus.path).first()
    authoring_grant(user=guest_instructor, page=week)
    resident_in(cohort, username="ana")
    assert _notified(_post(guest_instructor, cohort=cohort)) == {"ana"}
    with pytest.raises(PermissionDenied):
        _post(guest_instructor, cohort=other_cohort)
    with pytest.raises(PermissionDenied):
        _post(guest_instructor, audience=Audience.EVERYONE)


def test_residents_and_mentors_cannot_post(client, home, cohort):
    ana = resident_in(cohort, username="ana")
    mentor = mentor_of(ana)
    for person in (ana, mentor):
        with pytest.raises(PermissionDenied):
            _post(person, cohort=cohort)
        client.force_login(person)
        assert client.get("/conversation/announcements/new/").status_code == 403
        response = client.post(
            "/conversation/announcements/new/",
            {"audience": "cohort", "cohort": cohort.pk, "title": "x", "body": "y"},
        )
        assert response.status_code == 403
    assert not Announcement.objects.exists()


def test_hostile_markdown_is_sanitized(home, cohort, staff):
    body = (
        "<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n"
        "[click](javascript:alert(3))\n\n```python\nprint('hi')\n```"
    )
    html = _post(staff, cohort=cohort, body=body).body_html
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert "print" in html and "<pre" in html


def test_empty_and_huge_bodies_get_a_clear_message(client, home, cohort, staff):
    with pytest.raises(ValidationError) as error:
        _post(staff, cohort=cohort, body="   ")
    assert error.value.message_dict["body"] == ["Write something to announce."]
    client.force_login(staff)
    page = client.post(
        "/conversation/announcements/new/",
        {"audience": "cohort", "cohort": cohort.pk, "title": "Big", "body": "x" * (BODY_MAX + 1)},
    ).content.decode()
    assert "Keep an announcement under 10,000 characters" in page
    page = client.post(
        "/conversation/announcements/new/",
        {"audience": "cohort", "title": "No cohort", "body": "y"},
    ).content.decode()
    assert "Choose the cohort this is for." in page
    assert not Announcement.objects.exists()


def test_staff_post_through_the_form(client, home, cohort, staff):
    resident_in(cohort, username="ana")
    client.force_login(staff)
    page = client.get("/conversation/announcements/new/").content.decode()
    assert "Alumni (graduated cohorts)" in page and "Everyone" in page
    response = client.post(
        "/conversation/announcements/new/",
        {"audience": "cohort", "cohort": cohort.pk, "title": "Lunch", "body": "Pizza *today*."},
        follow=True,
    )
    assert "Posted “Lunch”." in response.content.decode()
    assert "<em>today</em>" in response.content.decode()


def test_the_home_page_shows_it_until_read_and_the_page_lists_it(client, home, cohort, staff):
    ana = resident_in(cohort, username="ana")
    syllabus_for(cohort)
    announcement = _post(staff, cohort=cohort, title="Demo day moved", body="To *Friday*.")
    client.force_login(ana)
    page = client.get("/").content.decode()
    assert "Demo day moved" in page and "<em>Friday</em>" in page and "Mark as read" in page
    assert "Notifications, 1 unread" in page
    response = client.post(f"/conversation/announcements/{announcement.pk}/read/", {"next": "/"})
    assert response["Location"] == "/"
    page = client.get("/").content.decode()
    assert "Demo day moved" not in page, "read: it leaves the home page"
    assert "No new announcements." in page and "All announcements" in page
    assert "Notifications, 1 unread" not in page, "and its notification counts as read"
    listing = client.get("/conversation/announcements/").content.decode()
    assert "Demo day moved" in listing and "<em>Friday</em>" in listing


def test_opening_it_marks_it_read(client, home, cohort, staff):
    ana = resident_in(cohort, username="ana")
    announcement = _post(staff, cohort=cohort, title="Snow day")
    client.force_login(ana)
    assert client.get(f"/conversation/announcements/{announcement.pk}/").status_code == 200
    assert "Snow day" not in client.get("/").content.decode()


def test_other_cohorts_get_a_404_and_see_nothing(client, home, cohort, other_cohort, staff):
    resident_in(cohort, username="ana")
    olu = resident_in(other_cohort, username="olu")
    announcement = _post(staff, cohort=cohort, title="Cohort secret")
    client.force_login(olu)
    assert client.get(f"/conversation/announcements/{announcement.pk}/").status_code == 404
    assert client.post(f"/conversation/announcements/{announcement.pk}/read/").status_code == 404
    assert "Cohort secret" not in client.get("/conversation/announcements/").content.decode()
    home_page = client.get("/").content.decode()
    assert "Cohort secret" not in home_page and "All announcements" not in home_page


def test_signed_out_people_are_sent_to_sign_in(client, home):
    assert client.get("/conversation/announcements/").status_code == 302
