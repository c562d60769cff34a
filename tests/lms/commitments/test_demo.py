"""The demo's hours: one alumna on track, one behind, one ahead, one who skipped last month."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from lms.cohorts.models import Cohort
from lms.commitments.demo import demo_load
from lms.commitments.models import HoursEntry
from lms.commitments.selectors import MonthStatus, cohort_hours_grid
from lms.people.models import User

pytestmark = pytest.mark.django_db


def _load():
    demo_load(
        today=timezone.localdate(),
        cohort=Cohort.objects.get(slug="cohort-7"),
        alumni_cohort=Cohort.objects.get(slug="cohort-6"),
        users={user.username: user for user in User.objects.all()},
    )


def test_cohort_six_has_four_different_stories_and_a_rerun_changes_nothing():
    """Is Tanisha met, Héctor behind, Ivy ahead, Noor empty last month, and is a rerun a no-op?"""
    call_command("load_demo")
    _load()
    grid = cohort_hours_grid(cohort=Cohort.objects.get(slug="cohort-6"))
    rows = {row.person.username: row for row in grid.rows}
    past = [cell for cell in rows["tanisha"].cells if cell.month.number < grid.current]
    assert past, "the demo alumni are a few months into their commitment"
    assert all(cell.status == MonthStatus.MET for cell in past)
    assert all(
        cell.status == MonthStatus.BEHIND
        for cell in rows["hector"].cells
        if cell.month.number < grid.current
    )
    assert all(cell.hours > 12 for cell in rows["ivy"].cells if cell.month.number < grid.current)
    last_month = rows["noor"].cells[grid.current - 2]
    assert last_month.hours == 0 and last_month.status == MonthStatus.BEHIND
    assert rows["noor"].cells[0].status == MonthStatus.MET
    assert [row.person.username for row in grid.rows if not row.months_behind] == ["ivy", "tanisha"]

    before = list(HoursEntry.objects.order_by("pk").values_list("pk", "hours", "date"))
    _load()
    assert list(HoursEntry.objects.order_by("pk").values_list("pk", "hours", "date")) == before
