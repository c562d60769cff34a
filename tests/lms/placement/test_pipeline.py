"""A graduate's cards: who moves them, dates in order, history kept, jobs and the nudges."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lms.notifications.models import Kind, Notification
from lms.notifications.services import opt_outs_set
from lms.placement.models import Hours, Job, SalaryBand, Stage
from lms.placement.services import (
    MOVE_BEFORE_LAST,
    MOVE_IN_FUTURE,
    NOT_YOURS,
    application_create,
    application_move,
    job_record,
    stalled_nudges_send,
)
from lms.scheduler.registry import registered_jobs

from .conftest import TODAY, moment

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def card(grad, frozen):
    return application_create(
        resident=grad, by=grad, organization_name="Riverside Renters' Alliance",
        title="Data organizer", on=TODAY - 10 * DAY,
    )  # fmt: skip


def test_a_resident_moves_their_card_to_placed_in_the_browser_less_way(signed_in, grad, card):
    """Does each move show on the card with its day and note, and placed ask for the job?"""
    client = signed_in(grad)
    url = reverse("placement:application-move", args=[card.pk])
    for stage in (Stage.APPLIED, Stage.INTERVIEWING, Stage.OFFER):
        response = client.post(
            url, {"stage": stage, "on": TODAY.isoformat(), "note": f"now {stage}"}
        )
        assert response.status_code == 302
    response = client.post(url, {"stage": Stage.PLACED, "on": "", "note": "Accepted"})
    assert response["Location"] == f"{reverse('placement:job-new')}?application={card.pk}"
    page = client.get(reverse("placement:application", args=[card.pk])).content.decode()
    assert "Accepted" in page and "now interviewing" in page
    assert [c.stage for c in card.changes.all()] == [
        "interested", "applied", "interviewing", "offer", "placed"
    ]  # fmt: skip
    response = client.post(
        f"{reverse('placement:job-new')}?application={card.pk}",
        {"organization_name": "Riverside Renters' Alliance", "role": "Data organizer",
         "start_date": "2025-09-15", "hours": Hours.FULL_TIME, "salary_band": SalaryBand.FROM_40K,
         "social_justice": "on"},
        follow=True,
    )  # fmt: skip
    assert "Recorded: Data organizer at Riverside Renters" in response.content.decode()
    assert Job.objects.get(resident=grad).application == card


def test_dates_go_in_order_and_not_ahead(grad, card):
    with pytest.raises(ValidationError) as error:
        application_move(application=card, by=grad, stage=Stage.APPLIED, on=TODAY + DAY)
    assert MOVE_IN_FUTURE.format(day=TODAY + DAY) in error.value.messages
    with pytest.raises(ValidationError) as error:
        application_move(application=card, by=grad, stage=Stage.APPLIED, on=TODAY - 20 * DAY)
    assert (
        MOVE_BEFORE_LAST.format(last=TODAY - 10 * DAY, day=TODAY - 20 * DAY) in error.value.messages
    )


def test_a_bad_date_is_shown_on_the_page(signed_in, grad, card):
    response = signed_in(grad).post(
        reverse("placement:application-move", args=[card.pk]),
        {"stage": Stage.APPLIED, "on": (TODAY + DAY).isoformat()},
    )
    assert response.status_code == 400
    assert "is in the future: move a card on the day it happens." in response.content.decode()


def test_the_mentor_and_staff_help_others_cannot(
    grad, grad_mentor, other_mentor, classmate, staff, card
):
    application_move(application=card, by=grad_mentor, stage=Stage.APPLIED, note="Go for it")
    application_move(application=card, by=staff, stage=Stage.INTERVIEWING)
    for stranger in (other_mentor, classmate):
        with pytest.raises(PermissionDenied, match=NOT_YOURS):
            application_move(application=card, by=stranger, stage=Stage.OFFER)


def test_strangers_get_404_and_guests_403(
    signed_in, card, other_mentor, classmate, guest_instructor
):
    for stranger in (other_mentor, classmate, guest_instructor):
        client = signed_in(stranger)
        assert client.get(reverse("placement:application", args=[card.pk])).status_code == 404
        assert client.get(reverse("placement:person", args=["grad"])).status_code == 404
        client.logout()
    assert signed_in(guest_instructor).get(reverse("placement:index")).status_code == 403


def test_a_new_job_is_a_new_record(grad, frozen):
    first = job_record(
        resident=grad, by=grad, organization_name="A", role="Dev", start_date=TODAY - 60 * DAY,
        hours=Hours.FULL_TIME, salary_band=SalaryBand.FROM_40K,
    )  # fmt: skip
    second = job_record(
        resident=grad, by=grad, organization_name="B", role="Lead", start_date=TODAY,
        hours=Hours.PART_TIME, salary_band=SalaryBand.FROM_55K,
    )  # fmt: skip
    assert list(Job.objects.filter(resident=grad)) == [second, first]


def test_a_job_before_the_residency_is_refused(grad, frozen):
    with pytest.raises(ValidationError, match="starts after the residency began"):
        job_record(
            resident=grad, by=grad, organization_name="A", role="Dev",
            start_date=datetime.date(2024, 1, 1), hours=Hours.FULL_TIME,
            salary_band=SalaryBand.FROM_40K,
        )  # fmt: skip


def test_a_stalled_card_nudges_once_and_respects_opt_out(
    grad, classmate, django_capture_on_commit_callbacks, frozen
):
    """Does a card still for two weeks e-mail its resident once, and not someone who opted out?"""
    stalled = application_create(
        resident=grad, by=grad, organization_name="Org", title="Dev", on=TODAY - 14 * DAY
    )
    application_create(
        resident=grad, by=grad, organization_name="Org", title="Fresh", on=TODAY - 13 * DAY
    )
    application_create(
        resident=classmate, by=classmate, organization_name="Org", title="Dev", on=TODAY - 30 * DAY
    )
    opt_outs_set(user=classmate, kinds={Kind.PLACEMENT_NUDGE})
    with django_capture_on_commit_callbacks(execute=True):
        assert stalled_nudges_send(now=moment(TODAY)) == 1
        assert stalled_nudges_send(now=moment(TODAY, 13)) == 0
    notification = Notification.objects.get()
    assert notification.user == grad and notification.kind == Kind.PLACEMENT_NUDGE
    assert "has not moved for 14 days" in notification.subject
    assert f"/placement/cards/{stalled.pk}/" in notification.body
    assert len(mail.outbox) == 1


def test_the_nudge_job_is_registered():
    assert "placement nudges" in [job.name for job in registered_jobs()]
