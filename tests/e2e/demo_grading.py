"""The demo with its first problem set handed in and graded for real, at a fixed program time.

The demo's sample hand-ins of ps1 are graded in the sandbox (real kernels), so pages show what
the demo's partial and mistaken answers actually raise. The clock is moved to a Wednesday noon
ahead of the real one, so the demo's week is the same whatever the day the suite runs.
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from assignments.models import Assignment, Grading
from assignments.services.runs import grading_run

PS1 = "ps1-python-basics"
# The demo queues its hand-ins for a worker; here they wait until the test grades the ones it needs.
QUEUE_ONLY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}}


def next_wednesday_noon() -> datetime.datetime:
    """Ahead of the real clock, so the browser keeps the cookies the server dates."""
    today = timezone.localdate()
    wednesday = today + datetime.timedelta(days=7 - today.weekday() + 2)
    return datetime.datetime.combine(
        wednesday, datetime.time(12), tzinfo=ZoneInfo(settings.TIME_ZONE)
    )


def demo_with_ps1_graded() -> Assignment:
    with override_settings(TASKS=QUEUE_ONLY):
        call_command("load_demo", "--submissions")
    ps1 = Assignment.objects.get(cohort__slug="cohort-7", name=PS1)
    for grading_id in Grading.objects.filter(submission__assignment=ps1).values_list(
        "id", flat=True
    ):
        grading_run(grading_id=grading_id)
    assert not Grading.objects.filter(submission__assignment=ps1).exclude(status="graded")
    return ps1
