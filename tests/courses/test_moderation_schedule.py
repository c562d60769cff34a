"""Staff approval through the "Staff review" workflow keeps a lesson's day: it opens at 8 a.m. then."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import nested_form_data, streamfield

from courses.models import LessonPage, WeekPage
from courses.services import authoring_grant, lesson_release_time
from tests.factories import CohortFactory, resident_in, syllabus_for

PROGRAM_TIME = ZoneInfo(settings.TIME_ZONE)
# A Monday, four weeks before the cohort below starts.
SUBMITTED_AT = datetime.datetime(2026, 2, 2, 10, 0, tzinfo=PROGRAM_TIME)
COHORT_STARTS = datetime.date(2026, 3, 2)
WEDNESDAY = "2"


def _lesson_form(title: str, weekday: str) -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": title.lower().replace(" ", "-"),
            "weekday": weekday,
            "duration_minutes": "90",
            "summary": "Court filings by census tract.",
            "body": streamfield([("markdown", "## Court data\n\nFilings by tract.")]),
            "comments": {
                "TOTAL_FORMS": "0",
                "INITIAL_FORMS": "0",
                "MIN_NUM_FORMS": "0",
                "MAX_NUM_FORMS": "1000",
            },
        }
    )


def _guest_submits_new_lesson(client, guest, week: WeekPage, title: str) -> LessonPage:
    client.force_login(guest)
    data = _lesson_form(title, WEDNESDAY)
    data["action-submit"] = "Submit for moderation"
    add_url = reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", week.pk])
    response = client.post(add_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    lesson = LessonPage.objects.get(title=title)
    assert not lesson.live
    return lesson


def _staff_approve(client, staff, lesson: LessonPage) -> WorkflowState:
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(lesson.pk))
    client.force_login(staff)
    action_url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[lesson.pk, "approve", state.current_task_state.pk],
    )
    response = client.post(action_url, {"comment": "Lovely."})
    assert response.status_code in (200, 302)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    return state


@pytest.fixture
def future_week(home):
    cohort = CohortFactory(start_date=COHORT_STARTS)
    syllabus = syllabus_for(cohort, weeks=1, lessons_per_week=1)
    return cohort, WeekPage.objects.child_of(syllabus).get()


def _assert_goes_live_at_eight(lesson, day: datetime.date) -> None:
    """The approved lesson is not live yet and is scheduled for 8 a.m. program time on ``day``."""
    lesson.refresh_from_db()
    assert not lesson.live
    assert lesson.scheduled_revision.approved_go_live_at == datetime.datetime.combine(
        day, datetime.time(8), tzinfo=PROGRAM_TIME
    )


def test_approved_lesson_waits_for_its_day_then_goes_live(
    client, future_week, guest_instructor, staff
):
    """Weeks early, does staff approval schedule a guest's lesson for 8 a.m. on its day?"""
    cohort, week = future_week
    authoring_grant(user=guest_instructor, page=week)
    resident = resident_in(cohort)
    with time_machine.travel(SUBMITTED_AT, tick=False) as traveller:
        lesson = _guest_submits_new_lesson(client, guest_instructor, week, "Mapping dockets")
        _staff_approve(client, staff, lesson)

        lesson.refresh_from_db()
        release_at = lesson_release_time(lesson=lesson)
        assert release_at == datetime.datetime(2026, 3, 4, 8, 0, tzinfo=PROGRAM_TIME)
        assert not lesson.live, "approval published the lesson weeks before its day"
        assert lesson.scheduled_revision.approved_go_live_at == release_at
        client.force_login(resident)
        assert client.get(lesson.get_url()).status_code == 404

        traveller.move_to(release_at - datetime.timedelta(minutes=1))
        call_command("publish_scheduled", verbosity=0)
        lesson.refresh_from_db()
        assert not lesson.live, "published before 8 a.m. on its day"

        # Wagtail publishes what was due strictly before now; the scheduler runs every minute.
        traveller.move_to(release_at + datetime.timedelta(seconds=30))
        call_command("publish_scheduled", verbosity=0)
        lesson.refresh_from_db()
        assert lesson.live
        assert lesson.title == "Mapping dockets"
        client.force_login(resident)  # a month on, the first session has expired
        assert client.get(lesson.get_url()).status_code == 200


def test_approved_lesson_whose_day_has_come_goes_live_at_once(
    client, future_week, guest_instructor, staff
):
    """On the lesson's own day after 8 a.m., does approval publish it right away?"""
    _, week = future_week
    authoring_grant(user=guest_instructor, page=week)
    with time_machine.travel(datetime.datetime(2026, 3, 4, 11, 0, tzinfo=PROGRAM_TIME), tick=False):
        lesson = _guest_submits_new_lesson(client, guest_instructor, week, "Late but ready")
        _staff_approve(client, staff, lesson)
    lesson.refresh_from_db()
    assert lesson.live


def test_guest_edit_of_a_future_lesson_keeps_its_day(client, future_week, guest_instructor, staff):
    """Does approving a guest's edit of a lesson not yet released leave it closed until its day?"""
    _, week = future_week
    authoring_grant(user=guest_instructor, page=week)
    lesson = LessonPage.objects.child_of(week).get()
    with time_machine.travel(SUBMITTED_AT, tick=False):
        lesson.unpublish()
        client.force_login(guest_instructor)
        data = _lesson_form("Terminal basics revised", "0")
        data["action-submit"] = "Submit for moderation"
        response = client.post(reverse("wagtailadmin_pages:edit", args=[lesson.pk]), data)
        assert response.status_code == 302, response.content.decode()[:2000]
        _staff_approve(client, staff, lesson)
        _assert_goes_live_at_eight(lesson, datetime.date(2026, 3, 2))


def test_staff_may_still_publish_a_lesson_early(future_week, staff):
    """Does someone allowed to publish still choose the go-live time of their own revision?"""
    _, week = future_week
    lesson = LessonPage.objects.child_of(week).get()
    with time_machine.travel(SUBMITTED_AT, tick=False):
        lesson.unpublish()
        lesson.go_live_at = None
        lesson.save_revision(user=staff).publish(user=staff)
    lesson.refresh_from_db()
    assert lesson.live


def test_staff_who_edit_while_approving_keep_the_day(client, future_week, guest_instructor, staff):
    """Does staff's "approve with changes" from the edit page keep the go-live time it shows?"""
    _, week = future_week
    authoring_grant(user=guest_instructor, page=week)
    with time_machine.travel(SUBMITTED_AT, tick=False):
        lesson = _guest_submits_new_lesson(client, guest_instructor, week, "Mapping dockets")
        client.force_login(staff)
        edit_url = reverse("wagtailadmin_pages:edit", args=[lesson.pk])
        page = client.get(edit_url).content.decode()
        shown = re.search(r'name="go_live_at"[^>]*value="([^"]*)"', page)
        assert shown and shown.group(1) == "2026-03-04 08:00", "the form hides the lesson's day"
        data = _lesson_form("Mapping dockets", WEDNESDAY)
        data["summary"] = "Eviction filings by census tract."
        data.update(
            {
                "go_live_at": shown.group(1),
                "action-workflow-action": "true",
                "workflow-action-name": "approve",
            }
        )
        response = client.post(edit_url, data)
        assert response.status_code == 302, response.content.decode()[:2000]
        # WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT: staff's own changes need one more approval.
        _staff_approve(client, staff, lesson)
        _assert_goes_live_at_eight(lesson, datetime.date(2026, 3, 4))
        assert lesson.scheduled_revision.as_object().summary == "Eviction filings by census tract."
