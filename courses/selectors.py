"""Reads about the syllabus: who may see which page, and what each page shows."""

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from wagtail.models import Page, Revision

from lms.calendars.entries import CalendarEntry
from lms.cohorts.models import Cohort, Enrollment, Phase
from lms.cohorts.selectors import (
    cohort_for_resident,
    cohort_phase,
    cohort_week_number,
    cohort_week_start,
    cohorts_visible_to,
    mentees_of,
)
from lms.people.models import Role, User
from lms.people.permissions import user_is_staff_or_guest_instructor
from lms.people.selectors import user_roles

from .models import (
    Audience,
    LessonPage,
    ProgramHomePage,
    SeminarIndexPage,
    SeminarPage,
    SyllabusPage,
    WeekPage,
)

UPCOMING_SEMINARS_ON_HOME = 3
PAST_SEMINARS_LISTED = 12


def seminar_audiences_for(*, user: User) -> list[str]:
    """The seminar audiences a person belongs to.

    Residents of a cohort still in its 16 weeks (or about to start) are
    "residents"; once the cohort graduates they are alumni. Mentors, guest
    instructors and staff may attend anything.
    """
    if not user.is_authenticated:
        return []
    roles = user_roles(user=user)
    if roles & {Role.STAFF, Role.GUEST_INSTRUCTOR, Role.MENTOR}:
        return [a.value for a in Audience]
    cohort = cohort_for_resident(user=user)
    if cohort is None:
        return []
    phase = cohort_phase(cohort=cohort)
    group = Audience.RESIDENTS if phase in (Phase.UPCOMING, Phase.RESIDENCY) else Audience.ALUMNI
    return [group.value, Audience.EVERYONE.value]


def page_visible_to(*, user: User, page: Page) -> bool:
    """Whether a published page may be shown to this person.

    The home page is public (it is the sign-in landing); everything else needs
    an account. Syllabus pages belong to one cohort; seminars to an audience.
    """
    if page.specific_class is ProgramHomePage:
        return True
    if not user.is_authenticated:
        return False
    # Staff and guest instructors teach across cohorts, so they read every published page.
    if user_is_staff_or_guest_instructor(user=user):
        return True
    if page.specific_class is SeminarIndexPage:
        return True
    if page.specific_class is SeminarPage:
        return page.specific.audience in seminar_audiences_for(user=user)
    syllabus = SyllabusPage.objects.ancestor_of(page, inclusive=True).first()
    if syllabus is None:
        return True
    return cohorts_visible_to(user=user).filter(pk=syllabus.cohort_id).exists()


def lesson_date(*, cohort: Cohort, week_number: int, weekday: int) -> datetime.date:
    return cohort_week_start(cohort=cohort, number=week_number) + datetime.timedelta(days=weekday)


@dataclass
class LessonItem:
    """A lesson on its day. A lesson scheduled to go live later is listed with ``opens_at`` and no link."""

    page: LessonPage
    date: datetime.date
    is_today: bool
    opens_at: datetime.datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.opens_at is None


def _scheduled_or_live_lessons(week: WeekPage) -> QuerySet[LessonPage]:
    scheduled = Revision.objects.filter(
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
        base_content_type=ContentType.objects.get_for_model(Page),
        approved_go_live_at__isnull=False,
    )
    return (
        LessonPage.objects.child_of(week)
        .filter(Q(live=True) | Q(live=False, expired=False) & Exists(scheduled))
        .order_by("weekday", "path")
    )


def _lesson_items(*, week: WeekPage, cohort: Cohort) -> list[LessonItem]:
    today = timezone.localdate()
    items = []
    for lesson in _scheduled_or_live_lessons(week):
        day = lesson_date(cohort=cohort, week_number=week.number, weekday=lesson.weekday)
        items.append(
            LessonItem(
                page=lesson,
                date=day,
                is_today=day == today,
                opens_at=None if lesson.live else lesson.go_live_at,
            )
        )
    return items


@dataclass
class WeekItem:
    page: WeekPage
    starts_on: datetime.date
    ends_on: datetime.date
    lesson_count: int
    is_current: bool
    is_past: bool


def syllabus_overview(*, syllabus: SyllabusPage, user: User) -> list[WeekItem]:
    """The published weeks of a syllabus with their dates and how many lessons are out."""
    cohort = syllabus.cohort
    current = cohort_week_number(cohort=cohort)
    today = timezone.localdate()
    weeks = list(WeekPage.objects.child_of(syllabus).live().order_by("number"))
    lesson_counts: dict[str, int] = {}
    for path in LessonPage.objects.descendant_of(syllabus).live().values_list("path", flat=True):
        parent_path = path[: -Page.steplen]
        lesson_counts[parent_path] = lesson_counts.get(parent_path, 0) + 1
    items = []
    for week in weeks:
        starts_on = cohort_week_start(cohort=cohort, number=week.number)
        ends_on = starts_on + datetime.timedelta(days=4)
        items.append(
            WeekItem(
                page=week,
                starts_on=starts_on,
                ends_on=ends_on,
                lesson_count=lesson_counts.get(week.path, 0),
                is_current=week.number == current,
                is_past=ends_on < today,
            )
        )
    return items


@dataclass
class WeekDetail:
    cohort: Cohort
    syllabus: SyllabusPage
    starts_on: datetime.date
    ends_on: datetime.date
    lessons: list[LessonItem]
    is_current: bool
    previous: WeekPage | None
    next: WeekPage | None


def week_detail(*, week: WeekPage, user: User) -> WeekDetail:
    syllabus = week.get_parent().specific
    cohort = syllabus.cohort
    starts_on = cohort_week_start(cohort=cohort, number=week.number)
    siblings = WeekPage.objects.child_of(syllabus).live()
    return WeekDetail(
        cohort=cohort,
        syllabus=syllabus,
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=4),
        lessons=_lesson_items(week=week, cohort=cohort),
        is_current=cohort_week_number(cohort=cohort) == week.number,
        previous=siblings.filter(number__lt=week.number).order_by("-number").first(),
        next=siblings.filter(number__gt=week.number).order_by("number").first(),
    )


@dataclass
class LessonDetail:
    week: WeekPage
    cohort: Cohort
    date: datetime.date
    previous: LessonItem | None
    next: LessonItem | None


def lesson_detail(*, lesson: LessonPage, user: User) -> LessonDetail:
    week = lesson.get_parent().specific
    syllabus = week.get_parent().specific
    items = [item for item in _lesson_items(week=week, cohort=syllabus.cohort) if item.is_open]
    index = next((i for i, item in enumerate(items) if item.page.pk == lesson.pk), None)
    return LessonDetail(
        week=week,
        cohort=syllabus.cohort,
        date=lesson_date(cohort=syllabus.cohort, week_number=week.number, weekday=lesson.weekday),
        previous=items[index - 1] if index else None,
        next=items[index + 1] if index is not None and index + 1 < len(items) else None,
    )


def _seminars_visible(*, user: User) -> QuerySet[SeminarPage]:
    return SeminarPage.objects.live().filter(audience__in=seminar_audiences_for(user=user))


def seminars_for(*, user: User) -> tuple[list[SeminarPage], list[SeminarPage]]:
    """Seminars open to this person: the upcoming ones soonest first, then recent past ones."""
    now = timezone.now()
    seminars = _seminars_visible(user=user)
    upcoming = list(seminars.filter(ends_at__gte=now).order_by("starts_at"))
    past = list(seminars.filter(ends_at__lt=now).order_by("-starts_at")[:PAST_SEMINARS_LISTED])
    return upcoming, past


@dataclass
class CohortGlance:
    cohort: Cohort
    phase: Phase
    week_number: int | None
    syllabus: SyllabusPage | None
    resident_count: int


@dataclass
class Dashboard:
    """What a person sees on the home page after signing in."""

    cohort: Cohort | None = None
    phase: Phase | None = None
    syllabus: SyllabusPage | None = None
    week: WeekPage | None = None
    week_number: int | None = None
    today: datetime.date | None = None
    todays_lessons: list[LessonItem] = field(default_factory=list)
    later_this_week: list[LessonItem] = field(default_factory=list)
    upcoming_seminars: list[SeminarPage] = field(default_factory=list)
    mentor: User | None = None
    mentees: list[User] = field(default_factory=list)
    cohorts: list[CohortGlance] = field(default_factory=list)


def _live_syllabus(cohort: Cohort) -> SyllabusPage | None:
    return SyllabusPage.objects.live().filter(cohort=cohort).first()


def _cohort_glances(cohorts: QuerySet[Cohort]) -> list[CohortGlance]:
    # Counted in a subquery: the cohorts visible to a mentor are found through their pairings,
    # and counting over that join would count every resident once per mentee.
    enrolled = (
        Enrollment.objects.filter(cohort=OuterRef("pk"))
        .order_by()
        .values("cohort")
        .annotate(n=Count("pk"))
        .values("n")
    )
    cohorts = list(cohorts.annotate(resident_count=Coalesce(Subquery(enrolled), 0)))
    syllabi = {
        syllabus.cohort_id: syllabus
        for syllabus in SyllabusPage.objects.live().filter(cohort__in=cohorts)
    }
    return [
        CohortGlance(
            cohort=cohort,
            phase=cohort_phase(cohort=cohort),
            week_number=cohort_week_number(cohort=cohort),
            syllabus=syllabi.get(cohort.pk),
            resident_count=cohort.resident_count,
        )
        for cohort in cohorts
    ]


def dashboard_for(*, user: User) -> Dashboard:
    """This week, today's lessons and upcoming seminars for a resident; cohorts at a glance for others."""
    dashboard = Dashboard(today=timezone.localdate())
    if not user.is_authenticated:
        return dashboard
    dashboard.upcoming_seminars = (
        _seminars_visible(user=user)
        .filter(ends_at__gte=timezone.now())
        .order_by("starts_at")[:UPCOMING_SEMINARS_ON_HOME]
    )
    roles = user_roles(user=user)
    if roles & {Role.STAFF, Role.GUEST_INSTRUCTOR, Role.MENTOR}:
        dashboard.cohorts = _cohort_glances(cohorts_visible_to(user=user).order_by("-start_date"))
    if Role.MENTOR in roles:
        dashboard.mentees = list(mentees_of(mentor=user).select_related("enrollment__cohort"))
    cohort = cohort_for_resident(user=user)
    if cohort is None:
        return dashboard
    dashboard.cohort = cohort
    dashboard.phase = cohort_phase(cohort=cohort)
    dashboard.syllabus = _live_syllabus(cohort)
    # On a weekend the week that matters is the one starting on Monday.
    focus = dashboard.today
    if focus.weekday() >= 5:
        focus += datetime.timedelta(days=7 - focus.weekday())
    dashboard.week_number = cohort_week_number(cohort=cohort, on=focus)
    pairing = user.mentor_pairings.select_related("mentor").first()
    dashboard.mentor = pairing.mentor if pairing else None
    if dashboard.syllabus and dashboard.week_number:
        dashboard.week = (
            WeekPage.objects.child_of(dashboard.syllabus)
            .live()
            .filter(number=dashboard.week_number)
            .first()
        )
    if dashboard.week:
        for item in _lesson_items(week=dashboard.week, cohort=cohort):
            if item.date == dashboard.today:
                dashboard.todays_lessons.append(item)
            elif item.date > dashboard.today:
                dashboard.later_this_week.append(item)
    return dashboard


def syllabus_for_nav(*, user: User) -> SyllabusPage | None:
    """The syllabus a resident's "My syllabus" link points to."""
    cohort = cohort_for_resident(user=user)
    return _live_syllabus(cohort) if cohort else None


def seminar_index() -> SeminarIndexPage | None:
    return SeminarIndexPage.objects.live().first()


def calendar_entries(*, user: User) -> list:
    """A resident's lessons, each on the day it opens (all-day entries), in three queries."""

    cohort = cohort_for_resident(user=user)
    syllabus = _live_syllabus(cohort) if cohort else None
    if syllabus is None:
        return []
    scheduled = Revision.objects.filter(
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
        base_content_type=ContentType.objects.get_for_model(Page),
        approved_go_live_at__isnull=False,
    )
    weeks = {week.path: week.number for week in WeekPage.objects.child_of(syllabus).live()}
    entries = []
    for lesson in LessonPage.objects.descendant_of(syllabus).filter(
        Q(live=True) | Q(live=False, expired=False) & Exists(scheduled)
    ):
        number = weeks.get(lesson.path[: -Page.steplen])
        if number is None:
            continue
        day = lesson_date(cohort=cohort, week_number=number, weekday=lesson.weekday)
        entries.append(
            CalendarEntry(
                uid=f"lesson-{lesson.pk}",
                summary=f"Lesson: {lesson.title}",
                start=day,
                end=day + datetime.timedelta(days=1),
                description=f"Week {number} of {cohort.name}.",
                url=lesson.get_url() or "",
            )
        )
    return entries
