"""Demo announcements: one from Jordan to Cohort 7 (unread on each resident's home page and
under the bell), one from Amara to the cohort whose week 10 she teaches, one to alumni."""

import datetime

from lms.cohorts.models import Cohort
from lms.people.models import User

from .models import Announcement, Audience
from .services import announcement_post

WEEK_SIX = """Welcome to week 6: **the web**.

- Thursday's guest session moves to *2:00 PM* in the main room.
- Bring a laptop charger: we build and deploy a small app on Friday.

If `pip install` fails on your machine, come to office hours before Thursday.
"""

CIVIC_TECH = """I'm looking forward to week 10. Before it starts, skim the
[Code for America principles](https://codeforamerica.org/) and think of one public service
you used this year that frustrated you. We'll start there."""

ALUMNI = """Cohort 7's demo day is in ten weeks and we need **four alumni judges**.
Reply to this e-mail or tell Jordan at the next community call."""


def demo_load(
    *, today: datetime.date, cohort: Cohort, alumni_cohort: Cohort, users: dict[str, User]
) -> None:
    """Three announcements; a second run changes nothing."""
    if Announcement.objects.exists():
        return
    announcement_post(
        author=users["jordan"], audience=Audience.ALUMNI, title="Judges wanted for demo day",
        body=ALUMNI,
    )  # fmt: skip
    announcement_post(
        author=users["amara"], audience=Audience.COHORT, cohort=cohort,
        title="Before civic-tech week", body=CIVIC_TECH,
    )  # fmt: skip
    announcement_post(
        author=users["jordan"], audience=Audience.COHORT, cohort=cohort,
        title="Week 6: Thursday's session moves to 2 PM", body=WEEK_SIX,
    )  # fmt: skip
