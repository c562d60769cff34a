"""Extensions that only extend: later and in the future, or a clear refusal; revocable; in the history."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from assignments.models import Assignment, Extension, ExtensionChange, Grading, Submission
from assignments.services import (
    EXTENSION_IN_THE_PAST,
    EXTENSION_NOT_LATER,
    NO_EXTENSION,
    extension_grant,
    extension_revoke,
)
from tests.factories import resident_in

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 18, 15, 0, tzinfo=datetime.UTC)  # a Wednesday


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _graded_hand_in(cohort, resident, *, due: datetime.datetime) -> Assignment:
    """An assignment due at ``due`` with a version handed in an hour before it, graded 8.5 of 13."""
    assignment = Assignment.objects.create(
        cohort=cohort, name="ps1", release_at=due - datetime.timedelta(days=7), due_at=due,
        max_score=13, late_policy="zero",
    )  # fmt: skip
    submission = Submission.objects.create(
        assignment=assignment, resident=resident, version=1, checksum="x",
        submitted_at=due - datetime.timedelta(hours=1),
    )  # fmt: skip
    Grading.objects.create(
        submission=submission, status="graded", queued_at=NOW, raw_score=8.5, score=8.5,
        max_score=13,
    )  # fmt: skip
    return assignment


def test_an_earlier_due_time_is_refused_and_the_grade_stays(cohort):
    """Can an extension to before the current due time wipe a grade? It must be refused instead."""
    ana = resident_in(cohort, username="ana", first_name="Ana", last_name="Ruiz")
    assignment = _graded_hand_in(cohort, ana, due=NOW - datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as refused:
        extension_grant(
            assignment=assignment, resident=ana, due_at=NOW - datetime.timedelta(days=3)
        )
    assert "An extension only extends" in refused.value.messages[0]
    assert refused.value.messages[0].startswith(EXTENSION_NOT_LATER.split("{")[0])
    grading = Grading.objects.get()
    assert (grading.score, grading.late_penalty, grading.seconds_late) == (8.5, 0, 0)
    assert not Extension.objects.exists() and not ExtensionChange.objects.exists()


def test_a_due_time_already_past_is_refused(cohort):
    """Is a later due time that has already passed refused, with the time named?"""
    ana = resident_in(cohort, username="ana")
    assignment = _graded_hand_in(cohort, ana, due=NOW - datetime.timedelta(days=2))
    with pytest.raises(ValidationError) as refused:
        extension_grant(
            assignment=assignment, resident=ana, due_at=NOW - datetime.timedelta(hours=1)
        )
    assert refused.value.messages[0].endswith(EXTENSION_IN_THE_PAST.split("}")[-1])


def test_an_extension_is_granted_taken_back_and_both_are_in_the_history(cohort, staff):
    """Does taking an extension back restore the cohort's due time, with both changes recorded?"""
    ana = resident_in(cohort, username="ana")
    due = NOW + datetime.timedelta(days=1)
    assignment = _graded_hand_in(cohort, ana, due=due)
    later = NOW + datetime.timedelta(days=4)
    extension_grant(assignment=assignment, resident=ana, due_at=later, granted_by=staff)
    extension_revoke(assignment=assignment, resident=ana, by=staff)
    assert not Extension.objects.exists()
    history = [(c.old_due_at, c.new_due_at) for c in ExtensionChange.objects.order_by("id")]
    assert history == [(due, later), (later, due)]
    with pytest.raises(ValidationError) as refused:
        extension_revoke(assignment=assignment, resident=ana, by=staff)
    assert refused.value.messages[0] == NO_EXTENSION.format(
        resident=ana.get_full_name(), name="ps1"
    )


def test_staff_grant_and_take_back_from_the_hand_in_page(client, cohort, staff):
    """Do staff see a refusal on the page for an earlier time, and can they take an extension back?"""
    ana = resident_in(cohort, username="ana")
    assignment = _graded_hand_in(cohort, ana, due=NOW + datetime.timedelta(days=1))
    client.force_login(staff)
    base = f"/gradebook/{cohort.slug}/ana/ps1/"
    earlier = timezone.localtime(NOW - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    page = client.post(f"{base}extension/", {"due_at": earlier}, follow=True)
    assert "An extension only extends" in page.content.decode()
    later = timezone.localtime(NOW + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    page = client.post(f"{base}extension/", {"due_at": later, "reason": "family"}, follow=True)
    assert "now has until" in page.content.decode()
    assert "Take back the extension" in page.content.decode()
    page = client.post(f"{base}revoke-extension/", follow=True)
    assert "due with the cohort again" in page.content.decode()
    assert not Extension.objects.filter(assignment=assignment).exists()
