"""A week belongs to one cohort's syllabus: an assignment may sit only in its own cohort's weeks,
whether it comes through the service, the upload form or the edit form, and whoever asks."""

import datetime

import nbformat
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assignments.models import Assignment
from assignments.services import assignment_create, assignment_update
from courses.models import LessonPage, WeekPage
from courses.services import authoring_grant

from .conftest import source_notebook

pytestmark = pytest.mark.django_db

SOURCE = nbformat.writes(source_notebook(("test", "check", "assert True", 1))).encode()


def _weeks(syllabus) -> list[WeekPage]:
    return list(WeekPage.objects.child_of(syllabus).order_by("number"))


def _create(cohort, week, **extra):
    now = timezone.now()
    return assignment_create(
        cohort=cohort, name="rent", files={"rent.ipynb": SOURCE}, week=week,
        release_at=now, due_at=now + datetime.timedelta(days=2), **extra,
    )  # fmt: skip


def _form(cohort, week):
    now = timezone.localtime()
    return {
        "cohort": cohort.pk,
        "week": week.pk,
        "name": "rent",
        "release_at": now.strftime("%Y-%m-%dT%H:%M"),
        "due_at": (now + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        "late_policy": "per_day",
        "late_penalty_percent_per_day": "10",
        "files": [SimpleUploadedFile("rent.ipynb", SOURCE)],
    }


def test_the_service_refuses_another_cohorts_week_and_lesson(
    cohort, syllabus, other_cohort, other_syllabus
):
    theirs = _weeks(other_syllabus)[0]
    with pytest.raises(ValidationError) as refused:
        _create(cohort, theirs)
    assert "week" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        _create(cohort, _weeks(syllabus)[0], lesson=LessonPage.objects.child_of(theirs).first())
    assert "lesson" in refused.value.message_dict
    assert not Assignment.objects.exists()
    assert _create(cohort, _weeks(syllabus)[0]).week == _weeks(syllabus)[0]


def test_an_edit_cannot_move_an_assignment_into_another_cohorts_week(
    cohort, syllabus, other_cohort, other_syllabus, staff
):
    assignment = _create(cohort, _weeks(syllabus)[0])
    with pytest.raises(ValidationError):
        assignment_update(assignment=assignment, by=staff, week=_weeks(other_syllabus)[0])
    assignment.refresh_from_db()
    assert assignment.week == _weeks(syllabus)[0]


def test_staff_upload_with_a_week_of_another_cohort_is_refused_beside_the_week(
    client, home, cohort, syllabus, other_cohort, other_syllabus, staff
):
    client.force_login(staff)
    page = client.post(
        reverse("assignments_admin:upload"), _form(cohort, _weeks(other_syllabus)[1])
    )
    assert page.status_code == 200
    assert "in another cohort&#x27;s syllabus" in page.content.decode()
    assert not Assignment.objects.exists()


def test_a_guest_given_a_week_of_one_cohort_cannot_write_into_another(
    client, cohort, syllabus, other_cohort, other_syllabus, guest_instructor
):
    """A guest given week 2 of one cohort: is the other cohort offered at all, and is a forged
    post into it, with their own week, refused, with nothing stored and no grades to read?"""
    mine = _weeks(syllabus)[1]
    authoring_grant(user=guest_instructor, page=mine)
    client.force_login(guest_instructor)
    url = reverse("assignments_admin:upload")
    form = client.get(url).context["form"]
    assert list(form.fields["cohort"].queryset) == [cohort]
    assert list(form.fields["week"].queryset) == [mine]

    refused = client.post(url, _form(other_cohort, mine))
    assert refused.status_code == 200 and not Assignment.objects.exists()
    assert client.get(f"/gradebook/{other_cohort.slug}/").status_code == 403

    assert client.post(url, _form(cohort, mine)).status_code == 302
    assert Assignment.objects.get().cohort == cohort
