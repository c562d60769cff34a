"""Where a cohort is stuck on one assignment: each autograded test cell's pass rate, the failure
messages residents hit most often, and who has not passed it yet.

Read over the versions that count, as the grading policy picks them (``standings``): a
version a resident has since replaced says nothing about where they are now. Only counting
versions that are graded are read, in a fixed number of queries whatever the cohort's size.
"""

import datetime
import json
import re
from collections import Counter
from dataclasses import dataclass, field

from django.urls import reverse

from lms.cohorts.selectors import cohort_residents

from .. import policy
from ..grading.nbgrader_adapter import AUTOGRADED_TEST
from ..models import Assignment, AssignmentFile, CellGrade
from .standings import standings

#: How many distinct failure messages a cell lists, most common first.
TOP_FAILURES = 5
#: Longest failure message shown; error values can be whole data frames.
MESSAGE_LENGTH = 200
NO_MESSAGE = "No error message"

# "ErrorName: message" as the grader stores an error output; the name ends as Python's own do.
_ERROR_LINE = re.compile(
    r"^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Iteration|Warning)):[ \t]*(.*?)\s*$",
    re.MULTILINE,
)
# What differs between two runs of the same mistake: memory addresses, scratch folders, colours.
_ADDRESS = re.compile(r"\b0x[0-9a-fA-F]+\b")
_SCRATCH = re.compile(r"\btmp[\w-]{6,}")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_SPACE = re.compile(r"\s+")


def failure_message(output: str) -> str:
    """The message one failing cell's output comes down to, so the same mistake groups together.

    The last "ErrorName: message" line (the error that stopped the test), else the last line
    printed; memory addresses and scratch folders are blanked and the length is capped.
    """
    text = _ANSI.sub("", output or "")
    errors = list(_ERROR_LINE.finditer(text))
    if errors:
        name, value = errors[-1].groups()
        message = f"{name}: {value}" if value else name
    else:
        lines = [line for line in text.splitlines() if line.strip()]
        message = lines[-1] if lines else NO_MESSAGE
    message = _SPACE.sub(" ", _SCRATCH.sub("tmp…", _ADDRESS.sub("0x…", message))).strip()
    if len(message) > MESSAGE_LENGTH:
        message = message[: MESSAGE_LENGTH - 1].rstrip() + "…"
    return message


@dataclass(frozen=True)
class Failure:
    """One failure message and how many residents' counting versions end with it."""

    message: str
    count: int

    @property
    def left_blank(self) -> bool:
        """nbgrader's released answer cells raise NotImplementedError until someone answers."""
        return self.message.startswith("NotImplementedError")


@dataclass(frozen=True)
class StuckResident:
    """A resident whose counting version does not pass a test cell, and where to look at it."""

    name: str
    username: str
    url: str


@dataclass
class StuckCell:
    """One autograded test cell across the cohort's graded counting versions."""

    notebook: str
    grade_id: str
    graded: int = 0
    passed: int = 0
    hidden: bool = False
    failures: list[Failure] = field(default_factory=list)
    #: Distinct failure messages beyond the ``TOP_FAILURES`` listed.
    other_failures: int = 0
    stuck: list[StuckResident] = field(default_factory=list)

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.graded if self.graded else None

    @property
    def percent(self) -> int:
        """Whole percent passed, rounded down: 199 of 200 is 99%, never a full bar."""
        return self.passed * 100 // self.graded if self.graded else 0


@dataclass
class StuckCells:
    """An assignment's test cells in notebook order, with how many residents they are read over."""

    assignment: Assignment
    residents: int
    graded: int
    cells: list[StuckCell]


def _passed(auto_score: float | None, max_score: float) -> bool:
    return auto_score is not None and auto_score >= max_score


def _notebook_order(assignment: Assignment) -> dict[tuple[str, str], int]:
    """Each graded cell's place in its release notebook, by (notebook, grade id).

    Stored cell grades follow nbgrader's gradebook, whose cell ids are not in notebook order;
    the release notebooks residents work in are.
    """
    places = {}
    files = AssignmentFile.objects.filter(
        assignment=assignment, kind=AssignmentFile.Kind.RELEASE, path__endswith=".ipynb"
    ).values_list("path", "content")
    for path, content in files:
        try:
            cells = json.loads(bytes(content)).get("cells", [])
        except (ValueError, AttributeError):
            continue
        for index, cell in enumerate(cells):
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if grade_id:
                places[(path.removesuffix(".ipynb"), grade_id)] = index
    return places


def stuck_cells(*, assignment: Assignment, now: datetime.datetime | None = None) -> StuckCells:
    """Each autograded test cell of ``assignment``: how many residents' graded counting versions
    pass it, their most common failure messages and who is stuck, in six queries (seven when
    ``assignment.cohort`` is not loaded yet).

    Staff read hidden tests' messages too (the cell is marked hidden): residents never see
    this page.
    """
    cohort = assignment.cohort
    residents = cohort_residents(cohort=cohort)
    grid = standings(cohort=cohort, residents=residents, now=now)
    column = next(i for i, a in enumerate(grid.assignments) if a.pk == assignment.pk)
    by_grading = {}
    for resident in residents:
        counting = grid.of(resident.pk)[column].submission
        if counting is not None and counting.status == policy.GRADED:
            by_grading[counting.grading_id] = resident
    rows = (
        CellGrade.objects.filter(grading_id__in=list(by_grading), kind=AUTOGRADED_TEST)
        .order_by("notebook", "id")
        .values_list(
            "grading_id", "notebook", "grade_id", "auto_score", "max_score", "hidden_tests",
            "output",
        )
    )  # fmt: skip
    cells: dict[tuple[str, str], StuckCell] = {}
    stored: dict[tuple[str, str], int] = {}
    messages: dict[tuple[str, str], Counter] = {}
    failing: dict[tuple[str, str], set[int]] = {}
    seen: Counter = Counter()
    for grading_id, notebook, grade_id, auto_score, max_score, hidden, output in rows:
        key = (notebook, grade_id)
        place = seen[(grading_id, notebook)]
        seen[(grading_id, notebook)] += 1
        stored[key] = min(stored.get(key, place), place)
        cell = cells.setdefault(key, StuckCell(notebook=notebook, grade_id=grade_id))
        cell.graded += 1
        cell.hidden = cell.hidden or hidden
        if _passed(auto_score, max_score):
            cell.passed += 1
            continue
        messages.setdefault(key, Counter())[failure_message(output)] += 1
        failing.setdefault(key, set()).add(grading_id)
    for key, cell in cells.items():
        counts = sorted(messages.get(key, Counter()).items(), key=lambda item: (-item[1], item[0]))
        cell.failures = [Failure(message=m, count=n) for m, n in counts[:TOP_FAILURES]]
        cell.other_failures = max(0, len(counts) - TOP_FAILURES)
        stuck_ids = failing.get(key, set())
        cell.stuck = [
            StuckResident(
                name=resident.get_full_name() or resident.username,
                username=resident.username,
                url=reverse(
                    "assignments:review", args=[cohort.slug, resident.username, assignment.name]
                ),
            )
            for grading_id, resident in by_grading.items()
            if grading_id in stuck_ids
        ]
    # Notebook order where the release notebook has the cell; after those, in the order stored.
    places = _notebook_order(assignment) if cells else {}
    ordered = sorted(
        cells,
        key=lambda key: (key[0], 0, places[key]) if key in places else (key[0], 1, stored[key]),
    )
    return StuckCells(
        assignment=assignment,
        residents=len(residents),
        graded=len(by_grading),
        cells=[cells[key] for key in ordered],
    )
