"""After graduation: openings at partner organizations, graduates' profiles, the job-search
pipeline, the jobs graduates take, and whether they are still in work at eight months."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from lms.fieldwork.models import HostOrganization, WebLinkField

NOTES_MAX = 2000


def new_partner_token() -> str:
    """A link secret nobody can guess: 32 URL-safe characters, 192 bits."""
    return secrets.token_urlsafe(24)


class RoleKind(models.TextChoices):
    """What kind of work an opening is; funders ask for the split."""

    SOFTWARE = "software", "Software development"
    DATA = "data", "Data and analysis"
    IT = "it", "IT and support"
    DESIGN = "design", "Design and product"
    OTHER = "other", "Other technical work"


class WorkPlace(models.TextChoices):
    ON_SITE = "on_site", "On site"
    HYBRID = "hybrid", "Hybrid"
    REMOTE = "remote", "Remote"


class OpeningStatus(models.TextChoices):
    PENDING = "pending", "Waiting for staff"
    APPROVED = "approved", "Open to residents"
    DECLINED = "declined", "Declined"


class PartnerLink(models.Model):
    """The private link a partner organization submits openings through, without an account.

    Whoever holds ``token`` may submit openings for this organization and read the profiles
    graduates chose to share with it. Staff replace the token to shut an old link.
    """

    organization = models.OneToOneField(
        HostOrganization, on_delete=models.CASCADE, related_name="partner_link"
    )
    token = models.CharField(max_length=64, unique=True, default=new_partner_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Partner link of {self.organization}"


class Opening(models.Model):
    """A paid job at a partner organization. Residents see it once staff approve it."""

    organization = models.ForeignKey(
        HostOrganization, on_delete=models.PROTECT, related_name="openings"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField("Kind of role", max_length=20, choices=RoleKind.choices)
    workplace = models.CharField(
        "On site or remote", max_length=10, choices=WorkPlace.choices, default=WorkPlace.ON_SITE
    )
    location = models.CharField(max_length=150, blank=True, help_text="Town or neighborhood.")
    salary_min = models.PositiveIntegerField("Salary from (USD a year)", null=True, blank=True)
    salary_max = models.PositiveIntegerField("Salary to (USD a year)", null=True, blank=True)
    link = WebLinkField("Link to the posting", max_length=500, blank=True)
    closes_on = models.DateField("Closing date", null=True, blank=True)
    description = models.TextField(blank=True, max_length=NOTES_MAX)
    contact_name = models.CharField(max_length=150)
    contact_email = models.EmailField()
    status = models.CharField(
        max_length=10, choices=OpeningStatus.choices, default=OpeningStatus.PENDING
    )
    from_partner = models.BooleanField(default=False, help_text="Sent through the partner's link.")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["closes_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True)
                | Q(salary_max__isnull=True)
                | Q(salary_min__lte=F("salary_max")),
                name="opening_salary_range_in_order",
            ),
            models.CheckConstraint(
                condition=Q(link="")
                | Q(link__istartswith="http://")
                | Q(link__istartswith="https://"),
                name="opening_link_is_http",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} at {self.organization}"


class Profile(models.Model):
    """What a graduate says about themselves to employers, written by them.

    Read by staff and their mentor; a partner reads it only through an application the
    graduate chose to share it with. Grades appear only with ``show_grades``.
    """

    resident = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="placement_profile"
    )
    headline = models.CharField(max_length=150, blank=True, help_text="One line about you.")
    skills = models.TextField(blank=True, max_length=NOTES_MAX)
    looking_for = models.TextField("What you want", blank=True, max_length=NOTES_MAX)
    where = models.CharField(
        "Where you can work", max_length=200, blank=True, help_text="Towns, remote, hybrid…"
    )
    portfolio_url = WebLinkField("Portfolio", max_length=500, blank=True)
    code_url = WebLinkField("Code (GitHub, GitLab, Codeberg…)", max_length=500, blank=True)
    show_field_project = models.BooleanField("Show my field project", default=True)
    show_grades = models.BooleanField("Show my residency grades", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(portfolio_url="")
                    | Q(portfolio_url__istartswith="http://")
                    | Q(portfolio_url__istartswith="https://")
                )
                & (
                    Q(code_url="")
                    | Q(code_url__istartswith="http://")
                    | Q(code_url__istartswith="https://")
                ),
                name="profile_links_are_http",
            )
        ]

    def __str__(self) -> str:
        return f"Profile of {self.resident}"


class Stage(models.TextChoices):
    """Where an application stands. The first five are the way forward; the last two end it."""

    INTERESTED = "interested", "Interested"
    APPLIED = "applied", "Applied"
    INTERVIEWING = "interviewing", "Interviewing"
    OFFER = "offer", "Offer"
    PLACED = "placed", "Placed"
    WITHDRAWN = "withdrawn", "Withdrawn"
    CLOSED = "closed", "Closed"


ACTIVE_STAGES = (Stage.INTERESTED, Stage.APPLIED, Stage.INTERVIEWING, Stage.OFFER)
FINAL_STAGES = (Stage.PLACED, Stage.WITHDRAWN, Stage.CLOSED)


class Application(models.Model):
    """One card on a graduate's pipeline: a job they are after, at an opening or elsewhere."""

    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    opening = models.ForeignKey(
        Opening, on_delete=models.SET_NULL, null=True, blank=True, related_name="applications"
    )
    organization_name = models.CharField("Organization", max_length=200)
    title = models.CharField("Role", max_length=200)
    stage = models.CharField(max_length=15, choices=Stage.choices, default=Stage.INTERESTED)
    stage_since = models.DateField(help_text="The day the card reached its stage.")
    interview_at = models.DateTimeField(null=True, blank=True)
    share_profile = models.BooleanField("Share my profile with this organization", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["stage_since", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stage__in=[stage.value for stage in Stage]),
                name="application_stage_known",
            )
        ]
        indexes = [models.Index(fields=["stage", "stage_since"])]

    def __str__(self) -> str:
        return f"{self.resident}: {self.title} at {self.organization_name}"


class StageChange(models.Model):
    """A card's history: each move, with its day, who made it, and a note."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="changes")
    stage = models.CharField(max_length=15, choices=Stage.choices)
    on = models.DateField()
    note = models.TextField(blank=True, max_length=NOTES_MAX)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.application}: {self.stage} on {self.on}"


class Hours(models.TextChoices):
    FULL_TIME = "full_time", "Full-time"
    PART_TIME = "part_time", "Part-time"


class SalaryBand(models.TextChoices):
    """Bands, not figures: what funders report, and what graduates are comfortable telling."""

    UNDER_40K = "under_40k", "Under $40,000"
    FROM_40K = "40k_55k", "$40,000 – $54,999"
    FROM_55K = "55k_70k", "$55,000 – $69,999"
    FROM_70K = "70k_85k", "$70,000 – $84,999"
    FROM_85K = "85k_up", "$85,000 or more"


class Job(models.Model):
    """A paid job a graduate took. A new job is a new record: the history is the outcome."""

    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs"
    )
    application = models.ForeignKey(
        Application, on_delete=models.SET_NULL, null=True, blank=True, related_name="jobs"
    )
    partner = models.ForeignKey(
        HostOrganization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organization_name = models.CharField("Organization", max_length=200)
    social_justice = models.BooleanField(
        "A social-justice organization",
        default=True,
        help_text="Partner organizations always count; say so for others.",
    )
    role = models.CharField(max_length=200)
    start_date = models.DateField()
    hours = models.CharField(max_length=10, choices=Hours.choices, default=Hours.FULL_TIME)
    salary_band = models.CharField(max_length=12, choices=SalaryBand.choices)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-pk"]

    def __str__(self) -> str:
        return f"{self.resident}: {self.role} at {self.organization_name}"


class RetentionAnswer(models.Model):
    """At the eight-month mark a graduate says whether they are still in paid work."""

    resident = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="retention_answer"
    )
    employed = models.BooleanField()
    answered_on = models.DateField()

    def __str__(self) -> str:
        return f"{self.resident}: {'employed' if self.employed else 'not employed'}"
