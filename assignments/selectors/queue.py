"""How the grading queue is doing for a cohort: what waits, what runs, what is overdue for a result."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from ..models import Grading

#: A hand-in waiting longer than this for a worker is overdue: the workers are down or swamped.
QUEUED_TOO_LONG = datetime.timedelta(minutes=10)


@dataclass(frozen=True)
class QueueHealth:
    queued: int
    running: int
    overdue: int

    @property
    def busy(self) -> bool:
        return bool(self.queued or self.running)


def grading_queue_health(*, cohort, now: datetime.datetime | None = None) -> QueueHealth:
    """Counts of the cohort's hand-ins waiting for a worker, being graded, and overdue, in one query.

    Overdue means no result is coming by itself soon: a grading whose lease ran
    out (its worker died; a worker will queue it again) or one that waited for
    a worker longer than ``QUEUED_TOO_LONG`` (no worker runs, or too few).
    Staff see it on the gradebook so a stalled queue is noticed before residents ask.
    """
    now = now or timezone.now()
    queued, running = Q(status=Grading.Status.QUEUED), Q(status=Grading.Status.RUNNING)
    counts = Grading.objects.filter(
        queued | running, submission__assignment__cohort=cohort
    ).aggregate(
        queued=Count("pk", filter=queued),
        running=Count("pk", filter=running),
        overdue=Count(
            "pk",
            filter=(running & Q(lease_expires_at__lt=now))
            | (queued & Q(queued_at__lt=now - QUEUED_TOO_LONG)),
        ),
    )
    return QueueHealth(**counts)
