"""Who reads a pairing's check-in log, who writes in it, and who resolves concerns."""

from lms.cohorts.models import MentorPairing
from lms.people.models import User
from lms.people.permissions import user_is_staff


def user_can_read_check_ins(*, user: User, pairing: MentorPairing) -> bool:
    """Check-in notes and concerns are for the pairing's mentor and staff, nobody else."""
    return user.is_authenticated and (
        user_can_log_check_ins(user=user, pairing=pairing) or user_is_staff(user=user)
    )


def user_can_log_check_ins(*, user: User, pairing: MentorPairing) -> bool:
    """Only the pairing's own mentor logs and edits its check-ins; staff read them."""
    return pairing.mentor_id == user.pk


def user_can_resolve_concerns(*, user: User) -> bool:
    """Staff resolve the concerns mentors raise."""
    return user_is_staff(user=user)
