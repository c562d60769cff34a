"""A Content-Security-Policy on every page, strict for the site (scripts only from the site or
with the request's nonce), Wagtail's own for its admin; rich text shown sanitized however it was
stored."""

import pytest

from courses.models import LessonPage, WeekPage
from tests.factories import mentor_of, resident_in

pytestmark = pytest.mark.django_db

HOSTILE = (
    '<p>Read this</p><script>alert("rich")</script>'
    '<p><a href="javascript:alert(1)">link</a><img src="x.png" onerror="alert(2)"></p>'
)


def _directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def _strict(response) -> None:
    policy = _directives(response)
    assert policy["script-src"][0] == "'self'"
    assert "'unsafe-inline'" not in policy["script-src"], "no inline script on the site"
    assert policy["object-src"] == ["'none'"] and policy["default-src"] == ["'self'"]


def test_every_site_page_has_the_strict_policy_for_each_role(
    client, home, syllabus, cohort, staff, guest_instructor
):
    resident = resident_in(cohort, username="rosa")
    lesson = LessonPage.objects.live().first()
    pages = ["/", "/accounts/login/", "/no-such-page/", lesson.url, "/seminars/"]
    for person, own in (
        (None, []),
        (resident, ["/progress/", "/calendar/", "/hours/"]),
        (mentor_of(resident), ["/mentoring/"]),
        (guest_instructor, []),
        (staff, [f"/gradebook/{cohort.slug}/", "/attendance/", "/projects/"]),
    ):
        if person is None:
            client.logout()
        else:
            client.force_login(person)
        for path in pages + own:
            response = client.get(path, follow=True)
            assert "Content-Security-Policy" in response, f"{path} as {person}"
            _strict(response)


def test_the_admin_has_wagtails_own_policy(client, home, staff):
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 200
    policy = _directives(response)
    assert "'unsafe-inline'" in policy["script-src"], "Wagtail's inline date pickers and panels"
    assert not any(v.startswith("'nonce-") for v in policy["script-src"])
    assert policy["object-src"] == ["'none'"]


def test_rich_text_stored_outside_the_editor_is_shown_sanitized(client, home, syllabus, cohort):
    """A syllabus intro and a lesson's rich-text block written by a script, with a script tag,
    an event handler and a javascript: link: do residents get the words and none of those?"""
    syllabus.intro = HOSTILE
    syllabus.save_revision().publish()
    week = WeekPage.objects.child_of(syllabus).first()
    lesson = LessonPage.objects.child_of(week).first()
    lesson.body = [
        ("rich_text", HOSTILE),
        ("callout", {"kind": "tip", "title": "t", "text": HOSTILE}),
    ]
    lesson.save_revision().publish()
    client.force_login(resident_in(cohort))
    for url in (syllabus.url, lesson.url):
        page = client.get(url).content.decode()
        assert "Read this" in page
        assert "<script>alert" not in page and "onerror" not in page
        assert "javascript:alert" not in page
