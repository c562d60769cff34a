import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

SLOT_MIN_MINUTES, SLOT_MAX_MINUTES = 15, 60


class Slot(models.Model):
    """Time an alumna, alumnus or staff member offers for one resident to book.

    A cancelled slot is kept (with ``cancelled_at``) so the booker's history still shows it.
    """

    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="office_hour_slots"
    )
    starts_at = models.DateTimeField()
    length_minutes = models.PositiveSmallIntegerField(default=30)
    topic = models.CharField(max_length=200, help_text="What you can help with.")
    location = models.CharField(max_length=200, blank=True)
    call_link = models.URLField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(length_minutes__gte=SLOT_MIN_MINUTES)
                & Q(length_minutes__lte=SLOT_MAX_MINUTES),
                name="office_hour_slot_15_to_60_minutes",
            ),
            models.CheckConstraint(
                condition=~Q(location="") | ~Q(call_link=""),
                name="office_hour_slot_has_a_place",
            ),
        ]
        indexes = [models.Index(fields=["starts_at"]), models.Index(fields=["host", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.host} at {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.length_minutes)

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class Booking(models.Model):
    """A resident's booking of a slot, with what they want help with.

    A slot holds one active booking; the database refuses a second one even when two
    people press "Book" at the same moment. Cancelled bookings stay for the record.
    """

    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="bookings")
    booker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="office_hour_bookings"
    )
    note = models.CharField(max_length=500, help_text="What you would like help with.")
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cancel_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["slot__starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(cancelled_at__isnull=True),
                name="one_active_booking_per_slot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booker} books {self.slot}"

    @property
    def is_active(self) -> bool:
        return self.cancelled_at is None
