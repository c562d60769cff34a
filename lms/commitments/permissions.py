"""Who logs post-residency hours and when staff may export a cohort's, on the core predicates."""

from django.utils import timezone

from lms.cohorts.models import Cohort
from lms.cohorts.permissions import user_is_alumnus
from lms.cohorts.selectors import cohort_end_date
from lms.people.models import User


def user_logs_hours(*, user: User) -> bool:
    """Alumni owe the post-residency commitment and log its hours; residents do not, yet."""
    return user_is_alumnus(user=user)


def cohort_hours_open(*, cohort: Cohort) -> bool:
    """A cohort's hours grid exists once it has graduated; before, there is nothing to export."""
    return cohort_end_date(cohort=cohort) < timezone.localdate()
