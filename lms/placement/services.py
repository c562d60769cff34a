"""Writes about placement: openings and partners' links, profiles, the pipeline's cards, jobs,
the eight-month answer, and the nudge e-mails for cards that stopped moving."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lms.fieldwork.models import HostOrganization
from lms.notifications.models import Kind
from lms.notifications.services import notify
from lms.people.models import User
from lms.people.permissions import user_is_staff

from .models import (
    NOTES_MAX,
    Application,
    Job,
    Opening,
    OpeningStatus,
    PartnerLink,
    Profile,
    RetentionAnswer,
    Stage,
    StageChange,
    new_partner_token,
)
from .permissions import application_access, user_follows, user_job_hunts
from .selectors import STALLED_AFTER_DAYS, stalled_applications

SALARY_FLOOR, SALARY_CEILING = 15_000, 500_000
SALARY_OUT_OF_ORDER = "The salary range runs backwards: ${low:,} is more than ${high:,}."
SALARY_OUT_OF_RANGE = (
    "Give a yearly salary in US dollars between ${floor:,} and ${ceiling:,}; ${value:,} is not one."
)
CLOSES_IN_PAST = "The closing date {day:%B %-d, %Y} has passed; give a date from today on."
NOT_A_JOB_HUNTER = "Only residents keep a job-search pipeline."
NOT_YOURS = "Only the resident, their mentor and staff move this card."
SAME_STAGE = "The card is already at “{stage}”."
UNKNOWN_STAGE = "{stage!r} is not a stage of the pipeline."
MOVE_IN_FUTURE = "{day:%B %-d, %Y} is in the future: move a card on the day it happens."
MOVE_BEFORE_LAST = "Moves go in date order: this card last moved on {last:%B %-d, %Y}, so {day:%B %-d, %Y} is too early."
INTERVIEW_NEEDS_STAGE = "An interview time goes on a card at “Interviewing”."
JOB_START_TOO_EARLY = "A job recorded here starts after the residency began ({first:%B %-d, %Y}); {day:%B %-d, %Y} is before."
JOB_START_TOO_LATE = "{day:%B %-d, %Y} is more than a year away; record the job once it is agreed."
NOTE_TOO_LONG = "Notes can be at most {limit} characters; this is {count}."
NO_COHORT = "Jobs are recorded by residents and alumni of a cohort."

OPENING_FIELDS = (
    "title", "kind", "workplace", "location", "salary_min", "salary_max", "link", "closes_on",
    "description", "contact_name", "contact_email",
)  # fmt: skip
PROFILE_FIELDS = (
    "headline", "skills", "looking_for", "where", "portfolio_url", "code_url",
    "show_field_project", "show_grades",
)  # fmt: skip


def salary_range_check(low: int | None, high: int | None) -> None:
    """Refuse a yearly salary outside what makes sense, or a range that runs backwards."""
    for name, value in (("salary_min", low), ("salary_max", high)):
        if value is not None and not SALARY_FLOOR <= value <= SALARY_CEILING:
            raise ValidationError(
                {
                    name: SALARY_OUT_OF_RANGE.format(
                        floor=SALARY_FLOOR, ceiling=SALARY_CEILING, value=value
                    )
                }
            )
    if low is not None and high is not None and low > high:
        raise ValidationError({"salary_max": SALARY_OUT_OF_ORDER.format(low=low, high=high)})


def _check_opening(fields: dict, today: datetime.date, *, new: bool) -> None:
    salary_range_check(fields.get("salary_min"), fields.get("salary_max"))
    closes_on = fields.get("closes_on")
    if new and closes_on is not None and closes_on < today:
        raise ValidationError({"closes_on": CLOSES_IN_PAST.format(day=closes_on)})


def _clean_text(fields: dict) -> dict:
    return {
        name: value.strip() if isinstance(value, str) else value for name, value in fields.items()
    }


@transaction.atomic
def opening_create(
    *,
    organization: HostOrganization,
    by: User | None = None,
    from_partner: bool = False,
    today: datetime.date | None = None,
    **fields,
) -> Opening:
    """Record an opening. Staff's are open to residents at once; a partner's waits for staff."""
    today = today or timezone.localdate()
    fields = _clean_text({name: fields[name] for name in OPENING_FIELDS if name in fields})
    _check_opening(fields, today, new=True)
    approved = by is not None and user_is_staff(user=by) and not from_partner
    opening = Opening(
        organization=organization,
        from_partner=from_partner,
        status=OpeningStatus.APPROVED if approved else OpeningStatus.PENDING,
        reviewed_by=by if approved else None,
        reviewed_at=timezone.now() if approved else None,
        **fields,
    )
    opening.full_clean()
    opening.save()
    return opening


@transaction.atomic
def opening_update(*, opening: Opening, **fields) -> Opening:
    """Change an opening's details (staff)."""
    fields = _clean_text({name: fields[name] for name in OPENING_FIELDS if name in fields})
    merged = {name: getattr(opening, name) for name in OPENING_FIELDS} | fields
    _check_opening(merged, timezone.localdate(), new=False)
    for name, value in fields.items():
        setattr(opening, name, value)
    opening.full_clean()
    opening.save()
    return opening


@transaction.atomic
def opening_review(*, opening: Opening, by: User, approve: bool) -> Opening:
    """Staff approve an opening (residents see it from now on) or decline it."""
    if not user_is_staff(user=by):
        raise PermissionDenied("Only staff approve openings.")
    opening.status = OpeningStatus.APPROVED if approve else OpeningStatus.DECLINED
    opening.reviewed_by, opening.reviewed_at = by, timezone.now()
    opening.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    return opening


@transaction.atomic
def partner_link_ensure(*, organization: HostOrganization) -> PartnerLink:
    """The organization's private link for sending openings, made the first time it is asked for."""
    link, _ = PartnerLink.objects.get_or_create(organization=organization)
    return link


@transaction.atomic
def partner_link_reset(*, organization: HostOrganization) -> PartnerLink:
    """A new private link for the organization; the old one stops working at once."""
    link = partner_link_ensure(organization=organization)
    link.token = new_partner_token()
    link.save(update_fields=["token"])
    return link


def partner_opening_submit(
    *, partner_link: PartnerLink, today: datetime.date | None = None, **fields
) -> Opening:
    """An opening a partner sent through its link; it waits for staff before residents see it.
    The caller has checked the link."""
    return opening_create(
        organization=partner_link.organization, from_partner=True, today=today, **fields
    )


@transaction.atomic
def profile_save(*, resident: User, **fields) -> Profile:
    """Write the resident's own profile (created the first time)."""
    if not user_job_hunts(user=resident):
        raise PermissionDenied(NOT_A_JOB_HUNTER)
    profile, _ = Profile.objects.get_or_create(resident=resident)
    for name, value in _clean_text({n: fields[n] for n in PROFILE_FIELDS if n in fields}).items():
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    return profile


def _check_note(note: str) -> str:
    note = note.strip()
    if len(note) > NOTES_MAX:
        raise ValidationError({"note": NOTE_TOO_LONG.format(limit=NOTES_MAX, count=len(note))})
    return note


@transaction.atomic
def application_create(
    *,
    resident: User,
    by: User,
    opening: Opening | None = None,
    organization_name: str = "",
    title: str = "",
    stage: str = Stage.INTERESTED,
    on: datetime.date | None = None,
    note: str = "",
    share_profile: bool = False,
    today: datetime.date | None = None,
) -> Application:
    """Put a new card on a resident's pipeline, for an opening or a job found elsewhere."""
    today = today or timezone.localdate()
    on = on or today
    if not user_job_hunts(user=resident):
        raise PermissionDenied(NOT_A_JOB_HUNTER)
    if not user_follows(user=by, resident=resident):
        raise PermissionDenied(NOT_YOURS)
    if stage not in Stage.values:
        raise ValidationError({"stage": UNKNOWN_STAGE.format(stage=stage)})
    if on > today:
        raise ValidationError({"on": MOVE_IN_FUTURE.format(day=on)})
    if opening is not None:
        organization_name = organization_name or opening.organization.name
        title = title or opening.title
    application = Application(
        resident=resident, opening=opening, organization_name=organization_name.strip(),
        title=title.strip(), stage=stage, stage_since=on, share_profile=share_profile,
    )  # fmt: skip
    application.full_clean()
    application.save()
    StageChange.objects.create(
        application=application, stage=stage, on=on, note=_check_note(note), by=by
    )
    return application


@transaction.atomic
def application_move(
    *,
    application: Application,
    by: User,
    stage: str,
    on: datetime.date | None = None,
    note: str = "",
    interview_at: datetime.datetime | None = None,
    today: datetime.date | None = None,
) -> Application:
    """Move a card to another stage on a day (today by default), with a note.

    The resident, their mentor and staff may move it; days go in order and never ahead of
    today. An interview time belongs to the "Interviewing" stage.
    """
    today = today or timezone.localdate()
    on = on or today
    if not application_access(user=by, application=application):
        raise PermissionDenied(NOT_YOURS)
    if stage not in Stage.values:
        raise ValidationError({"stage": UNKNOWN_STAGE.format(stage=stage)})
    if stage == application.stage:
        raise ValidationError({"stage": SAME_STAGE.format(stage=Stage(stage).label)})
    if on > today:
        raise ValidationError({"on": MOVE_IN_FUTURE.format(day=on)})
    if on < application.stage_since:
        raise ValidationError({"on": MOVE_BEFORE_LAST.format(last=application.stage_since, day=on)})
    if interview_at is not None and stage != Stage.INTERVIEWING:
        raise ValidationError({"interview_at": INTERVIEW_NEEDS_STAGE})
    application.stage, application.stage_since = stage, on
    if stage == Stage.INTERVIEWING:
        application.interview_at = interview_at
    application.full_clean()
    application.save()
    StageChange.objects.create(
        application=application, stage=stage, on=on, note=_check_note(note), by=by
    )
    return application


@transaction.atomic
def application_note_add(*, application: Application, by: User, note: str) -> StageChange:
    """A note on a card without moving it: a mentor's advice, a follow-up."""
    if not application_access(user=by, application=application):
        raise PermissionDenied(NOT_YOURS)
    note = _check_note(note)
    if not note:
        raise ValidationError({"note": "Write a note first."})
    return StageChange.objects.create(
        application=application, stage=application.stage, on=timezone.localdate(), note=note, by=by
    )


@transaction.atomic
def application_sharing_set(*, application: Application, by: User, share: bool) -> Application:
    """Whether the organization of this application may read the resident's profile; only the
    resident decides."""
    if by.pk != application.resident_id:
        raise PermissionDenied("Only the resident decides who reads their profile.")
    application.share_profile = share
    application.save(update_fields=["share_profile"])
    return application


@transaction.atomic
def job_record(
    *,
    resident: User,
    by: User,
    organization_name: str,
    role: str,
    start_date: datetime.date,
    hours: str,
    salary_band: str,
    social_justice: bool = True,
    partner: HostOrganization | None = None,
    application: Application | None = None,
    today: datetime.date | None = None,
) -> Job:
    """Record a job a graduate took. A later job is another record; earlier ones are kept."""
    today = today or timezone.localdate()
    enrollment = getattr(resident, "enrollment", None)
    if enrollment is None:
        raise ValidationError(NO_COHORT)
    if not user_follows(user=by, resident=resident):
        raise PermissionDenied(NOT_YOURS)
    first = enrollment.cohort.start_date
    if start_date < first:
        raise ValidationError(
            {"start_date": JOB_START_TOO_EARLY.format(first=first, day=start_date)}
        )
    if start_date > today + datetime.timedelta(days=365):
        raise ValidationError({"start_date": JOB_START_TOO_LATE.format(day=start_date)})
    if partner is None and application is not None and application.opening_id:
        partner = application.opening.organization
    job = Job(
        resident=resident, application=application, partner=partner,
        organization_name=(organization_name.strip() or (partner.name if partner else "")),
        social_justice=True if partner is not None else social_justice,
        role=role.strip(), start_date=start_date, hours=hours, salary_band=salary_band,
    )  # fmt: skip
    job.full_clean()
    job.save()
    return job


@transaction.atomic
def retention_answer(
    *, resident: User, employed: bool, today: datetime.date | None = None
) -> RetentionAnswer:
    """The graduate's answer at the eight-month mark; answering again replaces it."""
    answer, _ = RetentionAnswer.objects.update_or_create(
        resident=resident,
        defaults={"employed": employed, "answered_on": today or timezone.localdate()},
    )
    return answer


NUDGE_SUBJECT = "Your application to {organization} has not moved for {days} days"
NUDGE_BODY = (
    "Hi {name},\n\nYour card “{title}” at {organization} has been at “{stage}” since "
    "{since:%B %-d}. If something happened, move it on your job-search page; if you are "
    "waiting, it may be time for a friendly follow-up. Your mentor can help with either."
)


def stalled_nudges_send(*, now: datetime.datetime) -> int:
    """E-mail each resident once about each card that has sat two weeks in one stage
    (again only if it moves and then sits another two weeks). Returns how many were queued."""
    today = timezone.localdate(now)
    sent = 0
    for application in stalled_applications(today=today):
        resident = application.resident
        queued = notify(
            user=resident,
            kind=Kind.PLACEMENT_NUDGE,
            subject=NUDGE_SUBJECT.format(
                organization=application.organization_name,
                days=max(STALLED_AFTER_DAYS, (today - application.stage_since).days),
            ),
            body=NUDGE_BODY.format(
                name=resident.display_name,
                title=application.title,
                organization=application.organization_name,
                stage=Stage(application.stage).label,
                since=application.stage_since,
            ),  # fmt: skip
            key=f"placement-{application.pk}-{application.stage}-{application.stage_since.isoformat()}",
            url=reverse("placement:application", args=[application.pk]),
        )
        sent += queued is not None
    return sent
