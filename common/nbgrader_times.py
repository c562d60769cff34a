"""Times as nbgrader writes them, so the exchange and exports read like stock nbgrader's."""

import datetime

NBGRADER_TIMESTAMP = "%Y-%m-%d %H:%M:%S.%f UTC"


def exchange_timestamp(moment: datetime.datetime) -> str:
    """A submission's time as nbgrader's exchange writes it, in UTC: ``2015-02-02 22:58:23.948203 UTC``."""
    return moment.astimezone(datetime.UTC).strftime(NBGRADER_TIMESTAMP)


def exchange_time(text: str) -> datetime.datetime:
    """The aware UTC time of an exchange timestamp; the inverse of ``exchange_timestamp``."""
    return datetime.datetime.strptime(text, NBGRADER_TIMESTAMP).replace(tzinfo=datetime.UTC)


def export_timestamp(moment: datetime.datetime | None) -> str:
    """A time as nbgrader's CSV export writes it: naive UTC, ``2015-02-02 22:58:23.948203``."""
    if moment is None:
        return ""
    return str(moment.astimezone(datetime.UTC).replace(tzinfo=None))
