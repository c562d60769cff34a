"""Reads about mentoring: who sees which check-ins, who has gone quiet, and open concerns."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from lms.calendars.entries import CalendarEntry
from lms.cohorts.models import Cohort, MentorPairing, Phase
from lms.cohorts.selectors import cohort_for_resident, cohort_phase
from lms.people.models import User

from .models import CheckIn
from .permissions import user_can_read_check_ins

QUIET_AFTER_DAYS = 7


@dataclass(frozen=True)
class PairingRow:
    """A pairing with what its check-in log says about it, for the mentor's and staff's tables."""

    pairing: MentorPairing
    last_met_on: datetime.date | None
    check_in_count: int
    open_concern_count: int
    checked_in_this_week: bool
    days_since: int | None

    @property
    def quiet(self) -> bool:
        """No check-in for a week or more (or none at all)."""
        return self.days_since is None or self.days_since >= QUIET_AFTER_DAYS


@dataclass(frozen=True)
class CohortMentees:
    """A mentor's mentees in one cohort; weekly check-ins are expected during the residency."""

    cohort: Cohort
    weekly: bool
    rows: list[PairingRow]


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _short_day(day: datetime.date) -> str:
    return f"{day:%b} {day.day}"


def pairing_for(*, user: User, pairing_id: int) -> MentorPairing | None:
    """The pairing whose log ``user`` may read, or None (so the page can 404 without a leak)."""
    pairing = (
        MentorPairing.objects.select_related("cohort", "mentor", "resident")
        .filter(pk=pairing_id)
        .first()
    )
    if pairing is None or not user_can_read_check_ins(user=user, pairing=pairing):
        return None
    return pairing


def check_in_for(*, user: User, check_in_id: int) -> CheckIn | None:
    """A check-in ``user`` may read (its mentor or staff), or None."""
    check_in = (
        CheckIn.objects.select_related(
            "pairing__cohort", "pairing__mentor", "pairing__resident", "resolved_by"
        )
        .filter(pk=check_in_id)
        .first()
    )
    if check_in is None or not user_can_read_check_ins(user=user, pairing=check_in.pairing):
        return None
    return check_in


def _rows(pairings: QuerySet[MentorPairing], *, today: datetime.date) -> list[PairingRow]:
    annotated = pairings.select_related("cohort", "mentor", "resident").annotate(
        last_met_on=Max("check_ins__met_on"),
        check_in_count=Count("check_ins"),
        open_concern_count=Count(
            "check_ins", filter=Q(check_ins__concern=True, check_ins__resolved_at__isnull=True)
        ),
    )
    week_start = _monday(today)
    return [
        PairingRow(
            pairing=pairing,
            last_met_on=pairing.last_met_on,
            check_in_count=pairing.check_in_count,
            open_concern_count=pairing.open_concern_count,
            checked_in_this_week=pairing.last_met_on is not None
            and pairing.last_met_on >= week_start,
            days_since=(today - pairing.last_met_on).days if pairing.last_met_on else None,
        )
        for pairing in annotated
    ]


def mentees_by_cohort(*, mentor: User, today: datetime.date | None = None) -> list[CohortMentees]:
    """A mentor's mentees, newest cohort first, each with their last check-in."""
    today = today or timezone.localdate()
    pairings = MentorPairing.objects.filter(mentor=mentor).order_by(
        "-cohort__start_date", "resident__first_name", "resident__last_name"
    )
    groups: dict[int, CohortMentees] = {}
    for row in _rows(pairings, today=today):
        cohort = row.pairing.cohort
        if cohort.pk not in groups:
            weekly = cohort_phase(cohort=cohort, on=today) == Phase.RESIDENCY
            groups[cohort.pk] = CohortMentees(cohort=cohort, weekly=weekly, rows=[])
        groups[cohort.pk].rows.append(row)
    return list(groups.values())


def cohort_pairing_rows(*, cohort: Cohort, today: datetime.date | None = None) -> list[PairingRow]:
    """Every pairing of a cohort for staff, the quietest first."""
    today = today or timezone.localdate()
    rows = _rows(
        MentorPairing.objects.filter(cohort=cohort).order_by("resident__first_name"),
        today=today,
    )
    return sorted(rows, key=lambda row: -(row.days_since if row.days_since is not None else 10**6))


def check_ins_of(*, pairing: MentorPairing) -> list[CheckIn]:
    """A pairing's log, newest first; only for readers ``user_can_read_check_ins`` allows."""
    return list(pairing.check_ins.select_related("resolved_by"))


def concern_check_ins(*, cohort: Cohort, resolved_since: datetime.datetime | None = None):
    """A cohort's open concerns (oldest first) and those resolved since ``resolved_since``."""
    base = CheckIn.objects.filter(pairing__cohort=cohort, concern=True).select_related(
        "pairing__mentor", "pairing__resident", "resolved_by"
    )
    open_ones = list(base.filter(resolved_at__isnull=True).order_by("met_on"))
    resolved = base.filter(resolved_at__isnull=False).order_by("-resolved_at")
    if resolved_since is not None:
        resolved = resolved.filter(resolved_at__gte=resolved_since)
    return open_ones, list(resolved)


def open_concerns(*, cohort: Cohort) -> dict[int, list[str]]:
    """Resident id → short texts of their unresolved mentor concerns, in one query.

    For the staff gradebook, beside the resident's name:
    ``"Mentor concern (Nov 20): missed two classes"``.
    """
    concerns: dict[int, list[str]] = {}
    rows = (
        CheckIn.objects.filter(pairing__cohort=cohort, concern=True, resolved_at__isnull=True)
        .order_by("met_on", "pk")
        .values_list("pairing__resident_id", "met_on", "concern_text")
    )
    for resident_id, met_on, text in rows:
        concerns.setdefault(resident_id, []).append(
            f"Mentor concern ({_short_day(met_on)}): {text}"
        )
    return concerns


def mentor_pairing_of(*, resident: User) -> MentorPairing | None:
    """The resident's pairing in their own cohort, with the mentor's name and e-mail."""
    cohort = cohort_for_resident(user=resident)
    if cohort is None:
        return None
    return (
        MentorPairing.objects.filter(cohort=cohort, resident=resident)
        .select_related("mentor")
        .first()
    )


def staff_cohorts() -> QuerySet[Cohort]:
    return Cohort.objects.order_by("-start_date")


def calendar_entries(*, user: User) -> list[CalendarEntry]:
    """Logged check-ins, for the mentor and for the resident, as all-day entries.

    Calendar feeds leave the LMS, so no entry carries notes or concerns: only who met,
    how and for how long. One query.
    """
    if not user.is_authenticated:
        return []
    check_ins = (
        CheckIn.objects.filter(Q(pairing__mentor=user) | Q(pairing__resident=user))
        .select_related("pairing__mentor", "pairing__resident")
        .defer("notes", "concern_text", "resolution_note")
        .order_by("met_on")
    )
    entries = []
    for check_in in check_ins:
        pairing = check_in.pairing
        as_mentor = pairing.mentor_id == user.pk
        other = pairing.resident if as_mentor else pairing.mentor
        url = (
            reverse("mentoring:pairing", args=[pairing.pk])
            if as_mentor
            else reverse("mentoring:my-mentor")
        )
        entries.append(
            CalendarEntry(
                uid=f"mentoring-check-in-{check_in.pk}-{'mentor' if as_mentor else 'resident'}",
                summary=f"Check-in with {other.display_name}",
                start=check_in.met_on,
                end=check_in.met_on + datetime.timedelta(days=1),
                description=f"{check_in.get_channel_display()}, {check_in.duration_minutes} minutes.",
                url=url,
            )
        )
    return entries
