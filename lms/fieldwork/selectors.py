"""Reads about field projects: lists, timelines, calendar dates; who may do what is in ``permissions``."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse

from lms.calendars.entries import CalendarEntry
from lms.cohorts.models import Cohort
from lms.cohorts.selectors import cohort_default, cohort_week_start
from lms.people.models import Role, User
from lms.people.permissions import user_is_staff

from .models import (
    DeliverableLink,
    FieldProject,
    HostOrganization,
    Milestone,
    MilestoneKind,
    MilestoneStatus,
)

PROJECT_WEEKS = 4

MILESTONE_GOALS = {
    MilestoneKind.SCOPING: "Agree with the host on the problem, the people it is for, and what "
    "“done” looks like.",
    MilestoneKind.PROTOTYPE: "A first working version the host can click through.",
    MilestoneKind.USER_TESTING: "Put it in front of the people who will use it; list what to fix.",
    MilestoneKind.HAND_OFF: "Ship it, write it down, and show the host's staff how to run it.",
}


def default_start_date(*, cohort: Cohort) -> datetime.date:
    """The Monday of the residency's last four weeks."""
    return cohort_week_start(cohort=cohort, number=max(1, cohort.weeks - PROJECT_WEEKS + 1))


def milestone_due_dates(*, start_date: datetime.date) -> list[datetime.date]:
    """One milestone a week, due on the fifth day of each project week (Friday for a Monday start)."""
    return [start_date + datetime.timedelta(weeks=week, days=4) for week in range(PROJECT_WEEKS)]


def cohorts_for(*, user: User) -> QuerySet[Cohort]:
    """Cohorts whose projects a person may browse: staff all; others their own cohorts."""
    if user_is_staff(user=user):
        return Cohort.objects.order_by("-start_date")
    if not user.is_authenticated:
        return Cohort.objects.none()
    return (
        Cohort.objects.filter(
            Q(enrollments__resident=user)
            | Q(pairings__mentor=user)
            | Q(field_projects__mentor=user)
        )
        .distinct()
        .order_by("-start_date")
    )


def default_cohort_for(*, user: User, today: datetime.date | None = None) -> Cohort | None:
    """The cohort a person most likely wants: their own, or the latest that has started."""
    return cohort_default(among=cohorts_for(user=user), today=today)


@dataclass(frozen=True)
class ProjectCard:
    project: FieldProject
    milestones: list[Milestone]
    done: int
    mine: bool


def _with_milestones(projects: QuerySet[FieldProject]) -> QuerySet[FieldProject]:
    return projects.select_related("host", "mentor", "cohort").prefetch_related(
        Prefetch("team", queryset=User.objects.order_by("first_name", "last_name")),
        Prefetch(
            "milestones",
            queryset=Milestone.objects.order_by("kind").prefetch_related(
                Prefetch("links", queryset=DeliverableLink.objects.order_by("added_at", "pk"))
            ),
        ),
    )


def project_cards(*, cohort: Cohort, user: User) -> list[ProjectCard]:
    """A cohort's projects with milestone progress, the person's own project first."""
    cards = []
    for project in _with_milestones(FieldProject.objects.filter(cohort=cohort)):
        milestones = list(project.milestones.all())
        mine = project.mentor_id == user.pk or any(m.pk == user.pk for m in project.team.all())
        done = sum(m.status == MilestoneStatus.DONE for m in milestones)
        cards.append(ProjectCard(project=project, milestones=milestones, done=done, mine=mine))
    return sorted(cards, key=lambda card: (not card.mine, card.project.title.lower()))


def project_detail(*, project_id: int) -> FieldProject | None:
    """A project with its host, team, mentor, milestones and links, for its page."""
    return _with_milestones(FieldProject.objects.filter(pk=project_id)).first()


def project_by_host_token(*, token: str) -> FieldProject | None:
    """The project whose host feedback link carries ``token``, or None."""
    if not token or len(token) > 64:
        return None
    return _with_milestones(FieldProject.objects.filter(host_token=token)).first()


def milestone_goal(*, kind: int) -> str:
    return MILESTONE_GOALS[MilestoneKind(kind)]


def host_projects(*, host: HostOrganization, user: User) -> list[FieldProject]:
    """The host's projects the person may open (as ``project_access`` decides), newest cohort
    first; in one query however many projects the host has had."""
    projects = host.projects.select_related("cohort").order_by("-cohort__start_date", "title")
    if user_is_staff(user=user):
        return list(projects)
    return list(
        projects.filter(
            Q(cohort__in=cohorts_for(user=user).values("pk")) | Q(mentor=user) | Q(team=user)
        ).distinct()
    )


def hosts_all() -> QuerySet[HostOrganization]:
    return HostOrganization.objects.order_by("name")


def residents_of(*, cohort: Cohort) -> QuerySet[User]:
    return User.objects.filter(enrollment__cohort=cohort).order_by("first_name", "last_name")


def mentors_all() -> QuerySet[User]:
    return User.objects.filter(groups__name=Role.MENTOR.value).order_by("first_name", "last_name")


def calendar_entries(*, user: User) -> list[CalendarEntry]:
    """Milestone due dates for the project's team and its mentor, as all-day entries. One query."""
    if not user.is_authenticated:
        return []
    milestones = (
        Milestone.objects.filter(Q(project__team=user) | Q(project__mentor=user))
        .select_related("project")
        .distinct()
        .order_by("due_on", "kind")
    )
    return [
        CalendarEntry(
            uid=f"field-milestone-{milestone.pk}",
            summary=f"{milestone.get_kind_display()} due: {milestone.project.title}",
            start=milestone.due_on,
            end=milestone.due_on + datetime.timedelta(days=1),
            description=milestone_goal(kind=milestone.kind),
            url=reverse("fieldwork:project", args=[milestone.project_id]),
        )
        for milestone in milestones
    ]
