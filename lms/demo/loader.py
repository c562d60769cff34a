"""Load the whole demo residency: every app fills in its own part, in the order they build on.

This module sits at the top of the layers: it is the one place that knows
every app, so that no app has to know the ones above it.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from assignments.demo import demo_assignments_load, demo_submissions_load
from courses.demo.loader import (
    ALUMNI_COHORT_SLUG,
    grant_demo_authoring,
    load_people_and_cohorts,
    load_seminars,
    load_syllabus,
)
from courses.models import SyllabusPage
from courses.services import site_ensure
from lms.attendance import demo as attendance_demo
from lms.cohorts.models import Cohort
from lms.commitments import demo as commitments_demo
from lms.conversation import demo as conversation_demo
from lms.events import demo as events_demo
from lms.fieldwork import demo as fieldwork_demo
from lms.mentoring import demo as mentoring_demo
from lms.officehours import demo as officehours_demo
from lms.placement import demo as placement_demo

# The residency beyond the classroom: attendance, check-ins, field projects, alumni hours,
# RSVPs and office hours. Each part fills its own demo data.
RESIDENCY_LIFE_LOADERS = (
    attendance_demo.demo_load,
    mentoring_demo.demo_load,
    fieldwork_demo.demo_load,
    commitments_demo.demo_load,
    events_demo.demo_load,
    officehours_demo.demo_load,
    placement_demo.demo_load,
    conversation_demo.demo_load,
)


@transaction.atomic
def demo_load(*, today: datetime.date | None = None, submissions: bool = False) -> SyllabusPage:
    """Load the whole demo residency; a second run finds everything in place and changes nothing.

    Cohort 7 gets the notebook assignments of weeks 1 to 6; with ``submissions``, its
    residents also hand in those already due, and their grading is queued.
    """
    today = today or timezone.localdate()
    home = site_ensure(program_name=settings.LMS_PROGRAM_NAME, port=settings.LMS_PORT)
    cohort, users = load_people_and_cohorts(today)
    syllabus = load_syllabus(cohort, home, users)
    load_seminars(today, users)
    grant_demo_authoring(syllabus, users)
    demo_assignments_load(cohort)
    if submissions:
        demo_submissions_load(cohort)
    alumni_cohort = Cohort.objects.get(slug=ALUMNI_COHORT_SLUG)
    for load in RESIDENCY_LIFE_LOADERS:
        load(today=today, cohort=cohort, alumni_cohort=alumni_cohort, users=users)
    return syllabus
