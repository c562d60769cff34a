"""Who may see or change placement records, on the core role predicates.

Residents see their own pipeline, profile and jobs; their mentor and staff see and help;
guest instructors see nothing. Partners have no accounts: their private link is checked
where it is read (``selectors.partner_by_token``).
"""

from lms.cohorts.permissions import user_is_enrolled, user_mentors, user_mentors_anyone
from lms.people.models import User
from lms.people.permissions import role_required, user_is_staff

from .models import Application


def user_follows(*, user: User, resident: User) -> bool:
    """Staff, the resident themself, or the resident's mentor: those who see a graduate's
    pipeline, profile and jobs, and may help move the cards."""
    if not user.is_authenticated:
        return False
    return (
        user.pk == resident.pk
        or user_is_staff(user=user)
        or user_mentors(mentor=user, resident=resident)
    )


def application_access(*, user: User, application: Application) -> bool:
    """Who may read and move a card: the same people who follow its resident."""
    return user_follows(user=user, resident=application.resident)


def user_job_hunts(*, user: User) -> bool:
    """A resident of a cohort (during the residency or after it) keeps a pipeline of their own."""
    return user_is_enrolled(user=user)


def user_reads_openings(*, user: User) -> bool:
    """Residents, mentors and staff read the approved openings; guest instructors do not."""
    return user_is_staff(user=user) or user_is_enrolled(user=user) or user_mentors_anyone(user=user)


placement_reader_required = role_required(
    user_reads_openings, message="Placement is for residents, their mentors and staff."
)
job_hunter_required = role_required(
    user_job_hunts, message="Only residents keep a job-search pipeline."
)
