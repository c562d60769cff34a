"""Interviews and closing dates on calendars and the home page, the eight-month question at the
hours check, and the demo's figures."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from courses.demo.loader import load_people_and_cohorts
from lms.calendars.selectors import calendar_entries_for
from lms.cohorts.models import Cohort
from lms.fieldwork import demo as fieldwork_demo
from lms.placement import demo
from lms.placement.models import (
    Application,
    Hours,
    Opening,
    RetentionAnswer,
    RoleKind,
    SalaryBand,
    Stage,
)
from lms.placement.selectors import cohort_board, cohort_outcomes
from lms.placement.services import application_create, application_move, job_record, opening_create

from .conftest import TODAY, moment

pytestmark = pytest.mark.django_db


def test_interviews_and_closing_dates_reach_the_right_calendars(
    grad, grad_mentor, other_mentor, staff, partner, frozen
):
    opening = opening_create(
        organization=partner, by=staff, title="Dev", kind=RoleKind.SOFTWARE, contact_name="D",
        contact_email="d@example.org", closes_on=TODAY + datetime.timedelta(days=9),
    )  # fmt: skip
    application_create(resident=grad, by=grad, opening=opening)
    card = application_create(resident=grad, by=grad, organization_name="Elsewhere", title="Dev")
    application_move(
        application=card, by=grad, stage=Stage.INTERVIEWING,
        interview_at=moment(TODAY + datetime.timedelta(days=2), 10),
    )  # fmt: skip
    mine = {e.uid: e for e in calendar_entries_for(user=grad)}
    assert f"placement-interview-{card.pk}" in mine
    assert mine[f"placement-closes-{opening.pk}"].start == TODAY + datetime.timedelta(days=9)
    mentors = [
        e.summary for e in calendar_entries_for(user=grad_mentor) if e.uid.startswith("placement")
    ]
    assert mentors == ["Gabi Reyes: Interview, Dev at Elsewhere"]
    assert not [e for e in calendar_entries_for(user=other_mentor) if e.uid.startswith("placement")]
    assert f"placement-closes-{opening.pk}" in {e.uid for e in calendar_entries_for(user=staff)}


def test_the_home_page_shows_the_next_interview(client, grad, home, frozen):
    card = application_create(resident=grad, by=grad, organization_name="Elsewhere", title="Dev")
    application_move(
        application=card, by=grad, stage=Stage.INTERVIEWING,
        interview_at=moment(TODAY + datetime.timedelta(days=2), 10),
    )  # fmt: skip
    client.force_login(grad)
    page = client.get("/").content.decode()
    assert "Your job search" in page and "Interview, Dev at Elsewhere" in page


def test_the_hours_page_asks_about_work_in_month_eight(client, grad, frozen):
    job_record(
        resident=grad, by=grad, organization_name="A", role="Dev",
        start_date=datetime.date(2025, 6, 1), hours=Hours.FULL_TIME,
        salary_band=SalaryBand.FROM_40K,
    )  # fmt: skip
    client.force_login(grad)
    assert (
        "Are you still in paid work?"
        not in client.get(reverse("commitments:index")).content.decode()
    )
    with time_machine.travel(moment(datetime.date(2025, 12, 28)), tick=False):
        client.force_login(grad)
        page = client.get(reverse("commitments:index")).content.decode()
        assert "Are you still in paid work?" in page
        client.post(reverse("placement:retention"), {"employed": "yes"})
        assert RetentionAnswer.objects.get(resident=grad).employed
        assert (
            "Are you still in paid work?"
            not in client.get(reverse("commitments:index")).content.decode()
        )


def test_the_board_puts_the_longest_stalled_first(graduated, grad, classmate, frozen):
    application_create(resident=grad, by=grad, organization_name="A", title="x", stage="applied",
                       on=TODAY - datetime.timedelta(days=3))  # fmt: skip
    application_create(resident=classmate, by=classmate, organization_name="B", title="y",
                       stage="applied", on=TODAY - datetime.timedelta(days=20))  # fmt: skip
    applied = next(c for c in cohort_board(cohort=graduated) if c.stage == "applied")
    assert [row.resident.username for row in applied.rows] == ["classmate", "grad"]
    assert [row.stalled for row in applied.rows] == [True, False]


def test_the_demo_has_every_stage_and_the_hand_counted_figures():
    today = timezone.localdate()
    cohort, users = load_people_and_cohorts(today)
    alumni = Cohort.objects.get(slug="cohort-6")
    fieldwork_demo.demo_load(today=today, cohort=cohort, alumni_cohort=alumni, users=users)
    demo.demo_load(today=today, cohort=cohort, alumni_cohort=alumni, users=users)
    demo.demo_load(today=today, cohort=cohort, alumni_cohort=alumni, users=users)
    assert Opening.objects.count() == 4
    assert Opening.objects.filter(status="pending").count() == 1
    stages = {
        (a.resident.username, a.stage) for a in Application.objects.select_related("resident")
    }
    assert {
        ("tanisha", "placed"),
        ("ivy", "placed"),
        ("noor", "interviewing"),
        ("hector", "applied"),
    } <= stages
    o = cohort_outcomes(cohort=alumni, today=today)
    assert (o.graduates, o.placed) == (4, 2)
    assert (o.placed_by_90.count, o.placed_by_90.percent) == (2, 50)
    assert o.median_days == 58.5
    assert o.social_justice.percent == 50
    assert o.retention.total == 0
    board = {c.stage: [r.resident.username for r in c.rows] for c in cohort_board(cohort=alumni)}
    assert board["applied"] == ["hector"] and board["interviewing"] == ["noor"]
    assert next(
        r for c in cohort_board(cohort=alumni) for r in c.rows if r.resident.username == "hector"
    ).stalled
