"""A resident's notebook server starts before they ask: on a lesson with an open notebook, or on
signing in during class hours; at most once per idle-culler period."""

import datetime
import zoneinfo

import nbformat
import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone
from django_tasks import task_backends

from assignments.services import assignment_create
from courses.models import LessonPage
from lms.hub.services import hub_server_start_task
from lms.settings.base import TASK_QUEUES
from tests.assignments.conftest import source_notebook
from tests.factories import PASSWORD, resident_in

pytestmark = pytest.mark.django_db

NOTEBOOK = source_notebook(
    ("solution", "answer", "x = 1"),
    ("test", "check", "assert x == 1", 1),
)


# Lessons are read here on a Saturday evening, so signing in does not start the server itself.
SATURDAY_EVENING = datetime.datetime(2026, 12, 5, 20, 0, tzinfo=datetime.UTC)


@pytest.fixture
def started(settings):
    """Whom the LMS queued a server start for: the queue keeps the tasks instead of running them
    (the hub's side is tested with a real hub in tests/notebooks/test_hub_token_handler.py)."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": TASK_QUEUES}
    }
    settings.LMS_HUB_PRESTART = True
    cache.clear()
    backend = task_backends["default"]
    backend.clear()

    class Started:
        def __eq__(self, other):
            return [
                result.args[0]
                for result in backend.results
                if result.task.name == hub_server_start_task.name
            ] == other

    return Started()


def _lesson_with_notebook(syllabus, cohort, *, released: bool = True):
    now = timezone.now()
    assignment_create(
        cohort=cohort, name="ps1", files={"ps1.ipynb": nbformat.writes(NOTEBOOK).encode()},
        release_at=now + datetime.timedelta(days=-1 if released else 1),
        due_at=now + datetime.timedelta(days=3),
    )  # fmt: skip
    lesson = LessonPage.objects.descendant_of(syllabus).first()
    lesson.body = [("notebook", {"assignment": "ps1", "title": "Squares", "description": ""})]
    lesson.save_revision().publish()
    return lesson


@time_machine.travel(SATURDAY_EVENING, tick=False)
def test_reading_a_lesson_with_an_open_notebook_starts_the_server_once(
    client, syllabus, cohort, started, django_capture_on_commit_callbacks
):
    lesson = _lesson_with_notebook(syllabus, cohort)
    ana = resident_in(cohort, username="ana")
    client.force_login(ana)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(lesson.url).status_code == 200
        assert client.get(lesson.url).status_code == 200
    assert started == ["ana"], "one start however often the lesson is read within the hour"


@time_machine.travel(SATURDAY_EVENING, tick=False)
def test_no_start_for_a_notebook_not_yet_open_or_a_reader_who_cannot_open_it(
    client, syllabus, cohort, staff, started, django_capture_on_commit_callbacks
):
    lesson = _lesson_with_notebook(syllabus, cohort, released=False)
    client.force_login(resident_in(cohort, username="ben"))
    with django_capture_on_commit_callbacks(execute=True):
        client.get(lesson.url)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(lesson.url)
    plain = LessonPage.objects.descendant_of(syllabus).last()
    client.force_login(resident_in(cohort, username="cleo"))
    with django_capture_on_commit_callbacks(execute=True):
        client.get(plain.url)
    assert started == []


@pytest.mark.parametrize(
    ("local_time", "expected"),
    [
        (datetime.datetime(2026, 12, 1, 8, 50), []),  # Tuesday, before class
        (datetime.datetime(2026, 12, 1, 9, 5), ["dee"]),  # Tuesday morning
        (datetime.datetime(2026, 12, 5, 10, 0), []),  # Saturday
    ],
)
def test_signing_in_during_class_hours_starts_the_server(
    client, cohort, settings, started, django_capture_on_commit_callbacks, local_time, expected
):
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    cohort.start_date = datetime.date(2026, 11, 2)
    cohort.save()
    resident_in(cohort, username="dee")
    with (
        time_machine.travel(local_time.replace(tzinfo=zone), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post("/accounts/login/", {"username": "dee", "password": PASSWORD})
    assert started == expected
