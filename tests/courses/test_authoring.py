"""Guest instructors write where staff let them, submit for review, and staff publish."""

import pytest
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import nested_form_data, streamfield

from courses.models import LessonPage, SeminarIndexPage, WeekPage
from courses.services import authoring_grant


def _lesson_form(title: str, text: str) -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": title.lower().replace(" ", "-"),
            "weekday": "2",
            "duration_minutes": "90",
            "summary": "A summary",
            "body": streamfield([("markdown", text)]),
            "comments": {
                "TOTAL_FORMS": "0",
                "INITIAL_FORMS": "0",
                "MIN_NUM_FORMS": "0",
                "MAX_NUM_FORMS": "1000",
            },
        }
    )


@pytest.fixture
def weeks(syllabus):
    return list(WeekPage.objects.child_of(syllabus).order_by("number"))


def test_guest_instructor_cannot_edit_outside_their_grant(client, weeks, guest_instructor):
    """Is a guest instructor with a grant on week 1 refused on week 2's lessons?"""
    authoring_grant(user=guest_instructor, page=weeks[0])
    outside = LessonPage.objects.child_of(weeks[1]).first()
    client.force_login(guest_instructor)
    edit_url = reverse("wagtailadmin_pages:edit", args=[outside.pk])
    response = client.get(edit_url)
    assert response.status_code in (302, 403)
    response = client.post(edit_url, _lesson_form("Hijacked", "changed"))
    assert response.status_code in (302, 403)
    outside.refresh_from_db()
    assert outside.title != "Hijacked"
    assert not outside.permissions_for_user(guest_instructor).can_edit()
    add_url = reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", weeks[1].pk])
    assert client.post(add_url, _lesson_form("Sneaky", "x")).status_code in (302, 403)
    assert not LessonPage.objects.filter(title="Sneaky").exists()


def test_guest_instructor_without_grant_cannot_write_seminars(home, guest_instructor):
    """Does a guest instructor need a grant before writing seminars?"""
    index = SeminarIndexPage.objects.get()
    assert not index.permissions_for_user(guest_instructor).can_add_subpage()
    authoring_grant(user=guest_instructor, page=index)
    fresh = type(guest_instructor).objects.get(
        pk=guest_instructor.pk
    )  # permissions are cached per object
    assert index.permissions_for_user(fresh).can_add_subpage()
    assert not index.permissions_for_user(fresh).can_publish_subpage()


def test_guest_instructor_submits_and_staff_publish(client, weeks, guest_instructor, staff):
    """Does a guest instructor's new lesson wait for staff approval, then go live?"""
    authoring_grant(user=guest_instructor, page=weeks[0])
    client.force_login(guest_instructor)
    add_url = reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", weeks[0].pk])
    data = _lesson_form("Mapping dockets", "## Court data\n\nFilings by tract.")
    data["action-submit"] = "Submit for moderation"
    response = client.post(add_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    lesson = LessonPage.objects.get(title="Mapping dockets")
    assert not lesson.live
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(lesson.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS

    task_state = state.current_task_state
    action_url = reverse(
        "wagtailadmin_pages:workflow_action", args=[lesson.pk, "approve", task_state.pk]
    )
    client.post(action_url, {"comment": "Approving my own lesson"})
    lesson.refresh_from_db()
    assert not lesson.live, "a guest instructor approved their own lesson"

    client.force_login(staff)
    response = client.post(action_url, {"comment": "Lovely, publishing."})
    assert response.status_code in (200, 302)
    lesson.refresh_from_db()
    assert lesson.live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED


def test_guest_instructor_edits_inside_their_grant(client, weeks, guest_instructor):
    """Can a guest instructor save a draft of a lesson inside their grant?"""
    authoring_grant(user=guest_instructor, page=weeks[0])
    lesson = LessonPage.objects.child_of(weeks[0]).first()
    client.force_login(guest_instructor)
    edit_url = reverse("wagtailadmin_pages:edit", args=[lesson.pk])
    assert client.get(edit_url).status_code == 200
    response = client.post(edit_url, _lesson_form("Improved lesson", "better text"))
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.get_latest_revision_as_object().title == "Improved lesson"
    assert not lesson.live or lesson.title == "Lesson 1.1", "a draft edit must not publish"
