"""Demo placement: openings at the field-project partners, Cohort 6's alumni at different
stages (two placed, one interviewing, one stalled), Cohort 7's first profiles.

Figures a hand count gives on this data (Cohort 6, four graduates): Tanisha starts 42 days
after graduation at a partner, Ivy 75 days after at an insurer; so 2 of 4 placed by day 90
(50%), median 58.5 days, 1 of 2 first jobs at a social-justice organization (50%), and no
retention answers yet (the eight-month mark is still ahead).
"""

import datetime

from django.utils import timezone

from lms.cohorts.models import Cohort
from lms.cohorts.selectors import cohort_end_date
from lms.fieldwork.models import HostOrganization
from lms.people.models import User

from .models import Application, Hours, Opening, RoleKind, SalaryBand, Stage, WorkPlace
from .services import (
    application_create,
    application_move,
    job_record,
    opening_create,
    partner_link_ensure,
    profile_save,
)

OPENINGS = [
    # organization, title, kind, workplace, salary, days until closing, approved
    ("Northside Community Food Bank", "Junior web developer", RoleKind.SOFTWARE,
     WorkPlace.HYBRID, (52_000, 60_000), 21, True),
    ("Cedar Hollow Tenants' Union", "Organizing data coordinator", RoleKind.DATA,
     WorkPlace.ON_SITE, (48_000, 55_000), 10, True),
    ("Puentes Immigrant Legal Clinic of Cedar Hollow", "IT and case-systems associate",
     RoleKind.IT, WorkPlace.ON_SITE, (46_000, 52_000), 30, True),
    ("Ballot Bridge Cedar Hollow", "Part-time canvass data analyst", RoleKind.DATA,
     WorkPlace.REMOTE, (30_000, 36_000), 40, False),
]  # fmt: skip

PROFILES = {
    "tanisha": ("Web developer who builds for volunteers", "Python, Django, SMS reminders, "
                "accessible forms", "A team that serves its neighbors", "Cedar Hollow, hybrid"),
    "hector": ("Backend developer, bilingual (Spanish/English)", "Python, SQL, APIs",
               "Data work at a housing or labor organization", "Remote or Cedar Hollow"),
    "ivy": ("Developer with a data streak", "pandas, SQL, dashboards", "Analytics", "Anywhere"),
    "noor": ("Full-stack developer", "Django, JavaScript, user testing with tenants",
             "A legal-aid or tenants' organization", "Cedar Hollow"),
    "aisha": ("Career changer from community health work", "Python, pandas, HTML and CSS",
              "Tech work at a health or food-justice nonprofit", "Cedar Hollow or remote"),
    "marcus": ("Former warehouse lead learning the web", "Python, SQL", "", "Cedar Hollow"),
    "kai": ("Organizer who codes", "Python, data cleaning, maps", "Civic tech", "Remote"),
}  # fmt: skip


def _day(base: datetime.date, days: int) -> datetime.date:
    return base + datetime.timedelta(days=days)


def _openings(today: datetime.date, staff: User) -> dict[str, Opening]:
    found = {}
    for org_name, title, kind, workplace, (low, high), closes, approved in OPENINGS:
        organization = HostOrganization.objects.filter(name=org_name).first()
        if organization is None:
            continue
        partner_link_ensure(organization=organization)
        existing = Opening.objects.filter(organization=organization, title=title).first()
        found[title] = existing or opening_create(
            organization=organization, by=staff if approved else None, from_partner=not approved,
            today=today, title=title, kind=kind, workplace=workplace, location="Cedar Hollow",
            salary_min=low, salary_max=high, closes_on=_day(today, closes),
            link=f"https://jobs.example.org/{organization.pk}/{len(found) + 1}",
            description=f"{organization.needs}", contact_name=organization.contact_name,
            contact_email=organization.contact_email,
        )  # fmt: skip
    return found


def _card(resident, moves, *, today, opening=None, organization="", title="", interview=None):
    """A card with its history: ``moves`` are (stage, day, note), the first one creates it."""
    (stage, on, note), *later = moves
    card = application_create(
        resident=resident, by=resident, opening=opening, organization_name=organization,
        title=title, stage=stage, on=on, note=note, today=today,
        share_profile=opening is not None,
    )  # fmt: skip
    for stage, on, note in later:
        interview_at = interview if stage == Stage.INTERVIEWING else None
        application_move(
            application=card, by=resident, stage=stage, on=on, note=note,
            interview_at=interview_at, today=today,
        )  # fmt: skip
    return card


def demo_load(
    *, today: datetime.date, cohort: Cohort, alumni_cohort: Cohort, users: dict[str, User]
) -> None:
    """Openings, profiles and pipelines; a second run changes nothing."""
    openings = _openings(today, users["jordan"])
    for username, (headline, skills, wants, where) in PROFILES.items():
        if username in users and not hasattr(users[username], "placement_profile"):
            profile_save(
                resident=users[username], headline=headline, skills=skills, looking_for=wants,
                where=where, code_url=f"https://code.residency.example.org/{username}",
            )  # fmt: skip
    if Application.objects.filter(resident__in=[users["tanisha"], users["aisha"]]).exists():
        return
    graduation = cohort_end_date(cohort=alumni_cohort)
    g = lambda days: _day(graduation, days)  # noqa: E731
    tanisha = _card(
        users["tanisha"],
        [(Stage.INTERESTED, g(5), "Sam passed this on from the food bank."),
         (Stage.APPLIED, g(10), ""), (Stage.INTERVIEWING, g(20), "Two rounds, one technical."),
         (Stage.OFFER, g(30), ""), (Stage.PLACED, g(35), "Accepted!")],
        today=today, organization="Northside Community Food Bank", title="Junior developer",
    )  # fmt: skip
    job_record(
        resident=users["tanisha"], by=users["tanisha"], application=tanisha,
        partner=HostOrganization.objects.filter(name="Northside Community Food Bank").first(),
        organization_name="Northside Community Food Bank", role="Junior developer",
        start_date=g(42), hours=Hours.FULL_TIME, salary_band=SalaryBand.FROM_40K, today=today,
    )  # fmt: skip
    ivy = _card(
        users["ivy"],
        [(Stage.APPLIED, g(20), ""), (Stage.INTERVIEWING, g(40), ""), (Stage.OFFER, g(60), ""),
         (Stage.PLACED, g(62), "")],
        today=today, organization="Mapleton Insurance Group", title="Data analyst",
    )  # fmt: skip
    job_record(
        resident=users["ivy"], by=users["ivy"], application=ivy, social_justice=False,
        organization_name="Mapleton Insurance Group", role="Data analyst", start_date=g(75),
        hours=Hours.FULL_TIME, salary_band=SalaryBand.FROM_55K, today=today,
    )  # fmt: skip
    interview = timezone.make_aware(datetime.datetime.combine(_day(today, 2), datetime.time(10)))
    _card(
        users["noor"],
        [(Stage.APPLIED, _day(today, -12), ""),
         (Stage.INTERVIEWING, _day(today, -3), "First interview with the managing attorney.")],
        today=today, opening=openings.get("IT and case-systems associate"), interview=interview,
    )  # fmt: skip
    _card(
        users["noor"], [(Stage.INTERESTED, _day(today, -5), "")], today=today,
        opening=openings.get("Organizing data coordinator"),
    )  # fmt: skip
    _card(
        users["hector"],
        [(Stage.INTERESTED, _day(today, -30), ""),
         (Stage.APPLIED, _day(today, -20), "Sent the application and a cover letter.")],
        today=today, organization="Cedar Hollow Transit Riders Union", title="Data organizer",
    )  # fmt: skip
    _card(
        users["aisha"], [(Stage.INTERESTED, today, "For after graduation.")], today=today,
        opening=openings.get("Junior web developer"),
    )  # fmt: skip
