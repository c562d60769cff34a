"""The demo residency's notebook assignments: real nbgrader notebooks, on the right days."""

import datetime
from zoneinfo import ZoneInfo

import nbformat
import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from assignments.demo import ASSIGNMENTS_DIR, DEMO_ASSIGNMENTS
from assignments.models import Assignment, AssignmentFile, Grading, Submission
from assignments.services import submission_create
from courses.models import LessonPage, WeekPage
from courses.services import lesson_release_time
from lms.cohorts.models import Cohort
from lms.cohorts.selectors import cohort_week_number, cohort_week_start

pytestmark = pytest.mark.django_db

NAMES = [
    "ps1-python-basics",
    "ps2-functions",
    "ps3-food-bank-pandas",
    "ps4-sql-joins",
    "ps5-schema-design",
    "ps6-accessible-page",
]


def _local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment, ZoneInfo(settings.TIME_ZONE))


def _names_in(lesson: LessonPage) -> set[str]:
    return {block.value["assignment"] for block in lesson.body if block.block_type == "notebook"}


def test_demo_has_six_assignments_released_monday_and_due_friday_of_their_week():
    """Does each problem set open Monday 8:00 and close Friday 17:00 of its week, by its lesson?"""
    call_command("load_demo")
    cohort = Cohort.objects.get(slug="cohort-7")
    assignments = {a.name: a for a in Assignment.objects.filter(cohort=cohort)}
    assert sorted(assignments) == NAMES
    assert not Assignment.objects.filter(cohort__slug="cohort-6").exists()

    for number, name in enumerate(NAMES, start=1):
        assignment = assignments[name]
        monday = cohort_week_start(cohort=cohort, number=number)
        assert monday.weekday() == 0
        release, due = _local(assignment.release_at), _local(assignment.due_at)
        assert (release.date(), release.time()) == (monday, datetime.time(8, 0)), name
        assert (due.date(), due.time()) == (
            monday + datetime.timedelta(days=4),
            datetime.time(17, 0),
        ), name
        assert due.strftime("%A") == "Friday"

        assert assignment.week.number == number
        lesson = LessonPage.objects.get(pk=assignment.lesson_id)
        assert WeekPage.objects.parent_of(lesson).get().pk == assignment.week_id
        assert name in _names_in(lesson), f"{lesson.title} does not name {name}"
        assert assignment.title.startswith(f"Problem set {number}:")

        kinds = set(
            AssignmentFile.objects.filter(assignment=assignment, path=f"{name}.ipynb").values_list(
                "kind", flat=True
            )
        )
        assert kinds == {"source", "release"}, name
        assert assignment.max_score >= 10

    assert AssignmentFile.objects.filter(
        assignment=assignments["ps3-food-bank-pandas"], kind="support", path="pantry_visits.csv"
    ).exists()


def test_release_notebooks_hide_solutions_and_hidden_tests():
    """Do residents get stubs instead of the solutions, and no hidden tests?"""
    call_command("load_demo")
    for name in NAMES:
        release = bytes(
            AssignmentFile.objects.get(
                assignment__cohort__slug="cohort-7", assignment__name=name, kind="release"
            ).content
        ).decode()
        assert "BEGIN SOLUTION" not in release and "BEGIN HIDDEN TESTS" not in release, name
        assert "raise NotImplementedError()" in release and "YOUR ANSWER HERE" in release, name


def test_load_demo_twice_creates_no_duplicate_assignments():
    """Does a second load_demo leave the assignments and their files as they were?"""
    call_command("load_demo")
    first = (Assignment.objects.count(), AssignmentFile.objects.count())
    call_command("load_demo")
    assert (Assignment.objects.count(), AssignmentFile.objects.count()) == first
    assert first[0] == len(DEMO_ASSIGNMENTS)


def test_load_demo_with_submissions_hands_in_most_work_once():
    """With --submissions, do most residents hand in what is due, one late, and only once?"""
    call_command("load_demo", "--submissions")
    cohort = Cohort.objects.get(slug="cohort-7")
    residents = cohort.enrollments.count()
    now = timezone.now()
    due = Assignment.objects.filter(cohort=cohort, due_at__lte=now)
    assert {a.name for a in due} >= set(NAMES[:5])
    for assignment in Assignment.objects.filter(cohort=cohort):
        submissions = Submission.objects.filter(assignment=assignment)
        if assignment.due_at > now:
            assert not submissions.exists(), assignment.name
            continue
        assert submissions.count() == residents - 2, assignment.name
        assert submissions.filter(submitted_at__gt=assignment.due_at).count() == 1
        assert not submissions.filter(submitted_at__lt=assignment.release_at).exists()
    assert Grading.objects.count() == Submission.objects.count()

    before = Submission.objects.count()
    call_command("load_demo", "--submissions")
    assert Submission.objects.count() == before


def _without_solution_markers(source: str) -> str:
    return "\n".join(
        line
        for line in source.splitlines()
        if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION")
    )


@pytest.mark.grading
def test_correct_ps1_answer_scores_full_marks(django_capture_on_commit_callbacks):
    """Do the source notebook's own solutions, handed in on time, earn every automatic point?"""
    call_command("load_demo")
    assignment = Assignment.objects.get(cohort__slug="cohort-7", name="ps1-python-basics")
    resident = Cohort.objects.get(slug="cohort-7").enrollments.first().resident

    source = nbformat.read(ASSIGNMENTS_DIR / "ps1-python-basics" / "ps1-python-basics.ipynb", 4)
    solutions = {
        cell.metadata["nbgrader"]["grade_id"]: cell.source
        for cell in source.cells
        if cell.metadata.get("nbgrader", {}).get("solution")
    }
    release = AssignmentFile.objects.get(assignment=assignment, kind="release")
    answer = nbformat.reads(bytes(release.content).decode(), as_version=4)
    for cell in answer.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in solutions:
            cell.source = _without_solution_markers(solutions[grade_id])

    with django_capture_on_commit_callbacks(execute=True):
        submission = submission_create(
            assignment=assignment,
            resident=resident,
            files={"ps1-python-basics.ipynb": nbformat.writes(answer).encode()},
            submitted_at=assignment.due_at - datetime.timedelta(days=1),
        )
    grading = Grading.objects.get(submission=submission)
    assert grading.status == Grading.Status.GRADED, grading.error
    cells = list(grading.cells.all())
    tests = [cell for cell in cells if cell.kind == "autograded test"]
    assert len(tests) == 4
    assert all(cell.auto_score == cell.max_score for cell in tests), [
        (cell.grade_id, cell.auto_score, cell.output) for cell in tests
    ]
    automatic = sum(cell.max_score for cell in tests)
    assert grading.raw_score == automatic == 8
    assert grading.score == automatic and grading.late_penalty == 0
    assert grading.max_score == assignment.max_score == 10
    assert grading.needs_manual_grading, "the written answer waits for a mentor"


# Moments in a week the demo is loaded: Monday just after the set opens, midweek, Friday evening.
DEMO_MOMENTS = {
    "monday-8.30": datetime.datetime(2026, 3, 9, 8, 30),
    "wednesday-noon": datetime.datetime(2026, 3, 11, 12, 0),
    "friday-6pm": datetime.datetime(2026, 3, 13, 18, 0),
}


@pytest.mark.parametrize("moment", DEMO_MOMENTS.values(), ids=DEMO_MOMENTS.keys())
def test_problem_set_cards_sit_on_the_lesson_of_the_day_each_set_opens(client, moment):
    """Is each card on Monday's lesson, open with its set, so this week's card is a click away?"""
    with time_machine.travel(moment.replace(tzinfo=ZoneInfo(settings.TIME_ZONE)), tick=False):
        call_command("load_demo")
        cohort = Cohort.objects.get(slug="cohort-7")
        for assignment in Assignment.objects.filter(cohort=cohort):
            lesson = LessonPage.objects.get(pk=assignment.lesson_id)
            naming = [
                other.pk
                for other in LessonPage.objects.descendant_of(cohort.syllabus)
                if assignment.name in _names_in(other.get_latest_revision_as_object())
            ]
            assert naming == [lesson.pk], f"{assignment.name} has its card on another lesson"
            assert lesson.get_weekday_display() == _local(assignment.release_at).strftime("%A")
            assert lesson_release_time(lesson=lesson) == assignment.release_at, assignment.name

        ps6 = Assignment.objects.get(cohort=cohort, name="ps6-accessible-page")
        assert ps6.week.number == cohort_week_number(cohort=cohort) == 6
        client.login(username="aisha", password="residency-demo")
        week = client.get(ps6.week.url).content.decode()
        lesson = LessonPage.objects.get(pk=ps6.lesson_id)
        assert f'href="{lesson.url}"' in week, "this week's lesson with the ps6 card is not open"
        card = client.get(lesson.url).content.decode()
        assert "Problem set 6: An accessible mutual-aid request page" in card
        assert "Due Fri Mar 13, 5:00 PM" in card
        assert "data-open-in-jupyterlab" in card
