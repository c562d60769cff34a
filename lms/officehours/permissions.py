"""Who may host, book and cancel office hours, on the core role and cohort predicates."""

from lms.cohorts.models import Phase
from lms.cohorts.permissions import user_is_alumnus
from lms.cohorts.selectors import cohort_for_resident, cohort_phase
from lms.people.models import User
from lms.people.permissions import user_is_staff

from .models import Booking, Slot
from .selectors import booking_parties

NOT_A_HOST = "Office hours are published by alumni and staff."
NOT_A_BOOKER = "Office hours are for residents and alumni to book."


def user_can_host(*, user: User) -> bool:
    """Alumni and staff publish office hours."""
    return user.is_authenticated and (user_is_staff(user=user) or user_is_alumnus(user=user))


def user_can_book(*, user: User) -> bool:
    """Residents whose residency has begun, and alumni, book office hours."""
    cohort = cohort_for_resident(user=user)
    return cohort is not None and cohort_phase(cohort=cohort) != Phase.UPCOMING


def user_can_cancel_booking(*, user: User, booking: Booking) -> bool:
    """The booker, the slot's host and staff can cancel a booking."""
    return user.pk in booking_parties(booking=booking) or user_is_staff(user=user)


def user_can_cancel_slot(*, user: User, slot: Slot) -> bool:
    """The slot's host and staff can take it off the board."""
    return user.pk == slot.host_id or user_is_staff(user=user)
