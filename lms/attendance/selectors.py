"""Reads about attendance: rates, a day's sheet, a week's sessions, a person's own record."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from lms.calendars.entries import CalendarEntry
from lms.cohorts.models import Cohort
from lms.cohorts.selectors import (
    cohort_end_date,
    cohort_for_resident,
    cohort_week_number,
)
from lms.people.models import User

from .models import ATTENDED, AttendanceMark, Session, SessionKind, Status


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def attendance_rates(
    *, cohort: Cohort, since: datetime.date, until: datetime.date
) -> dict[int, float]:
    """Percent of class days attended (present or late), per resident id, in one query.

    Counts class days starting between ``since`` and ``until`` (both included, local time).
    Left out of the denominator: excused marks, cancelled sessions, and sessions nobody
    marked for that resident (not recorded is not absent). Residents with nothing counted
    are left out of the result.
    """
    counted = (
        AttendanceMark.objects.filter(
            session__cohort=cohort,
            session__kind=SessionKind.CLASS_DAY,
            session__cancelled=False,
            session__starts_at__gte=_day_start(since),
            session__starts_at__lt=_day_start(until + datetime.timedelta(days=1)),
        )
        .exclude(status=Status.EXCUSED)
        .values("person_id")
        .annotate(total=Count("id"), attended=Count("id", filter=Q(status__in=ATTENDED)))
    )
    return {row["person_id"]: 100.0 * row["attended"] / row["total"] for row in counted}


def residency_rates(*, cohort: Cohort, today: datetime.date | None = None) -> dict[int, float]:
    """Attendance rates over the residency's class days so far."""
    today = today or timezone.localdate()
    return attendance_rates(
        cohort=cohort, since=cohort.start_date, until=min(today, cohort_end_date(cohort=cohort))
    )


def cohort_residents(*, cohort: Cohort) -> QuerySet[User]:
    return User.objects.filter(enrollment__cohort=cohort).order_by(
        "first_name", "last_name", "username"
    )


@dataclass
class ResidentSummary:
    resident: User
    rate: float | None
    counts: dict[str, int]


def cohort_summary(*, cohort: Cohort, today: datetime.date | None = None) -> list[ResidentSummary]:
    """Each resident's class-day rate so far and how many lates, absences and excused days."""
    rates = residency_rates(cohort=cohort, today=today)
    counts = {
        row["person_id"]: row
        for row in AttendanceMark.objects.filter(
            session__cohort=cohort, session__kind=SessionKind.CLASS_DAY, session__cancelled=False
        )
        .values("person_id")
        .annotate(**{status: Count("id", filter=Q(status=status)) for status in Status.values})
    }
    return [
        ResidentSummary(
            resident=resident,
            rate=rates.get(resident.pk),
            counts={s: counts.get(resident.pk, {}).get(s, 0) for s in Status.values},
        )
        for resident in cohort_residents(cohort=cohort)
    ]


@dataclass
class SessionCounts:
    session: Session
    counts: dict[str, int]
    unmarked: int
    started: bool

    @property
    def marked(self) -> int:
        return sum(self.counts.values())


def _with_counts(sessions: QuerySet[Session]) -> QuerySet[Session]:
    return sessions.annotate(
        **{
            f"n_{status}": Count("marks", filter=Q(marks__status=status))
            for status in Status.values
        }
    )


def _session_counts(session: Session, size: int, now: datetime.datetime) -> SessionCounts:
    counts = {status: getattr(session, f"n_{status}") for status in Status.values}
    return SessionCounts(
        session=session,
        counts=counts,
        unmarked=max(0, size - sum(counts.values())),
        started=session.starts_at <= now,
    )


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


@dataclass
class WeekDay:
    day: datetime.date
    sessions: list[SessionCounts] = field(default_factory=list)


@dataclass
class Week:
    monday: datetime.date
    label: str
    days: list[WeekDay]
    previous: datetime.date | None
    next: datetime.date | None
    size: int

    @property
    def last_day(self) -> datetime.date:
        return self.days[-1].day


def cohort_week(*, cohort: Cohort, monday: datetime.date) -> Week:
    """The sessions of one week with how many residents were marked each way."""
    size = cohort.enrollments.count()
    now = timezone.now()
    sessions = _with_counts(
        Session.objects.filter(
            cohort=cohort,
            starts_at__gte=_day_start(monday),
            starts_at__lt=_day_start(monday + datetime.timedelta(weeks=1)),
        )
    ).order_by("starts_at")
    days = {
        monday + datetime.timedelta(days=n): WeekDay(monday + datetime.timedelta(days=n))
        for n in range(7)
    }
    for session in sessions:
        days[timezone.localdate(session.starts_at)].sessions.append(
            _session_counts(session, size, now)
        )
    span = Session.objects.filter(cohort=cohort).order_by("starts_at")
    first, last = span.first(), span.last()
    first_monday = monday_of(timezone.localdate(first.starts_at)) if first else monday
    last_monday = monday_of(timezone.localdate(last.starts_at)) if last else monday
    number = cohort_week_number(cohort=cohort, on=monday)
    if number is not None:
        label = f"Week {number} of the residency"
    elif monday > cohort_end_date(cohort=cohort):
        label = "Post-residency"
    else:
        label = "Before the residency"
    return Week(
        monday=monday,
        label=label,
        days=[d for d in days.values() if d.day.weekday() < 5 or d.sessions],
        previous=monday - datetime.timedelta(weeks=1) if monday > first_monday else None,
        next=monday + datetime.timedelta(weeks=1) if monday < last_monday else None,
        size=size,
    )


def default_week(*, cohort: Cohort, today: datetime.date | None = None) -> datetime.date:
    """This week while the cohort has sessions, else the nearest end of its schedule."""
    today = today or timezone.localdate()
    if today < cohort.start_date:
        return cohort.start_date
    graduation = cohort_end_date(cohort=cohort)
    if today > graduation:
        last = Session.objects.filter(cohort=cohort).order_by("-starts_at").first()
        if last is None or timezone.localdate(last.starts_at) < today:
            return monday_of(graduation)
    return monday_of(today)


@dataclass
class SheetRow:
    resident: User
    mark: AttendanceMark | None


def session_sheet(*, session: Session) -> list[SheetRow]:
    """The cohort's residents with their mark at this session, if any."""
    marks = {mark.person_id: mark for mark in session.marks.select_related("marked_by")}
    return [
        SheetRow(resident=resident, mark=marks.get(resident.pk))
        for resident in cohort_residents(cohort=session.cohort)
    ]


def session_neighbours(*, session: Session) -> tuple[Session | None, Session | None]:
    """The sessions of the same kind just before and just after this one, in the cohort."""
    same_kind = Session.objects.filter(cohort_id=session.cohort_id, kind=session.kind)
    previous = same_kind.filter(starts_at__lt=session.starts_at).order_by("-starts_at").first()
    following = same_kind.filter(starts_at__gt=session.starts_at).order_by("starts_at").first()
    return previous, following


@dataclass
class OwnRecord:
    cohort: Cohort
    rate: float | None
    counts: dict[str, int]
    exceptions: list[AttendanceMark]
    next_call: Session | None


def own_record(*, person: User, today: datetime.date | None = None) -> OwnRecord | None:
    """A resident's or alumna's own attendance: rate, counts and every day not simply present."""
    cohort = cohort_for_resident(user=person)
    if cohort is None:
        return None
    marks = list(
        AttendanceMark.objects.filter(person=person, session__cancelled=False)
        .select_related("session")
        .order_by("-session__starts_at")
    )
    class_marks = [m for m in marks if m.session.kind == SessionKind.CLASS_DAY]
    return OwnRecord(
        cohort=cohort,
        rate=residency_rates(cohort=cohort, today=today).get(person.pk),
        counts={s: sum(1 for m in class_marks if m.status == s) for s in Status.values},
        exceptions=[m for m in marks if m.status != Status.PRESENT],
        next_call=Session.objects.filter(
            cohort=cohort,
            kind=SessionKind.COMMUNITY_CALL,
            cancelled=False,
            ends_at__gt=timezone.now(),
        )
        .order_by("starts_at")
        .first(),
    )


@dataclass
class MenteeRate:
    resident: User
    cohort: Cohort
    rate: float | None


def mentee_rates(*, mentor: User, today: datetime.date | None = None) -> list[MenteeRate]:
    """Each mentee's class-day rate so far, read-only; one rate query per cohort mentored."""
    mentees = list(
        User.objects.filter(mentor_pairings__mentor=mentor)
        .select_related("enrollment__cohort")
        .order_by("first_name", "last_name")
    )
    rates: dict[int, dict[int, float]] = {}
    rows = []
    for mentee in mentees:
        enrollment = getattr(mentee, "enrollment", None)
        if enrollment is None:
            continue
        cohort = enrollment.cohort
        if cohort.pk not in rates:
            rates[cohort.pk] = residency_rates(cohort=cohort, today=today)
        rows.append(
            MenteeRate(resident=mentee, cohort=cohort, rate=rates[cohort.pk].get(mentee.pk))
        )
    return rows


def calendar_entries(*, user: User) -> list[CalendarEntry]:
    """The person's cohort's class days (9 to 5) and community calls; one query, ~130 entries.

    Staff and others without a cohort get nothing: they teach or support many cohorts and
    would drown in them.
    """
    cohort = cohort_for_resident(user=user)
    if cohort is None:
        return []
    url = reverse("attendance:index")
    return [
        CalendarEntry(
            uid=f"{session.kind}-{session.scheduled_on.isoformat()}-{cohort.slug}",
            summary=(
                f"Class day · {cohort.name}"
                if session.kind == SessionKind.CLASS_DAY
                else f"Community call · {cohort.name}"
            ),
            start=session.starts_at,
            end=session.ends_at,
            description=(
                "Classes run 9 to 5."
                if session.kind == SessionKind.CLASS_DAY
                else "The weekly community call: residents and alumni, 30 minutes."
            ),
            url=url,
        )
        for session in Session.objects.filter(cohort=cohort, cancelled=False).order_by("starts_at")
    ]
