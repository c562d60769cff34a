"""Reads about cohorts: who is in which, what week it is, what phase."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from lms.people.models import User
from lms.people.permissions import user_is_staff_or_guest_instructor

from .models import Cohort, Phase

#: Classes run 9 to 5, Monday to Friday, in the program's time zone.
CLASS_HOURS = (datetime.time(9, 0), datetime.time(17, 0))


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate_day)
        except ValueError:
            continue
    raise ValueError(day)


def cohort_end_date(*, cohort: Cohort) -> datetime.date:
    """The Friday of the cohort's last week: graduation day."""
    return cohort.start_date + datetime.timedelta(weeks=cohort.weeks, days=-3)


def cohort_phase(*, cohort: Cohort, on: datetime.date | None = None) -> Phase:
    """Where the cohort stands on a day: before, during, just after, or long after the residency."""
    on = on or timezone.localdate()
    if on < cohort.start_date:
        return Phase.UPCOMING
    graduation = cohort_end_date(cohort=cohort)
    if on <= graduation:
        return Phase.RESIDENCY
    if on <= _add_months(graduation, cohort.post_residency_months):
        return Phase.POST_RESIDENCY
    return Phase.ALUMNI


def cohort_week_number(*, cohort: Cohort, on: datetime.date | None = None) -> int | None:
    """The residency week (1-based) that contains ``on``, or None outside the residency."""
    on = on or timezone.localdate()
    days = (on - cohort.start_date).days
    if days < 0 or days >= cohort.weeks * 7:
        return None
    return days // 7 + 1


def cohort_week_start(*, cohort: Cohort, number: int) -> datetime.date:
    return cohort.start_date + datetime.timedelta(weeks=number - 1)


def cohort_for_resident(*, user: User) -> Cohort | None:
    if not user.is_authenticated:
        return None
    enrollment = getattr(user, "enrollment", None)
    return enrollment.cohort if enrollment else None


def cohorts_visible_to(*, user: User) -> QuerySet[Cohort]:
    """Cohorts whose syllabus a user may read.

    Staff and guest instructors teach across cohorts and see all of them;
    mentors see the cohorts they mentor in; residents see their own.
    """
    if user_is_staff_or_guest_instructor(user=user):
        return Cohort.objects.all()
    if not user.is_authenticated:
        return Cohort.objects.none()
    return Cohort.objects.filter(
        Q(pairings__mentor=user) | Q(enrollments__resident=user)
    ).distinct()


def cohort_default(
    *, among: QuerySet[Cohort] | None = None, today: datetime.date | None = None
) -> Cohort | None:
    """The cohort a staff page opens on when none is asked for: the latest that has started, else
    the newest. ``among`` narrows it to the cohorts a person may pick (their own)."""
    today = today or timezone.localdate()
    cohorts = (Cohort.objects.all() if among is None else among).order_by("-start_date")
    return cohorts.filter(start_date__lte=today).first() or cohorts.first()


def mentees_of(*, mentor: User) -> QuerySet[User]:
    return User.objects.filter(mentor_pairings__mentor=mentor).order_by("first_name")


def cohort_residents(*, cohort: Cohort, by_username: bool = False) -> list[User]:
    """A cohort's residents in one query: by last and first name, as people read a list, or by
    username, as grade exports list them."""
    order = (
        ("resident__username",)
        if by_username
        else ("resident__last_name", "resident__first_name", "resident__username")
    )
    return [
        enrollment.resident
        for enrollment in cohort.enrollments.select_related("resident").order_by(*order)
    ]


def in_class_hours(*, moment: datetime.datetime | None = None) -> bool:
    """Whether ``moment`` (default: now) falls in class time: a weekday between 9 and 5."""
    local = timezone.localtime(moment or timezone.now())
    return local.weekday() < 5 and CLASS_HOURS[0] <= local.time() < CLASS_HOURS[1]


def resident_in_class(*, user: User, moment: datetime.datetime | None = None) -> bool:
    """A resident of a cohort in its 16 weeks, during class hours: the morning sign-in."""
    if not in_class_hours(moment=moment):
        return False
    cohort = cohort_for_resident(user=user)
    day = timezone.localdate(moment or timezone.now())
    return cohort is not None and cohort_phase(cohort=cohort, on=day) == Phase.RESIDENCY
