"""Reads about e-mail choices and the notification centre."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from lms.people.models import User

from .models import Notification, OptOut

CENTRE_LENGTH = 50


def opted_out_kinds(*, user: User) -> set[str]:
    return set(OptOut.objects.filter(user=user).values_list("kind", flat=True))


def notifications_for(*, user: User, limit: int = CENTRE_LENGTH) -> QuerySet[Notification]:
    """What the platform sent ``user``, newest first: the notification centre's list."""
    return Notification.objects.filter(user=user).only(
        "id", "kind", "subject", "url", "read_at", "created_at"
    )[:limit]


def unread_count(*, user: User) -> int:
    """The bell's number: one indexed count."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_of(*, user: User, notification_id: int) -> Notification:
    """One of ``user``'s own notifications; anyone else's is a 404, so ids do not leak."""
    return get_object_or_404(Notification, pk=notification_id, user=user)
