"""Who stands where in a cohort, for permissions: enrolled residents, alumni, mentors of whom.

Built on the role predicates of ``lms.people.permissions``; the feature apps build on both.
"""

from lms.people.models import User
from lms.people.permissions import user_is_mentor

from .models import MentorPairing, Phase
from .selectors import cohort_for_resident, cohort_phase


def user_is_enrolled(*, user: User) -> bool:
    """A resident of a cohort, whatever its phase (alumni stay enrolled in theirs)."""
    return cohort_for_resident(user=user) is not None


def user_is_alumnus(*, user: User) -> bool:
    """Alumni are residents whose cohort has graduated (post-residency or later)."""
    cohort = cohort_for_resident(user=user)
    return cohort is not None and cohort_phase(cohort=cohort) in (
        Phase.POST_RESIDENCY,
        Phase.ALUMNI,
    )


def user_mentors(*, mentor: User, resident: User) -> bool:
    """Whether ``mentor`` is paired with ``resident`` (in the cohort the pairing belongs to)."""
    if not mentor.is_authenticated:
        return False
    return MentorPairing.objects.filter(mentor=mentor, resident=resident).exists()


def user_mentors_anyone(*, user: User) -> bool:
    """A mentor by role, or anyone paired with a mentee (a pairing outlives a role change)."""
    if not user.is_authenticated:
        return False
    return user_is_mentor(user=user) or MentorPairing.objects.filter(mentor=user).exists()
