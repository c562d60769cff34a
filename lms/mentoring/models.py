from django.conf import settings
from django.db import models
from django.db.models import Q

from lms.cohorts.models import MentorPairing

CONCERN_TEXT_MAX = 200
NOTES_MAX = 5000
RESOLUTION_NOTE_MAX = 500


class Channel(models.TextChoices):
    VIDEO = "video", "Video call"
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "Phone"
    CHAT = "chat", "Chat"


class CheckIn(models.Model):
    """One conversation between a mentor and their resident, as the mentor logged it.

    ``notes`` and the concern are private to the pairing's mentor and to staff: the
    resident never reads what their mentor wrote about them. A concern stays open until
    staff resolve it with a note of what they did.
    """

    pairing = models.ForeignKey(MentorPairing, on_delete=models.CASCADE, related_name="check_ins")
    met_on = models.DateField()
    channel = models.CharField(max_length=20, choices=Channel.choices)
    duration_minutes = models.PositiveSmallIntegerField()
    notes = models.TextField(blank=True, max_length=NOTES_MAX)
    concern = models.BooleanField(default=False)
    concern_text = models.CharField(max_length=CONCERN_TEXT_MAX, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resolved_check_in_concerns",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.CharField(max_length=RESOLUTION_NOTE_MAX, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-met_on", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["pairing", "met_on"], name="one_check_in_per_day"),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1) & Q(duration_minutes__lte=600),
                name="check_in_duration_1_to_600_minutes",
            ),
            models.CheckConstraint(
                condition=Q(concern=False) | ~Q(concern_text=""),
                name="check_in_concern_has_text",
            ),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | Q(concern=True),
                name="check_in_only_concerns_are_resolved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pairing} on {self.met_on}"

    @property
    def concern_open(self) -> bool:
        return self.concern and self.resolved_at is None
