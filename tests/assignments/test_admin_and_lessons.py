"""Authors upload assignments in the admin; a lesson's notebook block shows the resident their status."""

import datetime

import nbformat
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assignments.models import Assignment
from courses.models import LessonPage
from lms.people.models import Role
from tests.factories import UserFactory

from .conftest import source_notebook

SOURCE = source_notebook(
    (
        "solution",
        "answer",
        "def answer():\n    ### BEGIN SOLUTION\n    return 42\n    ### END SOLUTION",
    ),
    ("test", "check", "assert answer() == 42", 2),
)


def _form(cohort, *files, name="ps-rent"):
    now = timezone.localtime()
    return {
        "cohort": cohort.pk,
        "name": name,
        "title": "Rent burden",
        "release_at": (now - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "due_at": (now + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        "late_policy": "per_day",
        "late_penalty_percent_per_day": "10",
        "files": list(files),
    }


def test_staff_upload_an_assignment_in_the_admin(client, home, cohort, staff):
    """Can staff upload source notebooks and see the new assignment listed with its points?"""
    client.force_login(staff)
    upload = SimpleUploadedFile("rent.ipynb", nbformat.writes(SOURCE).encode())
    response = client.post(reverse("assignments_admin:upload"), _form(cohort, upload))
    assert response.status_code == 302, response.content.decode()[:3000]
    assignment = Assignment.objects.get(name="ps-rent")
    assert assignment.max_score == 2
    listing = client.get(reverse("assignments_admin:index")).content.decode()
    assert "ps-rent" in listing and cohort.name in listing


def test_bad_notebook_is_refused_in_the_form_with_the_reason(client, home, cohort, staff):
    """Does a duplicated grade id come back on the form, naming the cell, with nothing stored?"""
    broken = nbformat.from_dict(SOURCE)
    broken.cells[1].metadata.nbgrader["grade_id"] = "answer"
    client.force_login(staff)
    upload = SimpleUploadedFile("rent.ipynb", nbformat.writes(broken).encode())
    response = client.post(reverse("assignments_admin:upload"), _form(cohort, upload))
    assert response.status_code == 200
    page = response.content.decode()
    assert "used twice" in page
    summary = page.index('id="upload-errors"')
    assert summary < page.index('name="cohort"'), "the refusal is said above the form's fields"
    assert "used twice" in page[summary : page.index('name="cohort"')]
    assert not Assignment.objects.exists()


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.MENTOR])
def test_residents_and_mentors_cannot_upload(client, home, cohort, role):
    """Are residents and mentors kept out of the upload form?"""
    client.force_login(UserFactory(roles=[role]))
    response = client.get(reverse("assignments_admin:upload"))
    assert response.status_code in (302, 403)


@pytest.mark.grading
def test_lesson_block_shows_due_time_and_the_residents_grade(
    client, syllabus, cohort, resident, django_capture_on_commit_callbacks
):
    """Does the lesson's notebook block show the cohort's assignment, its due time and my grade?"""
    from assignments.models import AssignmentFile
    from assignments.services import assignment_create, submission_create

    now = timezone.now()
    assignment = assignment_create(cohort=cohort, name="ps-rent", files={"rent.ipynb": nbformat.writes(SOURCE).encode()},
                                   release_at=now - datetime.timedelta(days=1), due_at=now + datetime.timedelta(days=2))  # fmt: skip
    lesson = LessonPage.objects.descendant_of(syllabus).first()
    lesson.body = [
        ("notebook", {"assignment": "ps-rent", "title": "Rent burden", "description": ""})
    ]
    lesson.save_revision().publish()
    client.force_login(resident)
    content = client.get(lesson.url).content.decode()
    assert "Not submitted" in content and "2 points" in content
    release = bytes(
        AssignmentFile.objects.get(assignment=assignment, kind="release").content
    ).decode()
    answered = release.replace("# YOUR CODE HERE\\n", "").replace(
        "raise NotImplementedError()", "return 42"
    )
    with django_capture_on_commit_callbacks(execute=True):
        submission_create(
            assignment=assignment, resident=resident, files={"rent.ipynb": answered.encode()}
        )
    content = client.get(lesson.url).content.decode()
    assert "Graded 2 / 2" in content


def test_guest_instructors_upload_only_into_their_weeks(client, syllabus, cohort, guest_instructor):
    """Can a guest instructor upload into the week they were given, and not into another?"""
    from courses.models import WeekPage
    from courses.services import authoring_grant

    weeks = list(WeekPage.objects.child_of(syllabus).order_by("number"))
    authoring_grant(user=guest_instructor, page=weeks[0])
    client.force_login(guest_instructor)
    notebook = nbformat.writes(SOURCE).encode()
    refused = client.post(
        reverse("assignments_admin:upload"),
        {**_form(cohort, SimpleUploadedFile("rent.ipynb", notebook)), "week": weeks[1].pk},
    )
    assert refused.status_code == 200, "a week not given to them is not even offered"
    assert "Select a valid choice" in refused.content.decode()
    assert not Assignment.objects.exists()
    accepted = client.post(
        reverse("assignments_admin:upload"),
        {**_form(cohort, SimpleUploadedFile("rent.ipynb", notebook)), "week": weeks[0].pk},
    )
    assert accepted.status_code == 302
    assert Assignment.objects.get().week == weeks[0]
