"""The one place the project writes CSV: streamed, and safe to open in a spreadsheet.

Every text cell that a spreadsheet would read as a formula (``=``, ``+``, ``-``,
``@``, a tab or a carriage return first) is written with a leading apostrophe;
numbers stay numbers.
"""

import csv
from collections.abc import Iterable, Sequence

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A cell value a spreadsheet shows as typed: text that starts like a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


class _Line:
    """A file-like object whose ``write`` returns what it was given, for streaming csv rows."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence]) -> Iterable[str]:
    """The header and each row as CSV text, one line at a time, every cell made spreadsheet-safe."""
    writer = csv.writer(_Line())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([spreadsheet_safe(value) for value in row])


def dict_rows(columns: Sequence[str], rows: Iterable[dict]) -> Iterable[list]:
    """Dicts as lists in ``columns`` order; a missing key is an empty cell."""
    for row in rows:
        yield [row.get(column, "") for column in columns]


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]):
    """A streamed CSV download: large cohorts start arriving before the last row is computed."""
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
