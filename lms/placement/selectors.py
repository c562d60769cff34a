"""Reads about placement: openings, profiles, pipelines, the staff board and the outcomes.

Who may read what is decided in ``permissions``; the outcome figures are computed here, in a
fixed number of queries whatever the cohort's size.
"""

import datetime
import statistics
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from assignments.selectors.standings import resident_progress
from lms.calendars.entries import CalendarEntry
from lms.calendars.selectors import entry_day
from lms.cohorts.models import Cohort
from lms.cohorts.selectors import _add_months, cohort_end_date, cohort_for_resident, mentees_of
from lms.fieldwork.models import FieldProject, HostOrganization
from lms.people.models import User
from lms.people.permissions import user_is_staff

from .models import (
    ACTIVE_STAGES,
    Application,
    Job,
    Opening,
    OpeningStatus,
    PartnerLink,
    Profile,
    RetentionAnswer,
    Stage,
    StageChange,
)

STALLED_AFTER_DAYS = 14
RETENTION_MONTH = 8
PIPELINE_STAGES = (Stage.INTERESTED, Stage.APPLIED, Stage.INTERVIEWING, Stage.OFFER, Stage.PLACED)
INTERVIEW_LENGTH = datetime.timedelta(hours=1)
OUTCOME_RULES = (
    "A graduate counts as placed on the start date of their first paid job after graduation "
    "day; days to placement run from graduation day (a job that began earlier counts as 0). "
    "The share at social-justice organizations is of placed graduates' first jobs. Retention "
    "is of placed graduates who answered the question at their eight-month hours check."
)


# Openings ---------------------------------------------------------------------------------


def openings_open(*, today: datetime.date | None = None) -> QuerySet[Opening]:
    """Approved openings whose closing date has not passed: what residents browse."""
    today = today or timezone.localdate()
    return (
        Opening.objects.filter(status=OpeningStatus.APPROVED)
        .filter(Q(closes_on__isnull=True) | Q(closes_on__gte=today))
        .select_related("organization")
        .order_by("closes_on", "title")
    )


def openings_waiting() -> QuerySet[Opening]:
    """Openings partners sent (or staff drafted) that staff have not approved yet."""
    return (
        Opening.objects.filter(status=OpeningStatus.PENDING)
        .select_related("organization")
        .order_by("created_at")
    )


def opening_visible(*, opening_id: int, user: User) -> Opening | None:
    """An opening the person may open: staff any, others only approved ones."""
    openings = Opening.objects.select_related("organization").filter(pk=opening_id)
    if not user_is_staff(user=user):
        openings = openings.filter(status=OpeningStatus.APPROVED)
    return openings.first()


def partners_all() -> QuerySet[HostOrganization]:
    """Partner organizations with their link (if staff made one), by name."""
    return HostOrganization.objects.select_related("partner_link").order_by("name")


def partner_by_token(*, token: str) -> PartnerLink | None:
    """The partner whose private link carries ``token``, or None."""
    if not token or len(token) > 64:
        return None
    return PartnerLink.objects.select_related("organization").filter(token=token).first()


def partner_openings(*, organization: HostOrganization) -> QuerySet[Opening]:
    return organization.openings.order_by("-created_at")


def partner_applicants(*, organization: HostOrganization) -> list["ProfileCard"]:
    """Profiles of graduates who applied to this organization and chose to share with it."""
    applications = (
        Application.objects.filter(share_profile=True, opening__organization=organization)
        .exclude(stage__in=[Stage.INTERESTED, Stage.WITHDRAWN])
        .select_related("resident", "opening")
        .order_by("resident__first_name", "resident__last_name")
    )
    seen, cards = set(), []
    for application in applications:
        if application.resident_id in seen:
            continue
        seen.add(application.resident_id)
        cards.append(profile_card(resident=application.resident, for_partner=True))
    return cards


# Profiles ---------------------------------------------------------------------------------


@dataclass
class ProfileCard:
    resident: User
    profile: Profile | None
    project: FieldProject | None
    grades: dict | None = None


def profile_of(*, resident: User) -> Profile | None:
    return Profile.objects.filter(resident=resident).first()


def field_project_of(*, resident: User) -> FieldProject | None:
    """The resident's field project from the field-project record, with its host and links."""
    return (
        FieldProject.objects.filter(team=resident)
        .select_related("host", "cohort")
        .prefetch_related("milestones__links")
        .order_by("-start_date")
        .first()
    )


def profile_card(*, resident: User, for_partner: bool = False) -> ProfileCard:
    """What a profile shows: the resident's words, their field project if they keep it on,
    and their residency total only if they chose to include it. A partner sees the same."""
    profile = profile_of(resident=resident)
    show_project = profile is None or profile.show_field_project
    project = field_project_of(resident=resident) if show_project else None
    grades = None
    if profile is not None and profile.show_grades:
        progress = resident_progress(resident=resident)
        if progress["possible"]:
            grades = {
                "earned": progress["earned"],
                "possible": progress["possible"],
                "percent": round(100 * progress["earned"] / progress["possible"]),
            }
    return ProfileCard(resident=resident, profile=profile, project=project, grades=grades)


# Pipelines --------------------------------------------------------------------------------


def applications_of(*, resident: User) -> list[Application]:
    """A resident's cards with their history, the liveliest first (stage order, then newest)."""
    order = {stage: index for index, stage in enumerate(Stage)}
    cards = list(
        Application.objects.filter(resident=resident)
        .select_related("opening__organization")
        .prefetch_related(
            Prefetch(
                "changes", queryset=StageChange.objects.select_related("by").order_by("on", "pk")
            )
        )
    )
    return sorted(cards, key=lambda card: (order[card.stage], -card.stage_since.toordinal()))


def application_detail(*, application_id: int) -> Application | None:
    return (
        Application.objects.select_related("resident", "opening__organization")
        .prefetch_related(
            Prefetch(
                "changes", queryset=StageChange.objects.select_related("by").order_by("on", "pk")
            )
        )
        .filter(pk=application_id)
        .first()
    )


def jobs_of(*, resident: User) -> list[Job]:
    """Every job a graduate recorded, the current one (latest start) first."""
    return list(Job.objects.filter(resident=resident).select_related("partner"))


def days_since(*, day: datetime.date, today: datetime.date) -> int:
    return (today - day).days


def is_stalled(*, application: Application, today: datetime.date) -> bool:
    """An open card that has not moved for two weeks."""
    return (
        application.stage in ACTIVE_STAGES
        and days_since(day=application.stage_since, today=today) >= STALLED_AFTER_DAYS
    )


def stalled_applications(*, today: datetime.date) -> QuerySet[Application]:
    """Open cards that have not moved for two weeks, for the nudge e-mails."""
    return Application.objects.filter(
        stage__in=ACTIVE_STAGES,
        stage_since__lte=today - datetime.timedelta(days=STALLED_AFTER_DAYS),
        resident__is_active=True,
    ).select_related("resident")


def mentees_pipelines(*, mentor: User) -> list[tuple[User, list[Application]]]:
    """A mentor's mentees, each with their cards, in two queries."""
    mentees = list(mentees_of(mentor=mentor).select_related("enrollment__cohort"))
    cards: dict[int, list[Application]] = {mentee.pk: [] for mentee in mentees}
    for application in Application.objects.filter(resident__in=mentees).order_by("stage_since"):
        cards[application.resident_id].append(application)
    return [(mentee, cards[mentee.pk]) for mentee in mentees]


# The staff board --------------------------------------------------------------------------


@dataclass
class BoardRow:
    """One graduate on the board, placed in the column of their furthest open card."""

    resident: User
    lead: Application | None
    cards: list[Application]
    stalled: bool
    days: int | None


@dataclass
class BoardColumn:
    stage: str
    label: str
    rows: list[BoardRow] = field(default_factory=list)


def _lead_card(cards: list[Application]) -> Application | None:
    order = {stage: index for index, stage in enumerate(PIPELINE_STAGES)}
    live = [card for card in cards if card.stage in order]
    if not live:
        return None
    # Furthest along wins; between equals, the one that has waited longest.
    return max(live, key=lambda card: (order[card.stage], -card.stage_since.toordinal()))


def cohort_board(*, cohort: Cohort, today: datetime.date | None = None) -> list[BoardColumn]:
    """The cohort's graduates by stage, oldest stalled first within each column. Two queries."""
    today = today or timezone.localdate()
    residents = list(
        User.objects.filter(enrollment__cohort=cohort).order_by("first_name", "last_name")
    )
    cards: dict[int, list[Application]] = {resident.pk: [] for resident in residents}
    for application in Application.objects.filter(resident__enrollment__cohort=cohort):
        cards[application.resident_id].append(application)
    columns = {"none": BoardColumn("none", "No open card")}
    columns.update(
        {stage.value: BoardColumn(stage.value, stage.label) for stage in PIPELINE_STAGES}
    )
    for resident in residents:
        lead = _lead_card(cards[resident.pk])
        row = BoardRow(
            resident=resident,
            lead=lead,
            cards=cards[resident.pk],
            stalled=lead is not None and is_stalled(application=lead, today=today),
            days=days_since(day=lead.stage_since, today=today) if lead else None,
        )
        columns[lead.stage if lead else "none"].rows.append(row)
    for column in columns.values():
        column.rows.sort(key=lambda row: (-(row.days or 0), row.resident.display_name))
    return list(columns.values())


# Outcomes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    """A share of a whole: ``count`` of ``total``; ``final`` once its day has come."""

    count: int
    total: int
    final: bool = True

    @property
    def percent(self) -> int | None:
        return round(100 * self.count / self.total) if self.total else None


@dataclass(frozen=True)
class Outcomes:
    cohort: Cohort
    graduation: datetime.date
    graduates: int
    placed: int
    placed_by_90: Rate
    placed_by_180: Rate
    median_days: float | None
    social_justice: Rate
    retention: Rate
    retention_asked_from: datetime.date
    day_90: datetime.date
    day_180: datetime.date


def _first_jobs(cohort: Cohort) -> dict[int, tuple[datetime.date, bool]]:
    """Each graduate's first job (start date, at a social-justice organization): one query."""
    firsts: dict[int, tuple[datetime.date, bool]] = {}
    rows = (
        Job.objects.filter(resident__enrollment__cohort=cohort)
        .order_by("resident_id", "start_date", "pk")
        .values_list("resident_id", "start_date", "social_justice")
    )
    for resident_id, start_date, social_justice in rows:
        firsts.setdefault(resident_id, (start_date, social_justice))
    return firsts


def cohort_outcomes(*, cohort: Cohort, today: datetime.date | None = None) -> Outcomes:
    """The figures funders ask for, for one cohort, in three queries whatever its size
    (see ``OUTCOME_RULES``). A rate whose day has not come yet is marked not final."""
    today = today or timezone.localdate()
    graduation = cohort_end_date(cohort=cohort)
    graduates = cohort.enrollments.count()
    firsts = _first_jobs(cohort)
    days = {
        resident_id: max(0, (start - graduation).days)
        for resident_id, (start, _) in firsts.items()
        if start <= today
    }
    day_90 = graduation + datetime.timedelta(days=90)
    day_180 = graduation + datetime.timedelta(days=180)
    placed = len(days)
    social = sum(1 for resident_id in days if firsts[resident_id][1])
    answers = dict(
        RetentionAnswer.objects.filter(resident__enrollment__cohort=cohort).values_list(
            "resident_id", "employed"
        )
    )
    answered = [answers[resident_id] for resident_id in days if resident_id in answers]
    asked_from = _add_months(graduation, RETENTION_MONTH - 1) + datetime.timedelta(days=1)
    return Outcomes(
        cohort=cohort,
        graduation=graduation,
        graduates=graduates,
        placed=placed,
        placed_by_90=Rate(sum(d <= 90 for d in days.values()), graduates, today >= day_90),
        placed_by_180=Rate(sum(d <= 180 for d in days.values()), graduates, today >= day_180),
        median_days=statistics.median(days.values()) if days else None,
        social_justice=Rate(social, placed),
        retention=Rate(
            sum(answered), len(answered), today > _add_months(graduation, RETENTION_MONTH)
        ),
        retention_asked_from=asked_from,
        day_90=day_90,
        day_180=day_180,
    )


def graduated_cohorts(*, today: datetime.date | None = None) -> list[Cohort]:
    """Cohorts whose graduation day has passed, the most recent first."""
    today = today or timezone.localdate()
    return [
        cohort
        for cohort in Cohort.objects.order_by("-start_date")
        if cohort_end_date(cohort=cohort) < today
    ]


OUTCOME_COLUMNS = [
    "cohort", "graduation_date", "graduates", "placed_so_far",
    "placed_by_day_90", "placement_rate_90_days", "day_90_reached",
    "placed_by_day_180", "placement_rate_180_days", "day_180_reached",
    "median_days_to_placement", "placed_at_social_justice_orgs", "social_justice_share",
    "retention_answers", "still_employed_at_8_months", "retention_rate", "month_8_over",
]  # fmt: skip


def _percent(rate: Rate) -> str:
    return "" if rate.percent is None else str(rate.percent)


def outcomes_csv_rows(*, outcomes: list[Outcomes]) -> list[list]:
    """One row per cohort for funders, in ``OUTCOME_COLUMNS`` order; rates in whole percent."""
    return [
        [
            o.cohort.name,
            o.graduation.isoformat(),
            o.graduates,
            o.placed,
            o.placed_by_90.count,
            _percent(o.placed_by_90),
            "yes" if o.placed_by_90.final else "no",
            o.placed_by_180.count,
            _percent(o.placed_by_180),
            "yes" if o.placed_by_180.final else "no",
            "" if o.median_days is None else o.median_days,
            o.social_justice.count,
            _percent(o.social_justice),
            o.retention.total,
            o.retention.count,
            _percent(o.retention),
            "yes" if o.retention.final else "no",
        ]  # fmt: skip
        for o in outcomes
    ]


def outcome_bars(*, outcomes: Outcomes) -> list[dict]:
    """The chart on the outcomes page: one bar per rate, with its words."""
    return [
        {"label": "Placed by day 90", "rate": outcomes.placed_by_90},
        {"label": "Placed by day 180", "rate": outcomes.placed_by_180},
        {"label": "At social-justice organizations", "rate": outcomes.social_justice},
        {"label": "Still employed at 8 months", "rate": outcomes.retention},
    ]


# Calendar, home page, hours check ---------------------------------------------------------


def calendar_entries(*, user: User) -> list[CalendarEntry]:
    """Interviews on the resident's cards (and their mentees', for a mentor), and the closing
    dates of openings on their open cards; staff get every approved opening's closing date."""
    if not user.is_authenticated:
        return []
    entries = []
    interviews = (
        Application.objects.filter(
            Q(resident=user) | Q(resident__mentor_pairings__mentor=user),
            stage=Stage.INTERVIEWING,
            interview_at__isnull=False,
        )
        .select_related("resident")
        .distinct()
    )
    for card in interviews:
        whose = "" if card.resident_id == user.pk else f"{card.resident.display_name}: "
        entries.append(
            CalendarEntry(
                uid=f"placement-interview-{card.pk}",
                summary=f"{whose}Interview, {card.title} at {card.organization_name}",
                start=card.interview_at,
                end=card.interview_at + INTERVIEW_LENGTH,
                url=reverse("placement:application", args=[card.pk]),
            )
        )
    closing = Opening.objects.filter(status=OpeningStatus.APPROVED, closes_on__isnull=False)
    if not user_is_staff(user=user):
        closing = closing.filter(
            applications__resident=user,
            applications__stage__in=[Stage.INTERESTED, Stage.APPLIED],
        )
    for opening in closing.select_related("organization").distinct():
        entries.append(
            CalendarEntry(
                uid=f"placement-closes-{opening.pk}",
                summary=f"Applications close: {opening.title} at {opening.organization.name}",
                start=opening.closes_on,
                end=opening.closes_on + datetime.timedelta(days=1),
                url=reverse("placement:opening", args=[opening.pk]),
            )
        )
    return entries


def home_card(*, name: str, page, user: User) -> dict:
    """The home page's job-search card: the person's next interviews and closing dates."""
    if not user.is_authenticated or cohort_for_resident(user=user) is None:
        return {}
    today = timezone.localdate()
    soon = [entry for entry in calendar_entries(user=user) if entry_day(entry) >= today]
    soon.sort(key=lambda entry: (entry_day(entry), entry.uid))
    if not soon and not Application.objects.filter(resident=user).exists():
        return {}
    shown = [
        {"entry": entry, "timed": isinstance(entry.start, datetime.datetime)} for entry in soon[:4]
    ]
    return {"template": "placement/home_card.html", "entries": shown}


def retention_prompt(*, user: User, cohort: Cohort, today: datetime.date) -> dict | None:
    """The eight-month question on the hours page: asked in month 8 of a placed graduate's
    commitment and the month after it, until they answer."""
    graduation = cohort_end_date(cohort=cohort)
    asked_from = _add_months(graduation, RETENTION_MONTH - 1) + datetime.timedelta(days=1)
    asked_until = _add_months(graduation, RETENTION_MONTH + 1)
    if not asked_from <= today <= asked_until:
        return None
    if RetentionAnswer.objects.filter(resident=user).exists():
        return None
    job = Job.objects.filter(resident=user, start_date__lte=today).first()
    if job is None:
        return None
    return {"template": "placement/retention_prompt.html", "job": job}
