import logging

from django.utils import timezone

from .registry import registered_jobs

logger = logging.getLogger(__name__)


def scheduled_jobs_run(*, now=None) -> dict[str, int | None | Exception]:
    """Run every registered job once; one job failing never keeps the others from running.

    Returns what each job returned (a count of what it did) or the exception it raised.
    """
    now = now or timezone.now()
    results: dict[str, int | None | Exception] = {}
    for job in registered_jobs():
        try:
            results[job.name] = job.run(now)
        except Exception as error:
            logger.exception("Scheduled job %s failed", job.name)
            results[job.name] = error
    return results
