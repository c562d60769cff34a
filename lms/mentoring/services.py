"""Writes about mentoring: logging and editing check-ins, and staff resolving concerns."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from lms.cohorts.models import MentorPairing
from lms.people.models import User

from .models import CheckIn
from .permissions import user_can_log_check_ins, user_can_resolve_concerns

CHECK_IN_IN_FUTURE = "A check-in can't be dated in the future: {day} hasn't happened yet."
CHECK_IN_SAME_DAY = "You already logged a check-in with {name} on {day}; edit that one instead."
CONCERN_NEEDS_TEXT = "Say in a few words what the concern is; staff read this first."
NOT_THEIR_MENTOR = "Only {name}'s mentor can log or change their check-ins."
NOT_A_CONCERN = "This check-in raised no concern, so there is nothing to resolve."
CONCERN_ALREADY_RESOLVED = "This concern was already resolved by {name} on {day}."
RESOLUTION_NEEDS_NOTE = "Write what was done, so the mentor knows how it was resolved."
ONLY_STAFF_RESOLVE = "Only staff resolve concerns."


def _require_mentor(*, pairing: MentorPairing, user: User) -> None:
    if not user_can_log_check_ins(user=user, pairing=pairing):
        raise PermissionDenied(NOT_THEIR_MENTOR.format(name=pairing.resident.display_name))


def _fill(
    check_in: CheckIn,
    *,
    met_on: datetime.date,
    channel: str,
    duration_minutes: int,
    notes: str,
    concern: bool,
    concern_text: str,
) -> None:
    if met_on > timezone.localdate():
        raise ValidationError(
            {"met_on": CHECK_IN_IN_FUTURE.format(day=f"{met_on:%b} {met_on.day}")}
        )
    concern_text = concern_text.strip() if concern else ""
    if concern and not concern_text:
        raise ValidationError({"concern_text": CONCERN_NEEDS_TEXT})
    clash = CheckIn.objects.filter(pairing=check_in.pairing, met_on=met_on).exclude(pk=check_in.pk)
    if clash.exists():
        raise ValidationError(
            {
                "met_on": CHECK_IN_SAME_DAY.format(
                    name=check_in.pairing.resident.display_name, day=f"{met_on:%b} {met_on.day}"
                )
            }
        )
    check_in.met_on, check_in.channel, check_in.duration_minutes = met_on, channel, duration_minutes
    check_in.notes, check_in.concern, check_in.concern_text = notes.strip(), concern, concern_text
    if not concern:
        check_in.resolved_by, check_in.resolved_at, check_in.resolution_note = None, None, ""


@transaction.atomic
def check_in_log(
    *,
    pairing: MentorPairing,
    mentor: User,
    met_on: datetime.date,
    channel: str,
    duration_minutes: int,
    notes: str = "",
    concern: bool = False,
    concern_text: str = "",
) -> CheckIn:
    """Record a conversation the pairing's mentor had with their resident.

    Only that mentor logs it; the date may not lie in the future, a pairing has one
    check-in a day, and a concern needs a short text for staff.
    """
    _require_mentor(pairing=pairing, user=mentor)
    check_in = CheckIn(pairing=pairing)
    _fill(
        check_in, met_on=met_on, channel=channel, duration_minutes=duration_minutes,
        notes=notes, concern=concern, concern_text=concern_text,
    )  # fmt: skip
    check_in.full_clean()
    try:
        with transaction.atomic():
            check_in.save()
    except IntegrityError:
        # A double submit: the first request's check-in landed between our check and the insert.
        raise ValidationError(
            {
                "met_on": CHECK_IN_SAME_DAY.format(
                    name=pairing.resident.display_name, day=f"{met_on:%b} {met_on.day}"
                )
            }
        ) from None
    return check_in


@transaction.atomic
def check_in_update(
    *,
    check_in: CheckIn,
    mentor: User,
    met_on: datetime.date,
    channel: str,
    duration_minutes: int,
    notes: str = "",
    concern: bool = False,
    concern_text: str = "",
) -> CheckIn:
    """Change a logged check-in; only the pairing's mentor may.

    Taking a concern back also drops its resolution; rewording a resolved concern keeps it resolved.
    """
    _require_mentor(pairing=check_in.pairing, user=mentor)
    _fill(
        check_in, met_on=met_on, channel=channel, duration_minutes=duration_minutes,
        notes=notes, concern=concern, concern_text=concern_text,
    )  # fmt: skip
    check_in.full_clean()
    check_in.save()
    return check_in


@transaction.atomic
def concern_resolve(*, check_in: CheckIn, staff: User, resolution_note: str) -> CheckIn:
    """Staff close an open concern, saying what was done about it."""
    if not user_can_resolve_concerns(user=staff):
        raise PermissionDenied(ONLY_STAFF_RESOLVE)
    check_in = (
        CheckIn.objects.select_for_update(of=("self",))
        .select_related("resolved_by")
        .get(pk=check_in.pk)
    )
    if not check_in.concern:
        raise ValidationError(NOT_A_CONCERN)
    if check_in.resolved_at is not None:
        resolved_on = timezone.localtime(check_in.resolved_at).date()
        raise ValidationError(
            CONCERN_ALREADY_RESOLVED.format(
                name=check_in.resolved_by.display_name if check_in.resolved_by else "staff",
                day=f"{resolved_on:%b} {resolved_on.day}",
            )
        )
    resolution_note = resolution_note.strip()
    if not resolution_note:
        raise ValidationError({"resolution_note": RESOLUTION_NEEDS_NOTE})
    check_in.resolved_by, check_in.resolved_at = staff, timezone.now()
    check_in.resolution_note = resolution_note
    check_in.full_clean()
    check_in.save()
    return check_in
