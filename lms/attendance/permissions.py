"""Who has an attendance page: staff mark sessions; residents, alumni and mentors read records."""

from lms.cohorts.permissions import user_is_enrolled
from lms.people.models import User
from lms.people.permissions import user_is_mentor


def user_reads_own_attendance(*, user: User) -> bool:
    """Residents and alumni read their own record; mentors their mentees' rates."""
    return user_is_enrolled(user=user) or user_is_mentor(user=user)
