import secrets

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from lms.cohorts.models import Cohort

HOST_FEEDBACK_MAX = 2000
WEB_LINK = URLValidator(
    schemes=["http", "https"], message="Links have to start with http:// or https://."
)


class WebLinkField(models.URLField):
    """A URL a browser opens as a web page: http or https, never javascript:, data: or ftp:."""

    default_validators = [WEB_LINK]


def new_host_token() -> str:
    """A link secret nobody can guess: 32 URL-safe characters, 192 bits."""
    return secrets.token_urlsafe(24)


class HostOrganization(models.Model):
    """A partner nonprofit that hosts field projects. Hosts have no accounts on the LMS."""

    name = models.CharField(max_length=200, unique=True)
    website = WebLinkField(blank=True)
    mission = models.TextField(help_text="What the organization does, in a few sentences.")
    needs = models.TextField(
        verbose_name="What they need", help_text="The problem a resident team could help with."
    )
    contact_name = models.CharField(max_length=150)
    contact_email = models.EmailField()
    contact_phone = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(website="")
                | Q(website__istartswith="http://")
                | Q(website__istartswith="https://"),
                name="host_website_is_http",
            )
        ]

    def __str__(self) -> str:
        return self.name


class FieldProject(models.Model):
    """A resident team's four-week project for a host, in the last weeks of the residency.

    ``host_token`` is the secret in the host's feedback link: whoever holds it reads the
    milestones and leaves feedback without signing in. Staff replace it to shut an old link.
    """

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="field_projects")
    host = models.ForeignKey(HostOrganization, on_delete=models.PROTECT, related_name="projects")
    title = models.CharField(max_length=200)
    summary = models.TextField()
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="field_projects", blank=True
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentored_field_projects",
    )
    start_date = models.DateField()
    host_token = models.CharField(max_length=64, unique=True, default=new_host_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "title"], name="project_title_unique_in_cohort"
            )
        ]

    def __str__(self) -> str:
        return self.title


class MilestoneKind(models.IntegerChoices):
    """The four weeks of a field project, in order."""

    SCOPING = 1, "Scoping"
    PROTOTYPE = 2, "Prototype"
    USER_TESTING = 3, "User testing"
    HAND_OFF = 4, "Hand-off"


class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    BLOCKED = "blocked", "Blocked"


class Milestone(models.Model):
    """One week of a field project, with what the team delivered and what the host said."""

    project = models.ForeignKey(FieldProject, on_delete=models.CASCADE, related_name="milestones")
    kind = models.PositiveSmallIntegerField(choices=MilestoneKind.choices)
    due_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=MilestoneStatus.choices, default=MilestoneStatus.NOT_STARTED
    )
    host_feedback = models.TextField(blank=True, max_length=HOST_FEEDBACK_MAX)
    host_feedback_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["project", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="one_milestone_per_kind"),
            models.CheckConstraint(
                condition=Q(kind__gte=1) & Q(kind__lte=4), name="milestone_kind_1_to_4"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("host_feedback"), HOST_FEEDBACK_MAX),
                name="host_feedback_length_limited",
            ),
            models.CheckConstraint(
                condition=Q(host_feedback="", host_feedback_at__isnull=True)
                | (~Q(host_feedback="") & Q(host_feedback_at__isnull=False)),
                name="host_feedback_has_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.get_kind_display()}"


class DeliverableLink(models.Model):
    """A link to something the team made for a milestone: a repository, a demo, a document."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="links")
    url = WebLinkField(max_length=500)
    label = models.CharField(max_length=120, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            # A javascript: or data: link must never reach a page, whoever writes the row.
            models.CheckConstraint(
                condition=Q(url__istartswith="http://") | Q(url__istartswith="https://"),
                name="deliverable_link_is_http",
            )
        ]

    def __str__(self) -> str:
        return self.label or self.url
