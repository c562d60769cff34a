"""Demo field projects: Cohort 6's finished ones with host feedback, Cohort 7's planned ones.

The host organizations are invented, in the invented town of Cedar Hollow; their web and
e-mail addresses use the reserved example.org domain.
"""

import datetime

from django.utils import timezone

from lms.cohorts.models import Cohort
from lms.people.models import User

from .models import FieldProject, HostOrganization, MilestoneKind, MilestoneStatus
from .services import (
    deliverable_add,
    field_project_create,
    host_feedback_leave,
    host_organization_create,
    milestone_status_set,
)

HOSTS = [
    {
        "name": "Cedar Hollow Tenants' Union",
        "website": "https://tenants.cedarhollow.example.org",
        "mission": "Renters organizing building by building for repairs, fair rents and an end "
        "to retaliatory evictions. Volunteer-run since 2014, with 40 building committees.",
        "needs": "Repair requests live in a shared spreadsheet and get lost. Organizers need to "
        "see which landlords ignore which requests, and to remind tenants before court dates.",
        "contact_name": "Renée Okonkwo",
        "contact_email": "renee@tenants.cedarhollow.example.org",
        "contact_phone": "555-0141",
    },
    {
        "name": "Northside Community Food Bank",
        "website": "https://northsidefood.example.org",
        "mission": "Groceries for 1,200 households a week from two pantries and a mobile market, "
        "run by a staff of four and about 300 volunteers.",
        "needs": "Volunteer shifts are booked by phone, and the pantry counts stock by hand. They "
        "want sign-ups online and a simple view of what is running low.",
        "contact_name": "Marguerite Dossou",
        "contact_email": "volunteers@northsidefood.example.org",
        "contact_phone": "555-0178",
    },
    {
        "name": "Ballot Bridge Cedar Hollow",
        "website": "https://ballotbridge.example.org",
        "mission": "Nonpartisan voter registration in neighborhoods where turnout is lowest: "
        "door-knocking, tabling at bus stops, rides to the polls.",
        "needs": "Canvass routes are drawn on paper maps. They need a map of where volunteers "
        "have been and which blocks still need a visit before the deadline.",
        "contact_name": "Tomás Achterberg",
        "contact_email": "tomas@ballotbridge.example.org",
        "contact_phone": "",
    },
    {
        "name": "Puentes Immigrant Legal Clinic of Cedar Hollow",
        "website": "https://puentes-clinic.example.org",
        "mission": "Free immigration legal help — DACA renewals, asylum, family petitions — from "
        "two staff attorneys and volunteer paralegals, in Spanish, English and Haitian Creole.",
        "needs": "Intake is a paper form in English only. Clients wait weeks for a first "
        "appointment. They want a short intake form in three languages that books a slot.",
        "contact_name": "Lucía Ferreira-Baptiste",
        "contact_email": "intake@puentes-clinic.example.org",
        "contact_phone": "555-0119",
    },
]

PLANNED = [
    (
        "Cedar Hollow Tenants' Union",
        "Repair-request tracker",
        "Tenants log a repair request from their phone; building committees see every open "
        "request by landlord and how long it has waited.",
        ["aisha", "marcus", "lupe"],
        "priya",
    ),
    (
        "Northside Community Food Bank",
        "Pantry stock at a glance",
        "A tablet page at each pantry to count what comes in and goes out, and a weekly list of "
        "what is running low for the buyer.",
        ["kai", "deshawn", "mei"],
        "sam",
    ),
    (
        "Ballot Bridge Cedar Hollow",
        "Canvass map",
        "A map of the blocks volunteers have knocked, with the ones still to visit before the "
        "registration deadline, shared with team leads.",
        ["rosa", "tariq", "jess"],
        "dana",
    ),
    (
        "Puentes Immigrant Legal Clinic of Cedar Hollow",
        "Intake in three languages",
        "A short intake form in Spanish, English and Haitian Creole that books a first "
        "appointment and gives the paralegals a clean summary.",
        ["nia", "omar", "alex"],
        "priya",
    ),
]

FINISHED = [
    (
        "Northside Community Food Bank",
        "Volunteer shift sign-up",
        "Volunteers pick shifts online; coordinators see who is coming and text reminders the "
        "day before.",
        ["tanisha", "hector"],
        "sam",
        "shift-signup",
        [
            "Clear scope: online sign-ups first, reminders second. Glad you left stock counting "
            "for next time.",
            "Our Tuesday crew tried it on their phones and liked it. Bigger buttons for the "
            "older volunteers, please.",
            "Seven volunteers tested it at the pantry. The reminder texts were the hit.",
            "We have run three weeks of shifts on it. No-shows are down by a third. Thank you!",
        ],
    ),
    (
        "Cedar Hollow Tenants' Union",
        "Court-date reminders",
        "Tenants facing an eviction hearing get a text a week and a day before, with the "
        "address, what to bring, and who from the union will meet them there.",
        ["ivy", "noor"],
        "dana",
        "court-reminders",
        [
            "You asked the right questions about privacy. Only organizers see case numbers — good.",
            "The Spanish texts read naturally; our Polish-speaking members need them too.",
            "Two members with hearings got the texts and showed up prepared.",
            "Handed off with a guide our organizers can follow. This will keep people housed.",
        ],
    ),
]

DELIVERABLES = {
    MilestoneKind.SCOPING: ("docs/scope.md", "Scope and user stories"),
    MilestoneKind.PROTOTYPE: ("demo", "Clickable prototype"),
    MilestoneKind.USER_TESTING: ("docs/testing-notes.md", "User-testing notes"),
    MilestoneKind.HAND_OFF: ("", "Code and hand-off guide"),
}


def _hosts() -> dict[str, HostOrganization]:
    hosts = {}
    for fields in HOSTS:
        existing = HostOrganization.objects.filter(name=fields["name"]).first()
        hosts[fields["name"]] = existing or host_organization_create(**fields)
    return hosts


def _project(cohort: Cohort, hosts, users, host, title, summary, team, mentor):
    existing = FieldProject.objects.filter(cohort=cohort, title=title).first()
    if existing:
        return existing, False
    project = field_project_create(
        cohort=cohort, host=hosts[host], title=title, summary=summary,
        team=[users[name] for name in team], mentor=users[mentor],
    )  # fmt: skip
    return project, True


def demo_load(
    *, today: datetime.date, cohort: Cohort, alumni_cohort: Cohort, users: dict[str, User]
) -> None:
    """Add the four hosts and both cohorts' projects; a second run changes nothing."""
    hosts = _hosts()
    for host, title, summary, team, mentor in PLANNED:
        _project(cohort, hosts, users, host, title, summary, team, mentor)
    for host, title, summary, team, mentor, repo, feedback in FINISHED:
        project, created = _project(alumni_cohort, hosts, users, host, title, summary, team, mentor)
        if not created:
            continue
        member = users[team[0]]
        for milestone, text in zip(project.milestones.order_by("kind"), feedback, strict=True):
            path, label = DELIVERABLES[MilestoneKind(milestone.kind)]
            url = f"https://code.residency.example.org/cohort-6/{repo}"
            deliverable_add(
                milestone=milestone, user=member, url=f"{url}/{path}" if path else url, label=label
            )
            milestone_status_set(milestone=milestone, user=member, status=MilestoneStatus.DONE)
            given_at = timezone.make_aware(
                datetime.datetime.combine(
                    milestone.due_on + datetime.timedelta(days=1), datetime.time(10, 30)
                )
            )
            host_feedback_leave(milestone=milestone, text=text, at=given_at)
