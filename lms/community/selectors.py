"""Reads for the residency's community pages: which sections a person has a use for."""

from dataclasses import dataclass

from django.urls import reverse

from lms.cohorts.permissions import user_is_alumnus, user_is_enrolled
from lms.people.models import User
from lms.people.permissions import user_is_mentor, user_is_staff


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    url: str
    blurb: str


def sections_for(*, user: User) -> list[Section]:
    """The community sections a person has a use for, in the order of the tabs."""
    staff = user_is_staff(user=user)
    resident = user_is_enrolled(user=user)
    mentor = user_is_mentor(user=user)
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
    if staff or mentor or resident:
        add("placement", "Jobs", "Openings at partners, your job search, and where graduates land.")
    if staff or user_is_alumnus(user=user):
        add("commitments", "Hours", "The post-residency commitment, month by month.")
    add("events", "Seminars & events", "RSVP to seminars and alumni weekends.")
    add("officehours", "Office hours", "Book time with alumni and staff.")
    add("calendars", "Calendar & e-mail", "Your private calendar feed and e-mail choices.")
    return sections
