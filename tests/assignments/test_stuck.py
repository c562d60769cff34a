"""Where the cohort is stuck: each test cell's pass rate, its failures grouped, and who is stuck."""

import datetime
import json

import pytest
import time_machine

from assignments.models import (
    Assignment,
    AssignmentFile,
    CellGrade,
    Grading,
    LatePolicy,
    Submission,
)
from assignments.selectors import stuck_cells
from assignments.selectors.stuck import Failure, failure_message
from tests.factories import resident_in

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 11, 12, 0, tzinfo=datetime.UTC)
PASS = None
SQUARE_WRONG = "AssertionError: expected 9"
NO_SQUARE = "NameError: name 'square' is not defined"


@pytest.fixture(autouse=True)
def _frozen_clock():
    """Every test reads the same Wednesday noon, whatever the day it runs."""
    with time_machine.travel(NOW, tick=False):
        yield


def _assignment(cohort, name="ps1", **extra) -> Assignment:
    return Assignment.objects.create(
        cohort=cohort, name=name, title=f"Problem set {name}", max_score=4,
        release_at=NOW - datetime.timedelta(days=7), due_at=NOW - datetime.timedelta(days=1),
        **extra,
    )  # fmt: skip


def _handed_in(assignment, resident, cells, *, status="graded", hours_before_due=1, hidden=()):
    """A graded version without a kernel: its Submission, Grading and CellGrade rows.

    ``cells`` maps a test cell's grade id to ``PASS`` or to the output of its failure, in
    notebook order; a written answer follows them, as nbgrader stores it.
    """
    version = Submission.objects.filter(assignment=assignment, resident=resident).count() + 1
    submission = Submission.objects.create(
        assignment=assignment, resident=resident, version=version, checksum="x",
        submitted_at=assignment.due_at - datetime.timedelta(hours=hours_before_due),
    )  # fmt: skip
    grading = Grading.objects.create(
        submission=submission, status=status, queued_at=NOW, max_score=assignment.max_score,
        score=sum(1 for out in cells.values() if out is PASS) if status == "graded" else None,
    )  # fmt: skip
    if status != "graded":
        return submission
    for grade_id, output in cells.items():
        CellGrade.objects.create(
            grading=grading, notebook="ps1", grade_id=grade_id, kind="autograded test",
            auto_score=1 if output is PASS else 0, max_score=1, output=output or "",
            hidden_tests=grade_id in hidden,
        )  # fmt: skip
    CellGrade.objects.create(
        grading=grading, notebook="ps1", grade_id="explain", kind="manual answer",
        max_score=2, needs_manual_grade=True, output="",
    )  # fmt: skip
    return submission


def _cell(report, grade_id):
    return next(cell for cell in report.cells if cell.grade_id == grade_id)


def test_each_test_cell_says_how_many_passed_what_failed_and_who_is_stuck(cohort):
    """For each test, how many of the cohort passed, what went wrong most often, and who is stuck?"""
    ana = resident_in(cohort, username="ana", first_name="Ana", last_name="Abara")
    bo = resident_in(cohort, username="bo", first_name="Bo", last_name="Baptiste")
    cy = resident_in(cohort, username="cy", first_name="Cy", last_name="Castro")
    dee = resident_in(cohort, username="dee", first_name="Dee", last_name="Diallo")
    resident_in(cohort, username="eve", first_name="Eve", last_name="Esposito")
    ps1 = _assignment(cohort)
    _handed_in(ps1, ana, {"test-square": PASS, "test-cube": PASS})
    _handed_in(ps1, bo, {"test-square": SQUARE_WRONG, "test-cube": PASS})
    _handed_in(ps1, cy, {"test-square": f"checking 3...\n{SQUARE_WRONG}", "test-cube": PASS})
    _handed_in(
        ps1, dee, {"test-square": NO_SQUARE, "test-cube": NO_SQUARE.replace("square", "cube")}
    )

    report = stuck_cells(assignment=ps1)

    assert (report.residents, report.graded) == (5, 4), "Eve handed nothing in"
    assert [cell.grade_id for cell in report.cells] == ["test-square", "test-cube"], (
        "notebook order, and written answers are not tests"
    )
    square = _cell(report, "test-square")
    assert (square.graded, square.passed, square.percent, square.pass_rate) == (4, 1, 25, 0.25)
    assert square.failures == [Failure(SQUARE_WRONG, 2), Failure(NO_SQUARE, 1)]
    assert [(p.name, p.username) for p in square.stuck] == [
        ("Bo Baptiste", "bo"), ("Cy Castro", "cy"), ("Dee Diallo", "dee"),
    ]  # fmt: skip
    assert square.stuck[0].url == f"/gradebook/{cohort.slug}/bo/ps1/"
    cube = _cell(report, "test-cube")
    assert (cube.passed, cube.graded, [p.username for p in cube.stuck]) == (3, 4, ["dee"])


def test_only_the_graded_version_that_counts_is_read(cohort):
    """Does a replaced version's failure stop counting, and a version still grading not count yet?"""
    ana, bo, cy = (resident_in(cohort, username=name) for name in ("ana", "bo", "cy"))
    ps1 = _assignment(cohort)
    _handed_in(ps1, ana, {"test-square": NO_SQUARE}, hours_before_due=5)
    _handed_in(ps1, ana, {"test-square": PASS}, hours_before_due=2)
    _handed_in(ps1, bo, {"test-square": SQUARE_WRONG}, hours_before_due=5)
    _handed_in(ps1, bo, {}, status="queued", hours_before_due=2)
    _handed_in(ps1, cy, {"test-square": SQUARE_WRONG})

    square = _cell(report := stuck_cells(assignment=ps1), "test-square")

    assert report.graded == 2, "Bo's newest version is still grading"
    assert (square.passed, square.graded) == (1, 2)
    assert square.failures == [Failure(SQUARE_WRONG, 1)], "Ana's first try no longer counts"
    assert [p.username for p in square.stuck] == ["cy"]


def test_under_the_refuse_rule_an_on_time_version_counts_over_a_late_fix(cohort):
    """When late work is refused, is a resident still stuck on the version handed in on time?"""
    ana = resident_in(cohort, username="ana")
    ps1 = _assignment(cohort, late_policy=LatePolicy.REFUSE)
    _handed_in(ps1, ana, {"test-square": SQUARE_WRONG}, hours_before_due=3)
    _handed_in(ps1, ana, {"test-square": PASS}, hours_before_due=-3)

    square = _cell(stuck_cells(assignment=ps1), "test-square")

    assert (square.passed, [p.username for p in square.stuck]) == (0, ["ana"])


def test_tests_come_in_the_order_of_the_notebook_residents_work_in(cohort):
    """Are the tests listed as the release notebook has them, not as nbgrader stored them?"""
    ana = resident_in(cohort, username="ana")
    ps1 = _assignment(cohort)
    release = {
        "cells": [
            {"cell_type": "code", "metadata": {"nbgrader": {"grade_id": grade_id}}}
            for grade_id in ("answer-cube", "test-cube", "test-square")
        ]
    }
    content = json.dumps(release).encode()
    AssignmentFile.objects.create(
        assignment=ps1, kind="release", path="ps1.ipynb", content=content, sha256="x",
        size=len(content),
    )  # fmt: skip
    _handed_in(ps1, ana, {"test-square": PASS, "test-newer": PASS, "test-cube": PASS})

    report = stuck_cells(assignment=ps1)

    assert [cell.grade_id for cell in report.cells] == ["test-cube", "test-square", "test-newer"]


def test_hidden_tests_are_marked_and_their_messages_shown_to_staff(cohort):
    """Is a cell with hidden tests marked as such, with its failure message still there for staff?"""
    ana = resident_in(cohort, username="ana")
    ps1 = _assignment(cohort)
    _handed_in(
        ps1, ana, {"test-square": PASS, "test-edge": "AssertionError: -1"}, hidden={"test-edge"}
    )

    report = stuck_cells(assignment=ps1)

    assert not _cell(report, "test-square").hidden
    edge = _cell(report, "test-edge")
    assert edge.hidden and edge.failures == [Failure("AssertionError: -1", 1)]


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("printing\nAssertionError: expected 9", "AssertionError: expected 9"),
        ("NotImplementedError: ", "NotImplementedError"),
        ("ValueError: first\nmore\nKeyError: 'rent'", "KeyError: 'rent'"),
        (
            "TypeError: <function square at 0x7f3a2c1d9e50> is not <object at 0x7f00>",
            "TypeError: <function square at 0x…> is not <object at 0x…>",
        ),
        (
            "FileNotFoundError: No such file: '/tmp/tmpq8w3k2zx/rents.csv'",
            "FileNotFoundError: No such file: '/tmp/tmp…/rents.csv'",
        ),
        (
            "\x1b[0;31mZeroDivisionError\x1b[0m: division by zero",
            "ZeroDivisionError: division by zero",
        ),
        ("0.5\n", "0.5"),
        ("", "No error message"),
    ],
)
def test_a_failure_comes_down_to_the_error_that_stopped_it(output, message):
    """Do two runs of the same mistake read the same, whatever addresses and folders they print?"""
    assert failure_message(output) == message


def test_a_long_message_is_cut_and_only_the_five_most_common_are_listed(cohort):
    """Does a huge error value stay short, and do rare messages make way for the common ones?"""
    assert len(failure_message("ValueError: " + "x" * 5000)) == 200
    people = [resident_in(cohort, username=f"r{i}") for i in range(8)]
    ps1 = _assignment(cohort)
    for index, person in enumerate(people):
        error = "AssertionError: off by one" if index < 2 else f"AssertionError: case {index}"
        _handed_in(ps1, person, {"test-square": error})

    square = _cell(stuck_cells(assignment=ps1), "test-square")

    assert square.failures[0] == Failure("AssertionError: off by one", 2)
    assert len(square.failures) == 5 and square.other_failures == 2
    assert len(square.stuck) == 8, "everyone stuck is listed, whatever their message"


def test_query_count_does_not_grow_with_the_cohort(cohort, django_assert_num_queries):
    """Does the page cost the same number of queries for 2 residents as for 6?"""
    ps1 = _assignment(cohort)
    _assignment(cohort, name="ps2")

    def build(count, prefix):
        for index in range(count):
            person = resident_in(cohort, username=f"{prefix}{index}")
            _handed_in(ps1, person, {"test-square": SQUARE_WRONG}, hours_before_due=4)
            _handed_in(ps1, person, {"test-square": PASS, "test-cube": NO_SQUARE})

    build(2, "small")
    assignment = Assignment.objects.select_related("cohort").get(pk=ps1.pk)
    with django_assert_num_queries(6):
        stuck_cells(assignment=assignment)
    build(4, "large")
    with django_assert_num_queries(6):
        report = stuck_cells(assignment=assignment)
    assert report.graded == 6 and _cell(report, "test-cube").failures == [Failure(NO_SQUARE, 6)]


# The page


def test_the_page_shows_each_test_with_its_bar_failures_and_stuck_residents(client, cohort, staff):
    """Does staff's page show the pass rate as a bar, 'N of M passed', the failures and links?"""
    ana = resident_in(cohort, username="ana", first_name="Ana", last_name="Abara")
    bo = resident_in(cohort, username="bo", first_name="Bo", last_name="Baptiste")
    ps1 = _assignment(cohort)
    _handed_in(ps1, ana, {"test-square": PASS})
    _handed_in(ps1, bo, {"test-square": "NotImplementedError: "})
    client.force_login(staff)

    page = client.get(f"/gradebook/{cohort.slug}/stuck/ps1/").content.decode()

    assert 'style="width: 50%"' in page and "1 of 2 passed" in page
    assert "<code>NotImplementedError</code>" in page and "still as released" in page
    assert f'<a href="/gradebook/{cohort.slug}/bo/ps1/">Bo Baptiste</a>' in page
    assert f'href="/gradebook/{cohort.slug}/ana/ps1/"' not in page, "Ana passed"
    assert f'href="/gradebook/{cohort.slug}/"' in page, "the breadcrumbs lead back"


def test_an_assignment_with_nothing_graded_says_so(client, cohort, staff):
    """Before anything is graded, does the page say so instead of showing empty bars?"""
    resident_in(cohort, username="ana")
    _assignment(cohort)
    client.force_login(staff)

    page = client.get(f"/gradebook/{cohort.slug}/stuck/ps1/").content.decode()

    assert "Nothing is graded yet" in page and "stuck-bar" not in page


def test_a_residents_output_is_shown_as_text_never_run(client, cohort, staff):
    """Does a script a resident's code printed into an error stay inert text on the page?"""
    ana = resident_in(cohort, username="ana")
    ps1 = _assignment(cohort)
    _handed_in(
        ps1, ana, {"test-square": "ValueError: <script>document.body.dataset.pwned=1</script>"}
    )
    client.force_login(staff)

    page = client.get(f"/gradebook/{cohort.slug}/stuck/ps1/").content.decode()

    assert "<script>document" not in page
    assert "&lt;script&gt;document.body.dataset.pwned=1&lt;/script&gt;" in page


def test_staff_and_guest_instructors_of_the_week_see_it_and_no_one_else(
    client, syllabus, cohort, other_cohort, staff, guest_instructor
):
    """Who may open the page: staff, a guest instructor for their week, not residents or others?"""
    from courses.models import WeekPage
    from courses.services import authoring_grant

    ana = resident_in(cohort, username="ana")
    week_one, week_two = (WeekPage.objects.child_of(syllabus).get(number=n) for n in (1, 2))
    theirs = _assignment(cohort, name="theirs", week=week_one)
    _assignment(cohort, name="other", week=week_two)
    _assignment(other_cohort, name="elsewhere")
    _handed_in(theirs, ana, {"test-square": SQUARE_WRONG})
    authoring_grant(user=guest_instructor, page=week_one)
    url = f"/gradebook/{cohort.slug}/stuck/{{}}/"

    assert client.get(url.format("theirs")).status_code == 302, "sign in first"
    client.force_login(staff)
    assert client.get(url.format("theirs")).status_code == 200
    assert client.get(url.format("elsewhere")).status_code == 404, "another cohort's assignment"
    assert client.get(url.format("nope")).status_code == 404
    assert client.get("/gradebook/no-such-cohort/stuck/theirs/").status_code == 404
    client.force_login(guest_instructor)
    assert client.get(url.format("theirs")).status_code == 200
    assert client.get(url.format("other")).status_code == 403, "a week they do not teach"
    client.force_login(ana)
    assert client.get(url.format("theirs")).status_code == 403


def test_the_gradebook_column_header_links_to_the_page(client, cohort, staff):
    """Can staff go from an assignment's column in the gradebook to where the cohort is stuck?"""
    resident_in(cohort, username="ana")
    _assignment(cohort, feedback_policy="manual")
    client.force_login(staff)

    page = client.get(f"/gradebook/{cohort.slug}/").content.decode()

    assert f'href="/gradebook/{cohort.slug}/stuck/ps1/"' in page
    assert "Release results" in page, "the column keeps its release button"


def test_the_lessons_notebook_card_links_staff_to_the_page(client, syllabus, cohort, staff):
    """Does the lesson's notebook card show staff the link, and residents nothing of it?"""
    from courses.models import LessonPage

    ana = resident_in(cohort, username="ana")
    _assignment(cohort)
    lesson = LessonPage.objects.descendant_of(syllabus).first()
    lesson.body = [("notebook", {"assignment": "ps1", "title": "Squares", "description": ""})]
    lesson.save_revision().publish()
    link = f'href="/gradebook/{cohort.slug}/stuck/ps1/"'

    client.force_login(staff)
    assert link in client.get(lesson.url).content.decode()
    client.force_login(ana)
    page = client.get(lesson.url).content.decode()
    assert "Squares" in page and link not in page
