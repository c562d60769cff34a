"""How the project writes times and points: times as nbgrader writes them, so exports and the
exchange read like stock nbgrader's; points as a grader writes them."""

import datetime

NBGRADER_TIMESTAMP = "%Y-%m-%d %H:%M:%S.%f UTC"


def exchange_timestamp(moment: datetime.datetime) -> str:
    """A submission's time as nbgrader's exchange writes it, in UTC."""
    return moment.astimezone(datetime.UTC).strftime(NBGRADER_TIMESTAMP)


def export_timestamp(moment: datetime.datetime | None) -> str:
    """A time as nbgrader's CSV export writes it: naive UTC, ``2015-02-02 22:58:23.948203``."""
    if moment is None:
        return ""
    return str(moment.astimezone(datetime.UTC).replace(tzinfo=None))


def plain(value) -> str:
    """A number as a grader writes it: 2.5, 3, never 3.0."""
    return f"{value:g}" if isinstance(value, float) else str(value)
