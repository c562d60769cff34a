"""Reads for the residency's community pages: which sections a person sees, and where they stand."""

from dataclasses import dataclass

from django.urls import reverse

from lms.cohorts.models import Phase
from lms.cohorts.selectors import cohort_for_resident, cohort_phase
from lms.people.models import Role, User
from lms.people.selectors import user_roles


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    url: str
    blurb: str


def user_is_alumnus(*, user: User) -> bool:
    """Alumni are residents whose cohort has graduated (post-residency or later)."""
    cohort = cohort_for_resident(user=user)
    return cohort is not None and cohort_phase(cohort=cohort) in (
        Phase.POST_RESIDENCY,
        Phase.ALUMNI,
    )


def sections_for(*, user: User) -> list[Section]:
    """The community sections a person has a use for, in the order of the tabs."""
    roles = user_roles(user=user)
    staff = Role.STAFF in roles
    resident = cohort_for_resident(user=user) is not None
    mentor = Role.MENTOR in roles
    sections = []

    def add(key, title, blurb):
        sections.append(Section(key, title, reverse(f"{key}:index"), blurb))

    if staff or mentor:
        add("mentoring", "Mentoring", "Pairings and the weekly check-in log.")
    elif resident:
        add("mentoring", "My mentor", "Who mentors you, and how to reach them.")
    if staff or mentor or resident:
        add("fieldwork", "Field projects", "Partner nonprofits, teams and the four milestones.")
    if staff or resident or mentor:
        add("attendance", "Attendance", "Class days and community calls.")
    if staff or user_is_alumnus(user=user):
        add("commitments", "Hours", "The post-residency commitment, month by month.")
    add("events", "Seminars & events", "RSVP to seminars and alumni weekends.")
    add("officehours", "Office hours", "Book time with alumni and staff.")
    add("calendars", "Calendar & e-mail", "Your private calendar feed and e-mail choices.")
    return sections
