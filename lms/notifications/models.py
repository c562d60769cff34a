from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    """The kinds of e-mail the residency sends; each person can turn each off."""

    DUE_SOON = "due_soon", "Assignments due soon"
    FEEDBACK = "feedback", "Feedback released"
    EVENT_REMINDER = "event_reminder", "Seminar and event reminders"
    BOOKING = "booking", "Office-hours bookings and cancellations"
    PLACEMENT_NUDGE = "placement_nudge", "Job-search cards that have not moved for two weeks"
    ANNOUNCEMENT = "announcement", "Announcements from staff and instructors"
    ANSWER = "answer", "Answers to your questions"


class OptOut(models.Model):
    """A person does not want e-mail of one kind."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_opt_outs"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_opt_out_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user} opts out of {self.kind}"


class Notification(models.Model):
    """One message to one person: written before it is e-mailed, so a reminder goes out once.

    It is also the person's notification centre: ``url`` is the LMS path it is about and
    ``read_at`` is set when they open it there (or mark everything read).

    ``key`` names what it is about (``"assignment-12"``); with the user and kind it is unique,
    so the scheduler can run every minute and a worker can retry without sending twice.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    key = models.CharField(max_length=120)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=300, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "key"], name="one_notification_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.user}: {self.subject}"
