from django.conf import settings
from django.db import models


class Rsvp(models.Model):
    """A person's answer to a seminar or alumni weekend, and whether they came.

    One row per person and event: cancelling and coming back reuses it. ``requested_at`` is
    when they last asked for a place, which orders the waitlist (first come, first promoted).
    """

    class Status(models.TextChoices):
        GOING = "going", "Going"
        WAITLISTED = "waitlisted", "On the waitlist"
        CANCELLED = "cancelled", "Cancelled"

    class Attended(models.TextChoices):
        UNKNOWN = "unknown", "Not marked"
        YES = "yes", "Came"
        NO = "no", "Did not come"

    event = models.ForeignKey("courses.SeminarPage", on_delete=models.CASCADE, related_name="rsvps")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rsvps"
    )
    status = models.CharField(max_length=12, choices=Status.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    requested_at = models.DateTimeField()
    attended = models.CharField(max_length=8, choices=Attended.choices, default=Attended.UNKNOWN)
    attendance_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    attendance_marked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"], name="one_rsvp_per_person_and_event"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["going", "waitlisted", "cancelled"]),
                name="rsvp_status_is_known",
            ),
            models.CheckConstraint(
                condition=models.Q(attended__in=["unknown", "yes", "no"]),
                name="rsvp_attended_is_known",
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.person} {self.status} for {self.event_id}"
