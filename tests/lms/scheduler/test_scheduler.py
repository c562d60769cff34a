"""The scheduler runs what the apps registered, and one failing job stops none of the others."""

import io

import pytest
from django.core.management import call_command

from lms.scheduler import registry
from lms.scheduler.services import scheduled_jobs_run


@pytest.fixture
def jobs_kept():
    saved = dict(registry._jobs)
    yield
    registry._jobs.clear()
    registry._jobs.update(saved)


def test_the_apps_register_publishing_reminders_and_nudges_in_order():
    names = [job.name for job in registry.registered_jobs()]
    assert names == [
        "publish scheduled pages",
        "due-soon reminders",
        "event reminders",
        "placement nudges",
    ]


@pytest.mark.django_db
def test_a_failing_job_is_reported_and_the_rest_still_run(jobs_kept):
    ran = []

    def broken(now):
        raise RuntimeError("mail server gone")

    registry.job_register("broken", broken)
    registry.job_register("after it", lambda now: ran.append(now) or 1)
    results = scheduled_jobs_run()
    assert isinstance(results["broken"], RuntimeError)
    assert results["after it"] == 1 and len(ran) == 1
    assert results["due-soon reminders"] == 0


@pytest.mark.django_db
def test_run_scheduler_once_names_its_jobs_and_says_which_failed(jobs_kept):
    registry.job_register("broken", lambda now: 1 / 0)
    out, err = io.StringIO(), io.StringIO()
    call_command("run_scheduler", "--once", stdout=out, stderr=err)
    assert (
        "publish scheduled pages, due-soon reminders, event reminders, placement nudges, broken"
        in (out.getvalue())
    )
    assert "broken failed: division by zero" in err.getvalue()
