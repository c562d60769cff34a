"""The residency's scheduled sessions (class days and community calls) and who was at each."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class SessionKind(models.TextChoices):
    CLASS_DAY = "class", "Class day"
    COMMUNITY_CALL = "call", "Community call"


class Session(models.Model):
    """One class day or community call of a cohort.

    ``scheduled_on`` is the day the schedule planned it for and never changes: it is how
    ``services.sessions_ensure`` knows a session exists even after staff moved its times.
    """

    cohort = models.ForeignKey("cohorts.Cohort", on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(max_length=10, choices=SessionKind.choices)
    scheduled_on = models.DateField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    cancelled = models.BooleanField(
        default=False, help_text="Cancelled sessions count for no one's attendance."
    )

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "kind", "scheduled_on"], name="one_session_per_kind_and_day"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_it_starts"
            ),
        ]
        indexes = [models.Index(fields=["cohort", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.scheduled_on} ({self.cohort})"


class Status(models.TextChoices):
    PRESENT = "present", "Present"
    LATE = "late", "Late"
    ABSENT = "absent", "Absent"
    EXCUSED = "excused", "Excused"


ATTENDED = (Status.PRESENT, Status.LATE)


class AttendanceMark(models.Model):
    """Whether one person was at one session, as staff recorded it."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="marks")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendance_marks"
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    note = models.CharField(
        max_length=200, blank=True, help_text="The resident sees this note on their own record."
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="one_mark_per_session"),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in Status]), name="mark_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.status} at {self.session}"
