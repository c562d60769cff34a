"""Writes about cohorts: creating them, enrolling residents, pairing mentors."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from lms.people.models import User
from lms.people.permissions import user_is_mentor

from .models import Cohort, Enrollment, MentorPairing

MENTOR_ROLE_REQUIRED = "{user} is not a mentor; give them the Mentor role first."
RESIDENT_NOT_IN_COHORT = "{user} is not a resident of {cohort}."


@transaction.atomic
def cohort_upsert(*, slug: str, name: str, start_date: datetime.date, weeks: int = 16) -> Cohort:
    """Create or update a cohort by slug; a cohort starts on a Monday."""
    cohort = Cohort.objects.filter(slug=slug).first() or Cohort(slug=slug)
    cohort.name, cohort.start_date, cohort.weeks = name, start_date, weeks
    cohort.full_clean()
    cohort.save()
    return cohort


@transaction.atomic
def resident_enroll(*, cohort: Cohort, resident: User) -> Enrollment:
    """Place a resident in a cohort, moving them if they were in another."""
    enrollment, _ = Enrollment.objects.update_or_create(
        resident=resident, defaults={"cohort": cohort}
    )
    return enrollment


@transaction.atomic
def mentor_pair(*, cohort: Cohort, mentor: User, resident: User) -> MentorPairing:
    """Pair a mentor with a resident of the cohort, replacing an earlier pairing."""
    if not user_is_mentor(user=mentor):
        raise ValidationError(MENTOR_ROLE_REQUIRED.format(user=mentor))
    if not Enrollment.objects.filter(cohort=cohort, resident=resident).exists():
        raise ValidationError(RESIDENT_NOT_IN_COHORT.format(user=resident, cohort=cohort))
    pairing, _ = MentorPairing.objects.update_or_create(
        cohort=cohort, resident=resident, defaults={"mentor": mentor}
    )
    pairing.full_clean()
    return pairing
