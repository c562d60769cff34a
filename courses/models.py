"""Page types of the residency site. They describe content; reads live in ``selectors``."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import CheckboxSelectMultiple
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import BaseStreamBlock, DayScheduleBlock
from .forms import WeekPageForm

SEMINAR_ENDS_BEFORE_START = "A seminar has to end after it starts."
SEMINAR_NEEDS_A_PLACE = "Give a place, a call link, or both."
SEMINAR_CAPACITY_AT_LEAST_ONE = "Give at least one place, or leave it blank for no limit."


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"


class Audience(models.TextChoices):
    RESIDENTS = "residents", "Current residents"
    ALUMNI = "alumni", "Alumni"
    EVERYONE = "everyone", "Residents and alumni"


class EventKind(models.TextChoices):
    SEMINAR = "seminar", "Seminar"
    ALUMNI_WEEKEND = "alumni_weekend", "Alumni weekend"


class ProgramHomePage(Page):
    """The front door: a welcome for visitors, a personal dashboard once signed in."""

    tagline = models.CharField(max_length=200, blank=True)
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("tagline"), FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.SyllabusPage", "courses.SeminarIndexPage"]
    max_count = 1


class SyllabusPage(Page):
    """One cohort's 16 weeks. Each cohort gets its own copy so it can change without touching others."""

    cohort = models.OneToOneField(
        "cohorts.Cohort", on_delete=models.PROTECT, related_name="syllabus"
    )
    intro = RichTextField(blank=True, features=["bold", "italic", "link", "ul"])

    content_panels = Page.content_panels + [FieldPanel("cohort"), FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["courses.ProgramHomePage"]
    subpage_types = ["courses.WeekPage"]


class WeekPage(Page):
    """A week of the residency: its theme, what residents will be able to do, and the days' schedule."""

    number = models.PositiveSmallIntegerField(help_text="1 to 16.")
    theme = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    objectives = StreamField(
        [("objective", blocks.CharBlock(max_length=300, icon="tick"))],
        blank=True,
        help_text="What residents will be able to do by Friday.",
    )
    schedule = StreamField([("day", DayScheduleBlock())], blank=True)

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("number"), FieldPanel("theme")]),
        FieldPanel("summary"),
        FieldPanel("objectives"),
        FieldPanel("schedule"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("theme"),
        index.SearchField("summary"),
        index.FilterField("number"),
    ]
    parent_page_types = ["courses.SyllabusPage"]
    subpage_types = ["courses.LessonPage"]
    base_form_class = WeekPageForm

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number__gte=1) & models.Q(number__lte=52),
                name="week_number_between_1_and_52",
            )
        ]


class LessonPage(Page):
    """A lesson taught on one day of a week."""

    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, default=Weekday.MONDAY)
    summary = models.CharField(max_length=300, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(default=90)
    body = StreamField(BaseStreamBlock(), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("weekday"), FieldPanel("duration_minutes")])],
            heading="When",
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    parent_page_types = ["courses.WeekPage"]
    subpage_types = []

    class Meta:
        ordering = ["weekday", "title"]


class SeminarIndexPage(Page):
    """Special-topics seminars for residents and alumni."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["courses.ProgramHomePage"]
    subpage_types = ["courses.SeminarPage"]
    max_count = 1


class SeminarPage(Page):
    """A special-topics seminar or an alumni weekend: when, who speaks, who it is for, and where.

    ``capacity`` caps the people going (blank for no limit); more people join a waitlist,
    kept in ``lms.events``. ``hosts`` run the event: they see its attendee list and take
    attendance on the day.
    """

    kind = models.CharField(max_length=20, choices=EventKind.choices, default=EventKind.SEMINAR)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    speaker_name = models.CharField(max_length=150)
    speaker_bio = models.TextField(blank=True)
    audience = models.CharField(max_length=20, choices=Audience.choices, default=Audience.EVERYONE)
    location = models.CharField(max_length=200, blank=True, help_text="A room, or leave blank.")
    call_link = models.URLField(blank=True, help_text="A video-call address, or leave blank.")
    capacity = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="How many people can come; leave blank for no limit. Others join a waitlist.",
    )
    hosts = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="hosted_events",
        limit_choices_to=models.Q(groups__name__in=["Staff", "Guest instructors", "Mentors"]),
        help_text="Staff, guest instructors or mentors running it: they see who is coming.",
    )
    summary = models.CharField(max_length=300, blank=True)
    body = StreamField(BaseStreamBlock(), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("audience")]),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldPanel("speaker_name"),
        FieldPanel("speaker_bio"),
        FieldRowPanel([FieldPanel("location"), FieldPanel("call_link")]),
        MultiFieldPanel(
            [FieldPanel("capacity"), FieldPanel("hosts", widget=CheckboxSelectMultiple)],
            heading="Places and hosts",
        ),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("speaker_name"),
        index.FilterField("starts_at"),
    ]
    parent_page_types = ["courses.SeminarIndexPage"]
    subpage_types = []

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="seminar_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gte=1),
                name="seminar_capacity_at_least_one",
            ),
        ]

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": SEMINAR_ENDS_BEFORE_START})
        if not self.location and not self.call_link:
            raise ValidationError({"location": SEMINAR_NEEDS_A_PLACE})
        if self.capacity == 0:
            raise ValidationError({"capacity": SEMINAR_CAPACITY_AT_LEAST_ONE})
