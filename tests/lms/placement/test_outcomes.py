"""The figures funders ask for: placement rates at 90 and 180 days, median days, the share at
social-justice organizations, retention at eight months, and the CSV."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from lms.placement.models import Hours, SalaryBand
from lms.placement.selectors import cohort_outcomes
from lms.placement.services import job_record, retention_answer
from tests.factories import CohortFactory, resident_in

from .conftest import GRADUATION, START, TODAY

pytestmark = pytest.mark.django_db


def _job(resident, days_after, *, social_justice=True, role="Developer"):
    return job_record(
        resident=resident, by=resident, organization_name="Somewhere", role=role,
        start_date=GRADUATION + datetime.timedelta(days=days_after), hours=Hours.FULL_TIME,
        salary_band=SalaryBand.FROM_40K, social_justice=social_justice, today=TODAY,
    )  # fmt: skip


def test_figures_match_a_hand_count(graduated, frozen):
    """Five graduates: placed at day 30, 100 and 200 (the last not yet started counts as
    placed only from its start), one with two jobs counted once, one not placed."""
    people = [resident_in(graduated, username=f"g{n}") for n in range(5)]
    _job(people[0], 30)
    _job(people[0], 120, role="Senior developer")  # a later job: history, not a second placement
    _job(people[1], 100, social_justice=False)
    _job(people[2], -10)  # started before graduation: 0 days
    retention_answer(resident=people[0], employed=True, today=TODAY)
    retention_answer(resident=people[1], employed=False, today=TODAY)
    retention_answer(resident=people[4], employed=True, today=TODAY)  # not placed: not counted

    o = cohort_outcomes(cohort=graduated, today=datetime.date(2026, 1, 10))
    assert o.graduation == GRADUATION
    assert (o.graduates, o.placed) == (5, 3)
    assert (o.placed_by_90.count, o.placed_by_90.percent, o.placed_by_90.final) == (2, 40, True)
    assert (o.placed_by_180.count, o.placed_by_180.percent) == (3, 60)
    assert o.median_days == 30
    assert (o.social_justice.count, o.social_justice.total, o.social_justice.percent) == (2, 3, 67)
    assert (o.retention.count, o.retention.total, o.retention.percent) == (1, 2, 50)
    assert o.retention.final


def test_a_figure_whose_day_has_not_come_is_marked_so_far(graduated):
    resident_in(graduated, username="only")
    o = cohort_outcomes(cohort=graduated, today=GRADUATION + datetime.timedelta(days=60))
    assert not o.placed_by_90.final and not o.placed_by_180.final
    assert o.placed_by_90.percent == 0
    assert o.median_days is None and o.social_justice.percent is None
    assert o.retention.percent is None and not o.retention.final


def test_a_job_starting_later_does_not_count_yet(graduated):
    person = resident_in(graduated, username="soon")
    _job(person, 50)
    assert (
        cohort_outcomes(cohort=graduated, today=GRADUATION + datetime.timedelta(days=40)).placed
        == 0
    )
    assert (
        cohort_outcomes(cohort=graduated, today=GRADUATION + datetime.timedelta(days=50)).placed
        == 1
    )


@pytest.mark.parametrize("size", [3, 40])
def test_outcomes_take_three_queries_whatever_the_size(size, django_assert_num_queries):
    """Is the count of queries the same for a small and a large cohort?"""
    cohort = CohortFactory(start_date=START)
    for n in range(size):
        person = resident_in(cohort, username=f"p{size}-{n}")
        if n % 2:
            _job(person, n)
            retention_answer(resident=person, employed=bool(n % 3), today=TODAY)
    with django_assert_num_queries(3):
        o = cohort_outcomes(cohort=cohort, today=TODAY)
    assert o.graduates == size and o.placed == size // 2


def test_staff_read_the_page_and_download_the_csv(signed_in, staff, graduated, frozen):
    people = [resident_in(graduated, username=f"c{n}") for n in range(4)]
    _job(people[0], 42)
    _job(people[1], 75, social_justice=False)
    client = signed_in(staff)
    page = client.get(reverse("placement:outcomes")).content.decode()
    assert "50%" in page and "2 of 4 graduates" in page and "58.5" in page
    response = client.get(reverse("placement:outcomes-csv"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header, row = rows[0], rows[1]
    figures = dict(zip(header, row, strict=True))
    assert figures["cohort"] == "Cohort 3"
    assert figures["graduates"] == "4"
    assert figures["placement_rate_90_days"] == "50"
    assert figures["median_days_to_placement"] == "58.5"
    assert figures["social_justice_share"] == "50"


def test_outcomes_are_for_staff_only(signed_in, grad, grad_mentor, guest_instructor, frozen):
    for person in (grad, grad_mentor, guest_instructor):
        assert signed_in(person).get(reverse("placement:outcomes")).status_code == 403
        assert signed_in(person).get(reverse("placement:outcomes-csv")).status_code == 403
