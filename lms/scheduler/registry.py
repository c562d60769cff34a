"""Jobs the scheduler runs each minute; apps register theirs when Django starts."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

JobFunction = Callable[[datetime.datetime], int | None]


@dataclass(frozen=True)
class Job:
    name: str
    run: JobFunction
    description: str = ""


_jobs: dict[str, Job] = {}


def job_register(name: str, run: JobFunction, description: str = "") -> None:
    """Run ``run(now)`` every scheduler tick. Registering a name again replaces the job."""
    _jobs[name] = Job(name=name, run=run, description=description)


def registered_jobs() -> list[Job]:
    """The jobs in the order they were registered (apps' order in INSTALLED_APPS)."""
    return list(_jobs.values())
