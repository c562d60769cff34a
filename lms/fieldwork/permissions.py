"""Who may see or change a field project and its host organization, on the core role predicates."""

import enum

from django.db.models import Q

from lms.people.models import User
from lms.people.permissions import user_is_staff

from .models import FieldProject, HostOrganization
from .selectors import cohorts_for


class Access(enum.IntEnum):
    """What a person may do with a field project; each level includes the ones below."""

    NONE = 0
    VIEW = 1  # residents of the cohort and its mentors: the showcase, read-only
    EDIT = 2  # the team and the project's mentor: milestone status and deliverable links
    MANAGE = 3  # staff: the project itself, its team, its host link


def _in_cohort(*, user: User, cohort_id: int) -> bool:
    """A resident of the cohort, a mentor paired with one of its residents, or the mentor of
    one of its projects: the people whose project list shows the cohort (``cohorts_for``)."""
    return cohorts_for(user=user).filter(pk=cohort_id).exists()


def project_access(*, user: User, project: FieldProject) -> Access:
    """Staff manage a project, its team and mentor edit it, its cohort reads it."""
    if not user.is_authenticated:
        return Access.NONE
    if user_is_staff(user=user):
        return Access.MANAGE
    if project.mentor_id == user.pk or project.team.filter(pk=user.pk).exists():
        return Access.EDIT
    if _in_cohort(user=user, cohort_id=project.cohort_id):
        return Access.VIEW
    return Access.NONE


def host_access(*, user: User, host: HostOrganization) -> Access:
    """A host's page follows its projects: staff manage, the people on a project see the
    contact details, the cohort's showcase readers see the organization without them."""
    if not user.is_authenticated:
        return Access.NONE
    if user_is_staff(user=user):
        return Access.MANAGE
    if host.projects.filter(Q(mentor=user) | Q(team=user)).exists():
        return Access.EDIT
    if host.projects.filter(cohort__in=cohorts_for(user=user).values("pk")).exists():
        return Access.VIEW
    return Access.NONE
