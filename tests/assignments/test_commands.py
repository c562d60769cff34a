"""The command line: import an nbgrader course, grade it, export grades like nbgrader."""

import csv
import io

import pytest
from django.core.management import call_command

from assignments.models import Assignment, Submission
from lms.people.models import User

from .conftest import USER_GUIDE

pytestmark = [pytest.mark.grading, pytest.mark.django_db]

NBGRADER_COLUMNS = "assignment,duedate,timestamp,student_id,last_name,first_name,email,raw_score,late_submission_penalty,score,max_score"


def test_import_grade_and_export_like_nbgrader(django_capture_on_commit_callbacks):
    """Does importing the example course twice duplicate nothing, and export nbgrader's numbers?"""
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "import_nbgrader_course",
            str(USER_GUIDE),
            "--cohort",
            "Docs",
            "--assignment",
            "ps1",
            stdout=io.StringIO(),
        )
    call_command(
        "import_nbgrader_course",
        str(USER_GUIDE),
        "--cohort",
        "Docs",
        "--assignment",
        "ps1",
        stdout=io.StringIO(),
    )
    assert Assignment.objects.count() == 1
    assert Submission.objects.count() == 2
    assert set(User.objects.values_list("username", flat=True)) >= {"bitdiddle", "hacker"}
    out = io.StringIO()
    call_command("autograde", "--wait", stdout=out)
    assert "0 could not be graded" in out.getvalue()
    out = io.StringIO()
    call_command("export_grades", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == NBGRADER_COLUMNS + ",week", "nbgrader's columns in its order, the week last"
    rows = {row["student_id"]: row for row in csv.DictReader(lines)}
    assert (
        rows["bitdiddle"]["timestamp"] == "2015-02-02 22:58:23.948203"
    )  # nbgrader's own reading of timestamp.txt
    assert (float(rows["bitdiddle"]["raw_score"]), float(rows["hacker"]["raw_score"])) == (1.5, 3.0)
    assert float(rows["hacker"]["max_score"]) == 13


def test_export_of_an_unknown_assignment_says_so():
    """Does asking for an assignment that does not exist give a clear error?"""
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No assignment called 'nope'"):
        call_command("export_grades", "--assignment", "nope")
