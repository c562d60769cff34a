"""The demo's attendance: believable, with Omar's poor record, and the same after a second run."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from lms.attendance.demo import demo_load
from lms.attendance.models import AttendanceMark, Session
from lms.attendance.selectors import residency_rates
from lms.cohorts.models import Cohort
from lms.people.models import User

pytestmark = pytest.mark.django_db


def _load():
    demo_load(
        today=timezone.localdate(),
        cohort=Cohort.objects.get(slug="cohort-7"),
        alumni_cohort=Cohort.objects.get(slug="cohort-6"),
        users={user.username: user for user in User.objects.all()},
    )


def test_weeks_one_to_five_are_marked_and_omar_is_often_away():
    """Are weeks 1–5 marked for all twelve, with Omar lowest and under 80%, and is a rerun a no-op?"""
    call_command("load_demo")
    _load()
    cohort = Cohort.objects.get(slug="cohort-7")
    rates = residency_rates(cohort=cohort)
    by_name = {User.objects.get(pk=pk).username: rate for pk, rate in rates.items()}
    assert len(by_name) == 12
    assert by_name["omar"] == min(by_name.values()) < 80
    assert sorted(by_name.values())[1] >= 85
    assert AttendanceMark.objects.filter(session__kind="class").count() == 12 * 25
    assert Session.objects.filter(cohort=cohort, cancelled=True).count() == 1

    before = list(AttendanceMark.objects.order_by("pk").values_list("pk", "status", "marked_at"))
    sessions = Session.objects.count()
    _load()
    assert (
        list(AttendanceMark.objects.order_by("pk").values_list("pk", "status", "marked_at"))
        == before
    )
    assert Session.objects.count() == sessions
