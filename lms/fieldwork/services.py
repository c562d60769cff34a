"""Writes about field projects: hosts, projects and their milestones, links, the host's feedback."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from lms.cohorts.models import Cohort, Enrollment
from lms.cohorts.selectors import _add_months, cohort_end_date
from lms.people.models import User
from lms.people.permissions import user_is_mentor

from .models import (
    HOST_FEEDBACK_MAX,
    DeliverableLink,
    FieldProject,
    HostOrganization,
    Milestone,
    MilestoneKind,
    MilestoneStatus,
    new_host_token,
)
from .permissions import Access, project_access
from .selectors import default_start_date, milestone_due_dates

TEAM_OUTSIDE_COHORT = "{names} {verb} not a resident of {cohort}; a team is made of its residents."
TEAM_MEMBER_TAKEN = "{name} is already on “{project}” in {cohort}."
TEAM_EMPTY = "Choose at least one resident for the team."
MENTOR_ROLE_REQUIRED = "{name} is not a mentor; give them the Mentor role first."
TITLE_TAKEN = "{cohort} already has a project called “{title}”."
NOT_ON_PROJECT = "Only the team, its mentor and staff update this project's milestones."
FEEDBACK_EMPTY = "Write some feedback before sending it."
FEEDBACK_TOO_LONG = "Feedback can be at most {limit} characters; this is {count}."
UNKNOWN_STATUS = "{status!r} is not a milestone status."
START_OUTSIDE_SCHEDULE = (
    "A project starts within {cohort}'s schedule, {first:%B %-d, %Y} to {last:%B %-d, %Y}."
)

HOST_FIELDS = (
    "name", "website", "mission", "needs", "contact_name", "contact_email", "contact_phone"
)  # fmt: skip


@transaction.atomic
def host_organization_create(**fields) -> HostOrganization:
    """Add a partner nonprofit; keyword arguments are the fields in ``HOST_FIELDS``."""
    host = HostOrganization(**{name: fields[name] for name in HOST_FIELDS if name in fields})
    host.full_clean()
    host.save()
    return host


@transaction.atomic
def host_organization_update(*, host: HostOrganization, **fields) -> HostOrganization:
    """Change a partner nonprofit's details."""
    for name in HOST_FIELDS:
        if name in fields:
            setattr(host, name, fields[name])
    host.full_clean()
    host.save()
    return host


def _check_team(*, cohort: Cohort, team: list[User], project: FieldProject | None) -> None:
    if not team:
        raise ValidationError({"team": TEAM_EMPTY})
    enrolled = set(
        Enrollment.objects.filter(cohort=cohort, resident__in=team).values_list(
            "resident_id", flat=True
        )
    )
    outsiders = [member.display_name for member in team if member.pk not in enrolled]
    if outsiders:
        verb = "is" if len(outsiders) == 1 else "are"
        raise ValidationError(
            {
                "team": TEAM_OUTSIDE_COHORT.format(
                    names=", ".join(outsiders), verb=verb, cohort=cohort
                )
            }
        )
    memberships = FieldProject.team.through.objects.filter(
        fieldproject__cohort=cohort, user__in=team
    )
    if project is not None:
        memberships = memberships.exclude(fieldproject=project)
    elsewhere = memberships.values_list("fieldproject__title", "user_id")
    by_id = {member.pk: member for member in team}
    for title, member_id in elsewhere:
        if member_id in by_id:
            raise ValidationError(
                {
                    "team": TEAM_MEMBER_TAKEN.format(
                        name=by_id[member_id].display_name, project=title, cohort=cohort
                    )
                }
            )


def _check_mentor(mentor: User | None) -> None:
    if mentor is not None and not user_is_mentor(user=mentor):
        raise ValidationError({"mentor": MENTOR_ROLE_REQUIRED.format(name=mentor.display_name)})


def _check_title(*, cohort: Cohort, title: str, project: FieldProject | None) -> None:
    clash = FieldProject.objects.filter(cohort=cohort, title__iexact=title.strip())
    if project is not None:
        clash = clash.exclude(pk=project.pk)
    if clash.exists():
        raise ValidationError({"title": TITLE_TAKEN.format(cohort=cohort, title=title.strip())})


def _check_start_date(*, cohort: Cohort, start_date: datetime.date) -> None:
    last = _add_months(cohort_end_date(cohort=cohort), cohort.post_residency_months)
    if not cohort.start_date <= start_date <= last:
        raise ValidationError(
            {
                "start_date": START_OUTSIDE_SCHEDULE.format(
                    cohort=cohort, first=cohort.start_date, last=last
                )
            }
        )


@transaction.atomic
def field_project_create(
    *,
    cohort: Cohort,
    host: HostOrganization,
    title: str,
    summary: str,
    team: list[User],
    mentor: User | None = None,
    start_date: datetime.date | None = None,
) -> FieldProject:
    """Create a project with its four weekly milestones, by default in the residency's last four
    weeks. The team are residents of the cohort, each on one project."""
    team = list(team)
    _check_title(cohort=cohort, title=title, project=None)
    _check_team(cohort=cohort, team=team, project=None)
    _check_mentor(mentor)
    start_date = start_date or default_start_date(cohort=cohort)
    _check_start_date(cohort=cohort, start_date=start_date)
    project = FieldProject(
        cohort=cohort, host=host, title=title.strip(), summary=summary.strip(), mentor=mentor,
        start_date=start_date,
    )  # fmt: skip
    project.full_clean()
    project.save()
    project.team.set(team)
    due_dates = milestone_due_dates(start_date=project.start_date)
    for kind, due_on in zip(MilestoneKind, due_dates, strict=True):
        milestone = Milestone(project=project, kind=kind, due_on=due_on)
        milestone.full_clean()
        milestone.save()
    return project


@transaction.atomic
def field_project_update(
    *,
    project: FieldProject,
    host: HostOrganization,
    title: str,
    summary: str,
    team: list[User],
    mentor: User | None,
    start_date: datetime.date,
) -> FieldProject:
    """Change a project; moving its start date moves the milestones' due dates with it."""
    team = list(team)
    _check_title(cohort=project.cohort, title=title, project=project)
    _check_team(cohort=project.cohort, team=team, project=project)
    _check_mentor(mentor)
    _check_start_date(cohort=project.cohort, start_date=start_date)
    moved = start_date != project.start_date
    project.host, project.title, project.summary = host, title.strip(), summary.strip()
    project.mentor, project.start_date = mentor, start_date
    project.full_clean()
    project.save()
    project.team.set(team)
    if moved:
        due_dates = dict(
            zip(MilestoneKind, milestone_due_dates(start_date=start_date), strict=True)
        )
        for milestone in project.milestones.all():
            milestone.due_on = due_dates[milestone.kind]
            milestone.save(update_fields=["due_on", "updated_at"])
    return project


@transaction.atomic
def host_link_reset(*, project: FieldProject) -> FieldProject:
    """Give the project a new feedback link; the old one stops working at once."""
    project.host_token = new_host_token()
    project.save(update_fields=["host_token"])
    return project


def _require_edit(*, user: User, project: FieldProject) -> None:
    if project_access(user=user, project=project) < Access.EDIT:
        raise PermissionDenied(NOT_ON_PROJECT)


@transaction.atomic
def milestone_status_set(*, milestone: Milestone, user: User, status: str) -> Milestone:
    """The team, its mentor or staff move a milestone along (or mark it blocked)."""
    _require_edit(user=user, project=milestone.project)
    if status not in MilestoneStatus.values:
        raise ValidationError({"status": UNKNOWN_STATUS.format(status=status)})
    milestone.status = status
    milestone.full_clean()
    milestone.save(update_fields=["status", "updated_at"])
    return milestone


@transaction.atomic
def deliverable_add(
    *, milestone: Milestone, user: User, url: str, label: str = ""
) -> DeliverableLink:
    """Attach a web link (http or https only) to a milestone."""
    _require_edit(user=user, project=milestone.project)
    link = DeliverableLink(milestone=milestone, url=url.strip(), label=label.strip(), added_by=user)
    link.full_clean()
    link.save()
    return link


@transaction.atomic
def deliverable_remove(*, link: DeliverableLink, user: User) -> None:
    """Take a link off a milestone."""
    _require_edit(user=user, project=link.milestone.project)
    link.delete()


@transaction.atomic
def host_feedback_leave(
    *, milestone: Milestone, text: str, at: datetime.datetime | None = None
) -> Milestone:
    """Store the host's feedback on a milestone, replacing what they wrote before.

    Plain text: pages escape it. The caller has checked the host's link.
    """
    text = text.strip()
    if not text:
        raise ValidationError({"feedback": FEEDBACK_EMPTY})
    if len(text) > HOST_FEEDBACK_MAX:
        raise ValidationError(
            {"feedback": FEEDBACK_TOO_LONG.format(limit=HOST_FEEDBACK_MAX, count=len(text))}
        )
    milestone.host_feedback, milestone.host_feedback_at = text, at or timezone.now()
    milestone.full_clean()
    milestone.save(update_fields=["host_feedback", "host_feedback_at", "updated_at"])
    return milestone
