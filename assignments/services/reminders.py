"""Reminders: an e-mail to residents who have not handed in work due within a day."""

import datetime

from django.urls import reverse
from django.utils import timezone

from lms.notifications.models import Kind
from lms.notifications.services import notify

from .. import policy
from ..models import Assignment

DUE_SOON_WINDOW = datetime.timedelta(hours=24)


def due_soon_notify(*, now: datetime.datetime | None = None) -> int:
    """E-mail residents who have not handed in work due within a day; once per due time.

    Run every minute by the scheduler. A resident's extension is their due time, and a new
    due time (a moved deadline, an extension) earns a new reminder.
    """

    now = now or timezone.now()
    sent = 0
    assignments = Assignment.objects.filter(
        release_at__lte=now, due_at__gt=now - datetime.timedelta(days=30)
    ).select_related("cohort")
    for assignment in assignments:
        extensions = {e.resident_id: e.due_at for e in assignment.extensions.all()}
        handed_in = set(assignment.submissions.values_list("resident_id", flat=True))
        for enrollment in assignment.cohort.enrollments.select_related("resident"):
            resident = enrollment.resident
            due = policy.due_time(
                due_at=assignment.due_at, extension_due_at=extensions.get(resident.pk)
            )
            if resident.pk in handed_in or not now < due <= now + DUE_SOON_WINDOW:
                continue
            title = assignment.title or assignment.name
            when = timezone.localtime(due)
            sent += bool(
                notify(
                    user=resident,
                    kind=Kind.DUE_SOON,
                    key=f"due-{assignment.pk}-{due:%Y%m%d%H%M}",
                    subject=f"{title} is due {when:%a %-I:%M %p}",
                    body=f"{title} ({assignment.name}) is due {when:%A %b %-d at %-I:%M %p} and we "
                    "have no hand-in from you yet. Submit from JupyterLab's Assignments panel; you "
                    "can hand in again until the deadline.\n\nStuck? Book office hours or ask your mentor.",
                    url=reverse("assignments:progress"),
                )
            )
    return sent
