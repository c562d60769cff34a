"""The gradebook's cells, rendered in Python: 8,000 of them through template tags cost 300 ms."""

from django import template
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime

from assignments.policy import State as CellState

register = template.Library()


def _number(value: float) -> str:
    return f"{value:g}"


def _cell(cell) -> tuple:
    notes = [cell.state.label]
    flags = []
    if cell.state == CellState.NEEDS_MANUAL:
        flags.append(("flag", "needs grader"))
    if cell.late:
        notes.append("late")
        flags.append(("flag flag--amber", "late"))
    if cell.extension:
        notes.append(f"extension to {date_format(localtime(cell.due_at), 'M j, g:i A')}")
        flags.append(("flag", "ext."))
    if cell.versions > 1:
        notes.append(f"{cell.versions} versions")
    if cell.score is not None:
        shown = format_html("<strong>{}</strong>", _number(cell.score))
    else:
        shown = cell.state.label
    return (
        cell.state.value,
        " · ".join(notes),
        shown,
        format_html_join("", '<span class="{}">{}</span>', flags),
    )


@register.simple_tag
def gradebook_cells(row, cohort) -> str:
    """A resident's row of cells: state as a class and a word, score, flags, a link to the hand-in."""
    base = reverse("reporting:gradebook", args=[cohort.slug])
    return format_html_join(
        "",
        '<td class="cell cell--{}" title="{}">{}{}</td>',
        (_linked(_cell(cell), cell, f"{base}{row.resident.username}/") for cell in row.cells),
    )


def _linked(parts: tuple, cell, base: str) -> tuple:
    if cell.submission is None:
        return parts
    state, title, shown, flags = parts
    link = format_html('<a href="{}{}/">{}</a>', base, cell.assignment.name, shown)
    return state, title, link, flags
