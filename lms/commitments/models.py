"""Hours alumni give back after graduation: the post-residency commitment."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

MAX_HOURS_PER_ENTRY = Decimal(12)
QUARTER_HOURS = [Decimal(quarter) / 4 for quarter in range(1, 4 * 12 + 1)]


class HoursKind(models.TextChoices):
    COMMUNITY_CALL = "community_call", "Community call"
    MENTOR_CONTACT = "mentor_contact", "Time with your mentor"
    GUEST_INSTRUCTION = "guest_instruction", "Guest instruction"
    OFFICE_HOURS = "office_hours", "Office hours"
    MENTORING = "mentoring", "Mentoring a new resident"


class HoursEntry(models.Model):
    """Time an alumna gave on one day, of one kind.

    Hours are quarter-hour steps from 0.25 to 12; the database holds that rule too, so no
    path around the service can store 1.1 hours or a 20-hour day.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hours_entries"
    )
    date = models.DateField()
    kind = models.CharField(max_length=20, choices=HoursKind.choices)
    hours = models.DecimalField(max_digits=4, decimal_places=2)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name_plural = "hours entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__in=QUARTER_HOURS), name="hours_in_quarter_steps_up_to_12"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[kind.value for kind in HoursKind]), name="hours_kind_known"
            ),
        ]
        indexes = [models.Index(fields=["person", "date"])]

    def __str__(self) -> str:
        return f"{self.person} {self.hours}h {self.kind} on {self.date}"
