"""The 10-hour rule and the commitment's months, at their boundaries."""

import datetime
from decimal import Decimal

import pytest

from lms.cohorts.models import Cohort, Phase
from lms.cohorts.selectors import _add_months, cohort_end_date, cohort_phase
from lms.commitments.selectors import (
    CommitmentMonth,
    MonthStatus,
    commitment_months,
    editable_months,
    month_shortfall,
    month_status,
)

D = datetime.date
APRIL_MONTH = CommitmentMonth(number=1, start=D(2026, 4, 25), end=D(2026, 5, 24))  # 30 days


def _graduating_on(friday: datetime.date) -> Cohort:
    return Cohort(
        name="C", slug="c", weeks=16, post_residency_months=8,
        start_date=friday + datetime.timedelta(days=3) - datetime.timedelta(weeks=16),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("hours", "today", "status"),
    [
        ("10", D(2026, 5, 25), MonthStatus.MET),  # exactly 10 after the month: met
        ("9.75", D(2026, 5, 25), MonthStatus.BEHIND),  # a quarter short, the day after: behind
        ("0", D(2026, 6, 30), MonthStatus.BEHIND),
        ("10", D(2026, 5, 1), MonthStatus.MET),  # 10 mid-month is met at once
        ("0", D(2026, 4, 24), MonthStatus.UPCOMING),  # the day before it starts
        ("0", D(2026, 4, 25), MonthStatus.IN_PROGRESS),  # nobody is behind on day one
        ("5", D(2026, 5, 10), MonthStatus.IN_PROGRESS),  # 15 of 30 days gone: 5 is on pace
        ("4.75", D(2026, 5, 10), MonthStatus.BEHIND_PACE),
        ("9.75", D(2026, 5, 24), MonthStatus.IN_PROGRESS),  # last day: 29/30 of 10 = 9.67 asked
        ("9.5", D(2026, 5, 24), MonthStatus.BEHIND_PACE),
    ],
)
def test_the_ten_hour_rule(hours, today, status):
    """Is a month met at exactly 10, behind at 9.75 once over, and judged by pace while running?"""
    assert month_status(hours=Decimal(hours), month=APRIL_MONTH, today=today) == status


def test_shortfall_counts_what_the_rule_still_asks():
    """Does the shortfall add what a past month missed, and the pace gap of the current one?"""
    assert month_shortfall(
        hours=Decimal("9.75"), month=APRIL_MONTH, today=D(2026, 6, 1)
    ) == Decimal("0.25")
    assert month_shortfall(hours=Decimal("12"), month=APRIL_MONTH, today=D(2026, 6, 1)) == 0
    assert month_shortfall(hours=Decimal("2"), month=APRIL_MONTH, today=D(2026, 5, 10)) == Decimal(
        "3"
    )
    assert month_shortfall(hours=Decimal("0"), month=APRIL_MONTH, today=D(2026, 4, 1)) == 0


def test_month_one_starts_the_day_after_graduation_and_the_last_ends_with_the_phase():
    """Do the months line up with graduation and with the cohort's post-residency phase?"""
    cohort = _graduating_on(D(2026, 4, 24))
    months = commitment_months(cohort=cohort)
    assert len(months) == 8
    assert (months[0].start, months[0].end) == (D(2026, 4, 25), D(2026, 5, 24))
    assert months[-1].end == D(2026, 12, 24)
    assert cohort_phase(cohort=cohort, on=months[-1].end) == Phase.POST_RESIDENCY
    assert (
        cohort_phase(cohort=cohort, on=months[-1].end + datetime.timedelta(days=1)) == Phase.ALUMNI
    )


def test_a_month_end_graduation_keeps_to_month_ends():
    """Graduating on Friday, January 31: do months end on the last day of each month, not drift?"""
    cohort = _graduating_on(D(2025, 1, 31))
    assert cohort_end_date(cohort=cohort) == D(2025, 1, 31)
    spans = [(m.start, m.end) for m in commitment_months(cohort=cohort)]
    assert spans[:4] == [
        (D(2025, 2, 1), D(2025, 2, 28)),
        (D(2025, 3, 1), D(2025, 3, 31)),
        (D(2025, 4, 1), D(2025, 4, 30)),
        (D(2025, 5, 1), D(2025, 5, 31)),
    ]
    assert spans[-1] == (D(2025, 9, 1), D(2025, 9, 30))


def test_a_leap_february_has_29_days_and_the_pace_follows():
    """Graduating on Friday, December 31, 2027: is month 2 February 1–29, and is its pace per 29 days?"""
    months = commitment_months(cohort=_graduating_on(D(2027, 12, 31)))
    february = months[1]
    assert (february.start, february.end, february.days) == (D(2028, 2, 1), D(2028, 2, 29), 29)
    halfway_and_a_half = D(2028, 2, 16)  # 15 of 29 days gone: 150/29 = 5.17 hours asked
    assert (
        month_status(hours=Decimal("5.25"), month=february, today=halfway_and_a_half)
        == MonthStatus.IN_PROGRESS
    )
    assert (
        month_status(hours=Decimal("5"), month=february, today=halfway_and_a_half)
        == MonthStatus.BEHIND_PACE
    )
    assert (
        month_status(hours=Decimal("9.75"), month=february, today=D(2028, 3, 1))
        == MonthStatus.BEHIND
    )


def test_months_follow_each_other_without_gap_for_every_friday_of_five_years():
    """For any graduation Friday, does each month start the day after the one before ends?"""
    friday = D(2024, 1, 5)
    while friday < D(2029, 1, 1):
        months = commitment_months(cohort=_graduating_on(friday))
        assert months[0].start == friday + datetime.timedelta(days=1)
        assert months[-1].end == _add_months(friday, 8)
        for before, after in zip(months, months[1:], strict=False):
            assert after.start == before.end + datetime.timedelta(days=1)
            assert 28 <= after.days <= 31
        friday += datetime.timedelta(weeks=1)


def test_the_current_and_previous_months_stay_open():
    """Are only this month and the one before open, and the last month for a month after the end?"""
    months = commitment_months(cohort=_graduating_on(D(2026, 4, 24)))
    assert editable_months(months=months, today=D(2026, 4, 24)) == []
    assert [m.number for m in editable_months(months=months, today=D(2026, 4, 25))] == [1]
    assert [m.number for m in editable_months(months=months, today=D(2026, 7, 1))] == [2, 3]
    assert [m.number for m in editable_months(months=months, today=D(2026, 12, 24))] == [7, 8]
    assert [m.number for m in editable_months(months=months, today=D(2027, 1, 24))] == [8]
    assert editable_months(months=months, today=D(2027, 1, 25)) == []
