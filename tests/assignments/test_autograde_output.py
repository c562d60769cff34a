"""What `autograde --wait` says while it works and when it is done."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import OutputWrapper
from django.utils import timezone

from assignments.management.commands.autograde import Progress, progress_line
from assignments.models import Assignment, Grading, Submission
from tests.factories import resident_in

NOW = timezone.now()


def test_the_progress_line_gives_done_rate_and_time_left():
    """Does the progress line say how many are done, how fast, and about how long is left?"""
    assert progress_line(done=10, total=40, elapsed=5) == (
        "Grading: 10/40 hand-ins · 2.0 per second · about 15 s left"
    )
    assert progress_line(done=3, total=400, elapsed=6).endswith("about 13 min 14 s left")
    assert progress_line(done=1, total=9000, elapsed=2).endswith("about 4 h 59 min left")
    assert progress_line(done=0, total=40, elapsed=3).endswith(
        "0.0 per second · time left not known yet"
    )
    assert progress_line(done=40, total=40, elapsed=20).endswith("2.0 per second · all done")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_progress_is_one_line_rewritten_in_place():
    """On a terminal, does progress stay on one line, rewritten with carriage returns?"""
    out = Terminal()
    progress = Progress(stdout=OutputWrapper(out), total=4)
    for done in range(4):
        progress.update(done=done)
    progress.finish()
    text = out.getvalue()
    assert text.count("\r") == 5 and text.count("\n") == 1 and text.endswith("\n")
    assert text.split("\r")[-1].rstrip().endswith("all done"), "padded over the longer line before"


def test_in_a_log_progress_is_a_plain_line_per_tenth():
    """Written to a file, is progress a plain line each time another tenth is done, and no more?"""
    out = io.StringIO()
    progress = Progress(stdout=OutputWrapper(out), total=20)
    for done in range(20):
        progress.update(done=done)
    progress.finish()
    lines = out.getvalue().splitlines()
    assert "\r" not in out.getvalue()
    assert [line.split(" hand-ins")[0] for line in lines] == [
        f"Grading: {done}/20" for done in (2, 4, 6, 8, 10, 12, 14, 16, 18, 20)
    ]


def _waiting(cohort, resident, name: str) -> Grading:
    assignment = Assignment.objects.create(
        cohort=cohort, name=name, release_at=NOW - datetime.timedelta(days=3),
        due_at=NOW + datetime.timedelta(days=1),
    )  # fmt: skip
    submission = Submission.objects.create(
        assignment=assignment, resident=resident, version=1, checksum="x", submitted_at=NOW
    )
    return Grading.objects.create(submission=submission, queued_at=NOW)


@pytest.mark.django_db
def test_autograde_wait_reports_progress_and_names_the_hand_ins_that_need_a_look(
    cohort, monkeypatch
):
    """While `autograde --wait` drains into a log, does it say how far it got, and at the end
    name each hand-in graded with a problem note or not graded, with its note?"""
    kai = resident_in(cohort, username="kai")
    noted, broken, fine = (_waiting(cohort, kai, name) for name in ("ps1", "ps2", "ps3"))
    earlier = _waiting(cohort, resident_in(cohort, username="lee"), "ps0")
    Grading.objects.filter(pk=earlier.pk).update(
        status="graded", notes="graded last week: not this run's", finished_at=NOW
    )
    outcomes = {
        noted.pk: {"status": "graded", "notes": "ps1.ipynb: cell 'answer' was restored\nsecond"},
        broken.pk: {"status": "failed", "error": "RuntimeError: the kernel died"},
        fine.pk: {"status": "graded"},
    }

    def a_worker_grades_one_meanwhile(seconds):
        """The command waits between looks; a worker elsewhere finishes the next hand-in."""
        grading = Grading.objects.filter(status="queued").order_by("pk").first()
        update = outcomes[grading.pk] | {"finished_at": timezone.now()}
        Grading.objects.filter(pk=grading.pk).update(**update)

    monkeypatch.setattr(
        "assignments.management.commands.autograde.time.sleep", a_worker_grades_one_meanwhile
    )
    out = io.StringIO()
    call_command("autograde", "--wait", stdout=out)
    text = out.getvalue()

    assert "\r" not in text
    said = [line.split(" hand-ins")[0] for line in text.splitlines() if line.startswith("Grading:")]
    assert said == ["Grading: 1/3", "Grading: 2/3", "Grading: 3/3"]
    assert "3 graded, 1 could not be graded." in text
    assert (
        "2 hand-in(s) need a look:\n"
        "  kai · ps1 · version 1: graded with a note: ps1.ipynb: cell 'answer' was restored; second\n"
        "  kai · ps2 · version 1: could not be graded: RuntimeError: the kernel died\n"
    ) in text
    assert "last week" not in text and "ps3" not in text
