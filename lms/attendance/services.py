"""Writes about attendance: the schedule of sessions, moving or cancelling one, and marking a day."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lms.cohorts.models import Cohort, Enrollment
from lms.cohorts.selectors import CLASS_HOURS, _add_months, cohort_end_date
from lms.people.models import User

from .models import AttendanceMark, Session, SessionKind, Status

COMMUNITY_CALL_WEEKDAY = 2  # Wednesday: mid-week, after class, when most alumni are off work.
COMMUNITY_CALL_HOURS = (datetime.time(18, 0), datetime.time(18, 30))

SESSION_CANCELLED = "This session was cancelled; restore it before marking attendance."
SESSION_NOT_STARTED = "This session has not started yet; mark attendance once it begins."
NOT_IN_COHORT = "{person} is not in {cohort}; only the cohort's residents are marked."
UNKNOWN_STATUS = "{status!r} is not an attendance status."
ENDS_BEFORE_START = "A session ends after it starts: the end time is before the start time."
OUTSIDE_SCHEDULE = (
    "Move a session to a day within {cohort}'s schedule, {first:%B %-d, %Y} to {last:%B %-d, %Y}."
)


def _local(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def _planned_sessions(cohort: Cohort) -> list[Session]:
    """Every session the schedule plans: class days of the residency, and a weekly call
    from week 1 to the end of the post-residency commitment."""
    planned = []
    graduation = cohort_end_date(cohort=cohort)
    for offset in range((graduation - cohort.start_date).days + 1):
        day = cohort.start_date + datetime.timedelta(days=offset)
        if day.weekday() < 5:
            planned.append(
                Session(
                    cohort=cohort,
                    kind=SessionKind.CLASS_DAY,
                    scheduled_on=day,
                    starts_at=_local(day, CLASS_HOURS[0]),
                    ends_at=_local(day, CLASS_HOURS[1]),
                )  # fmt: skip
            )
    last_call_day = _add_months(graduation, cohort.post_residency_months)
    day = cohort.start_date + datetime.timedelta(days=COMMUNITY_CALL_WEEKDAY)
    while day <= last_call_day:
        planned.append(
            Session(
                cohort=cohort,
                kind=SessionKind.COMMUNITY_CALL,
                scheduled_on=day,
                starts_at=_local(day, COMMUNITY_CALL_HOURS[0]),
                ends_at=_local(day, COMMUNITY_CALL_HOURS[1]),
            )  # fmt: skip
        )
        day += datetime.timedelta(weeks=1)
    return planned


def sessions_ensure(*, cohort: Cohort) -> int:
    """Create the cohort's scheduled sessions that do not exist yet; return how many were made.

    Safe and cheap to call on every visit: one query when all are there. Sessions staff
    moved or cancelled are left as they are. One insert, so no transaction of its own.
    """
    existing = set(Session.objects.filter(cohort=cohort).values_list("kind", "scheduled_on"))
    missing = [
        session
        for session in _planned_sessions(cohort)
        if (session.kind, session.scheduled_on) not in existing
    ]
    Session.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


@transaction.atomic
def session_reschedule(
    *, session: Session, starts_at: datetime.datetime, ends_at: datetime.datetime
) -> Session:
    """Move one session to other times; its marks stay with it."""
    if ends_at <= starts_at:
        raise ValidationError(ENDS_BEFORE_START)
    cohort = session.cohort
    last = _add_months(cohort_end_date(cohort=cohort), cohort.post_residency_months)
    if not cohort.start_date <= timezone.localtime(starts_at).date() <= last:
        raise ValidationError(
            OUTSIDE_SCHEDULE.format(cohort=cohort, first=cohort.start_date, last=last)
        )
    session.starts_at, session.ends_at = starts_at, ends_at
    session.full_clean()
    session.save(update_fields=["starts_at", "ends_at"])
    return session


@transaction.atomic
def session_cancel(*, session: Session, cancelled: bool = True) -> Session:
    """Cancel a session (or restore it). Marks already made are kept but no longer count."""
    session.cancelled = cancelled
    session.save(update_fields=["cancelled"])
    return session


@transaction.atomic
def attendance_mark_session(
    *,
    session: Session,
    marks: dict[int, tuple[str, str]],
    marked_by: User,
    now: datetime.datetime | None = None,
) -> int:
    """Record, in one go, the status and note of each resident at a session.

    ``marks`` maps a resident's id to ``(status, note)``; residents left out keep what they
    had, and so do marks saved again unchanged (their ``marked_by``/``marked_at`` say who
    last changed them). Everyone marked must be in the session's cohort. Returns how many
    marks were created or changed.
    """
    now = now or timezone.now()
    if session.cancelled:
        raise ValidationError(SESSION_CANCELLED)
    if session.starts_at > now:
        raise ValidationError(SESSION_NOT_STARTED)
    members = set(
        Enrollment.objects.filter(cohort_id=session.cohort_id).values_list("resident_id", flat=True)
    )
    for person_id, (status, _note) in marks.items():
        if person_id not in members:
            raise ValidationError(
                NOT_IN_COHORT.format(
                    person=User.objects.filter(pk=person_id).first() or person_id,
                    cohort=session.cohort,
                )
            )
        if status not in Status.values:
            raise ValidationError(UNKNOWN_STATUS.format(status=status))
    current = {
        person_id: (status, note)
        for person_id, status, note in session.marks.values_list("person_id", "status", "note")
    }
    changed = [
        AttendanceMark(
            session=session,
            person_id=person_id,
            status=status,
            note=note.strip()[:200],
            marked_by=marked_by,
            marked_at=now,
        )  # fmt: skip
        for person_id, (status, note) in marks.items()
        if current.get(person_id) != (status, note.strip()[:200])
    ]
    AttendanceMark.objects.bulk_create(
        changed,
        update_conflicts=True,
        unique_fields=["session", "person"],
        update_fields=["status", "note", "marked_by", "marked_at"],
    )
    return len(changed)
