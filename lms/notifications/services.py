"""Writes about e-mail: queue a notification once, send it from a worker, opt in and out,
and mark what a person has read in their notification centre."""

import uuid

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django_tasks import task

from lms.people.models import User

from .models import Kind, Notification, OptOut


def notify(
    *, user: User, kind: Kind, subject: str, body: str, key: str = "", url: str = ""
) -> Notification | None:
    """Queue an e-mail of ``kind`` to ``user`` unless they opted out or it was already sent.

    ``key`` says what the e-mail is about; the same user, kind and key are e-mailed once
    (leave it empty for a message that may repeat, such as a booking change). ``url`` is a
    path on the LMS, added to the body as a link. The e-mail is sent by a background task
    after the caller's transaction commits; returns the record, or None when nothing is sent.
    """
    if not user.is_active or not user.email:
        return None
    subject = Truncator(subject).chars(Notification._meta.get_field("subject").max_length)
    if OptOut.objects.filter(user=user, kind=kind).exists():
        return None
    if url:
        body = f"{body.rstrip()}\n\n{settings.LMS_BASE_URL.rstrip('/')}{url}"
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user,
                kind=kind,
                key=key or f"once-{uuid.uuid4()}",
                subject=subject,
                body=body,
                url=url if url.startswith("/") else "",
            )
    except IntegrityError:
        return None
    transaction.on_commit(lambda: send_notification_task.enqueue(notification.pk))
    return notification


def spoken_time(moment) -> str:
    """A moment as people write it in mail and messages: "Tuesday, November 24 at 4:00 PM"."""
    return date_format(timezone.localtime(moment), "l, F j \\a\\t g:i A")


def notification_send(*, notification_id: int) -> None:
    """Send one queued e-mail, with a footer that says how to stop this kind."""
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    if notification.status == Notification.Status.SENT:
        return
    footer = (
        f"\n\n—\nYou get this because of your place in {settings.LMS_PROGRAM_NAME}. "
        f"To stop “{notification.get_kind_display().lower()}” e-mails: "
        f"{settings.LMS_BASE_URL.rstrip('/')}{reverse('calendars:index')}"
    )
    message = EmailMessage(
        subject=f"[{settings.LMS_PROGRAM_NAME}] {notification.subject}",
        body=notification.body + footer,
        to=[notification.user.email],
    )
    try:
        message.send()
    except OSError as error:
        notification.status, notification.error = Notification.Status.FAILED, str(error)
        notification.save(update_fields=["status", "error"])
        raise
    notification.status, notification.sent_at = Notification.Status.SENT, timezone.now()
    notification.save(update_fields=["status", "sent_at"])


@transaction.atomic
def opt_outs_set(*, user: User, kinds: set[str]) -> None:
    """Make ``kinds`` exactly the kinds of e-mail ``user`` does not want."""
    kinds = {kind for kind in kinds if kind in Kind.values}
    OptOut.objects.filter(user=user).exclude(kind__in=kinds).delete()
    for kind in kinds:
        OptOut.objects.get_or_create(user=user, kind=kind)


def notification_mark_read(*, notification: Notification) -> Notification:
    """The person opened it from their notification centre; the first time is kept."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    """Everything ``user`` has not read yet is read now; returns how many."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notifications_mark_read_about(*, user: User, kind: Kind, keys: list[str]) -> int:
    """The person read what these notifications were about on its own page."""
    return Notification.objects.filter(
        user=user, kind=kind, key__in=keys, read_at__isnull=True
    ).update(read_at=timezone.now())


@task(priority=0, queue_name="feedback")
def send_notification_task(notification_id: int) -> None:
    """E-mail leaves the request, so a slow mail server never slows a page."""
    notification_send(notification_id=notification_id)
