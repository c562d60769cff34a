from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel

COHORT_MUST_START_ON_MONDAY = "A cohort starts on a Monday; {day} is a {weekday}."


class Phase(models.TextChoices):
    UPCOMING = "upcoming", "Upcoming"
    RESIDENCY = "residency", "Residency"
    POST_RESIDENCY = "post_residency", "Post-residency"
    ALUMNI = "alumni", "Alumni"


class Cohort(ClusterableModel):
    """Residents who start on the same Monday and go through the program together.

    The phase is not stored: it follows from the start date, the length of the
    residency and the post-residency commitment (see ``selectors.cohort_phase``).
    """

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    start_date = models.DateField(help_text="The Monday of week 1.")
    weeks = models.PositiveSmallIntegerField(default=16)
    post_residency_months = models.PositiveSmallIntegerField(
        default=8, help_text="Months of the post-residency commitment after graduation."
    )
    residents = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Enrollment", related_name="cohorts"
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
        FieldRowPanel(
            [FieldPanel("start_date"), FieldPanel("weeks"), FieldPanel("post_residency_months")]
        ),
        InlinePanel("enrollments", heading="Residents", label="Resident"),
        InlinePanel("pairings", heading="Mentor pairings", label="Pairing"),
    ]

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weeks__gte=1) & Q(weeks__lte=52), name="cohort_weeks_between_1_and_52"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        if self.start_date and self.start_date.weekday() != 0:
            raise ValidationError(
                {
                    "start_date": COHORT_MUST_START_ON_MONDAY.format(
                        day=self.start_date, weekday=self.start_date.strftime("%A")
                    )
                }
            )


class Enrollment(models.Model):
    """A resident's place in a cohort; a resident belongs to one cohort."""

    cohort = ParentalKey(Cohort, on_delete=models.CASCADE, related_name="enrollments")
    resident = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrollment",
        limit_choices_to={"groups__name": "Residents"},
        help_text="One cohort per resident.",
    )
    enrolled_on = models.DateField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.resident} in {self.cohort}"


class MentorPairing(models.Model):
    """A mentor paired with a resident for the cohort's residency and post-residency."""

    cohort = ParentalKey(Cohort, on_delete=models.CASCADE, related_name="pairings")
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentees",
        limit_choices_to={"groups__name": "Mentors"},
    )
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentor_pairings",
        limit_choices_to={"groups__name": "Residents"},
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "resident"], name="one_mentor_per_resident"),
            models.CheckConstraint(
                condition=~Q(mentor=F("resident")), name="mentor_is_not_own_resident"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} mentors {self.resident}"
