"""The demo residency's notebook assignments, and sample submissions to them.

The nbgrader source notebooks live in ``demo_notebooks/<name>/<name>.ipynb`` next to this
module, with any supporting files beside them. Each assignment opens on its week's Monday
at 8:00 and is due that Friday at 17:00, in the program's time zone, and is linked to the
week page and to the lesson whose notebook block names it. That block sits on Monday's
lesson (``weeks/*.toml``), which opens at the same 8:00, so on any day of the week the
set's card is on a lesson residents can already read. Both loaders look for what is
already there first, so they can run again.
"""

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import nbformat
from django.conf import settings
from django.utils import timezone

from courses.models import LessonPage, SyllabusPage, WeekPage
from lms.cohorts.models import Cohort
from lms.cohorts.selectors import cohort_week_start

from .models import Assignment, AssignmentFile, Submission
from .services import assignment_create, rubric_criterion_add, submission_create

ASSIGNMENTS_DIR = Path(__file__).parent / "demo_notebooks"
# Assignment name -> the residency week it belongs to.
DEMO_ASSIGNMENTS = {
    "ps1-python-basics": 1,
    "ps2-functions": 2,
    "ps3-food-bank-pandas": 3,
    "ps4-sql-joins": 4,
    "ps5-schema-design": 5,
    "ps6-accessible-page": 6,
}
# Rubrics for the written answers mentors read: (criterion, points), per assignment and cell.
DEMO_RUBRICS = {
    "ps1-python-basics": {
        "texting-consent": [
            ("Asks before the first text, for what, at which number", 1),
            ("Every message says who sends it and how to stop", 1),
        ],
    },
    "ps6-accessible-page": {
        "keyboard-walkthrough": [
            ("Describes the focus order and whether it matches the screen", 1),
            ("Says whether the focus is always visible", 1),
            ("Names one concrete fix and who it helps", 1),
        ],
    },
}
RELEASE_TIME = datetime.time(8, 0)  # Monday
DUE_TIME = datetime.time(17, 0)  # Friday
SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")

# A common mistake for one exercise of each assignment, as a resident might hand it in.
MISTAKES = {
    "ps1-python-basics": {
        "pounds-to-meals": (
            "def pounds_to_meals(pounds):\n"
            '    """How many whole meals ``pounds`` of donated food makes."""\n'
            "    return round(pounds / POUNDS_PER_MEAL)"
        ),
    },
    "ps2-functions": {
        "needs-driver": (
            "def needs_driver(requests):\n"
            '    """Ids of the open requests that need a driver, sorted."""\n'
            "    ids = []\n"
            "    for request in requests:\n"
            '        if request["needs_driver"]:\n'
            '            ids.append(request["id"])\n'
            "    return sorted(ids)"
        ),
    },
    "ps3-food-bank-pandas": {
        "short-staffed": (
            "def short_staffed(visits, limit=20):\n"
            '    """Distributions with more than ``limit`` households per volunteer, by date."""\n'
            '    visits = visits.dropna(subset=["volunteers"]).copy()\n'
            '    visits["households_per_volunteer"] = visits["households"] / visits["volunteers"]\n'
            '    return visits[visits["households_per_volunteer"] >= limit].sort_values("date")'
        ),
    },
    "ps4-sql-joins": {
        "no-requests": (
            'NO_REQUESTS_SQL = """\n'
            "SELECT DISTINCT b.name\n"
            "FROM buildings AS b\n"
            "LEFT JOIN tenants AS t ON t.building_id = b.id\n"
            "LEFT JOIN repair_requests AS r ON r.tenant_id = t.id\n"
            "WHERE r.id IS NULL\n"
            "ORDER BY b.name\n"
            '"""\n'
            "conn.execute(NO_REQUESTS_SQL).fetchall()"
        ),
    },
    "ps5-schema-design": {
        "textable-volunteers": (
            "def textable_volunteers(conn, neighborhood):\n"
            "    rows = conn.execute(\n"
            '        "SELECT v.name FROM volunteers AS v JOIN consents AS c ON c.volunteer_id = v.id"\n'
            "        \" WHERE v.neighborhood = ? AND c.channel = 'sms' AND c.granted = 1\"\n"
            '        " ORDER BY v.name",\n'
            "        (neighborhood,),\n"
            "    ).fetchall()\n"
            "    return [name for (name,) in rows]"
        ),
    },
    "ps6-accessible-page": {
        "images-missing-alt": (
            "def images_missing_alt(html):\n"
            "    class Finder(HTMLParser):\n"
            "        def __init__(self):\n"
            "            super().__init__()\n"
            "            self.missing = []\n"
            "\n"
            "        def handle_starttag(self, tag, attrs):\n"
            '            if tag == "img" and not dict(attrs).get("alt"):\n'
            '                self.missing.append(dict(attrs).get("src"))\n'
            "\n"
            "    finder = Finder()\n"
            "    finder.feed(html)\n"
            "    return finder.missing"
        ),
    },
}


def _program_time(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, time, tzinfo=ZoneInfo(settings.TIME_ZONE))


def demo_assignment_dates(cohort: Cohort, week_number: int):
    """(release_at, due_at): the week's Monday at 8:00 and its Friday at 17:00."""
    monday = cohort_week_start(cohort=cohort, number=week_number)
    return (
        _program_time(monday, RELEASE_TIME),
        _program_time(monday + datetime.timedelta(days=4), DUE_TIME),
    )


def demo_assignment_files(name: str) -> dict[str, bytes]:
    """The source notebook and supporting files of one demo assignment, by relative path."""
    folder = ASSIGNMENTS_DIR / name
    return {
        path.name: path.read_bytes()
        for path in sorted(folder.iterdir())
        if path.is_file() and not path.name.startswith(".")
    }


def _lesson_naming(week: WeekPage, name: str) -> tuple[LessonPage | None, str]:
    """The lesson of ``week`` whose notebook block names the assignment, and the block's title."""
    for lesson in LessonPage.objects.child_of(week).order_by("path"):
        for block in lesson.body:
            if block.block_type == "notebook" and block.value["assignment"] == name:
                return lesson, block.value["title"]
    return None, ""


def demo_assignments_load(
    cohort: Cohort, *, now: datetime.datetime | None = None
) -> list[Assignment]:
    """Create the demo assignments of ``cohort`` that it does not have yet; return the new ones.

    Dates follow the cohort's calendar, not the clock: ``now`` is accepted so callers can
    pin time the same way as for ``demo_submissions_load``, and changes nothing here.
    """
    syllabus = SyllabusPage.objects.filter(cohort=cohort).first()
    weeks = {week.number: week for week in WeekPage.objects.child_of(syllabus)} if syllabus else {}
    existing = set(Assignment.objects.filter(cohort=cohort).values_list("name", flat=True))
    created = []
    for name, number in DEMO_ASSIGNMENTS.items():
        if name in existing:
            continue
        week = weeks.get(number)
        lesson, title = _lesson_naming(week, name) if week else (None, "")
        release_at, due_at = demo_assignment_dates(cohort, number)
        assignment = assignment_create(
            cohort=cohort,
            name=name,
            title=title,
            files=demo_assignment_files(name),
            release_at=release_at,
            due_at=due_at,
            week=week,
            lesson=lesson,
        )
        _demo_rubric_add(assignment)
        created.append(assignment)
    return created


def _demo_rubric_add(assignment: Assignment) -> None:
    source = nbformat.reads(
        bytes(
            AssignmentFile.objects.get(
                assignment=assignment, kind=AssignmentFile.Kind.SOURCE,
                path=f"{assignment.name}.ipynb",
            ).content
        ).decode(),
        as_version=4,
    )  # fmt: skip
    points = {_nbgrader(c).get("grade_id"): _nbgrader(c).get("points", 0) for c in source.cells}
    for grade_id, criteria in DEMO_RUBRICS.get(assignment.name, {}).items():
        for description, worth in criteria:
            rubric_criterion_add(
                assignment=assignment, notebook=assignment.name, grade_id=grade_id,
                description=description, points=worth, max_score=points[grade_id],
            )  # fmt: skip


def _without_markers(source: str) -> str:
    return "\n".join(
        line for line in source.splitlines() if line.strip() not in SOLUTION_MARKERS
    ).strip("\n")


def _nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def demo_answer_notebook(
    *, release: bytes, source: bytes, style: str = "correct", mistakes: dict | None = None
) -> bytes:
    """A resident's completed copy of a release notebook, answered from the source's solutions.

    ``style`` is "correct" (every answer from the solutions), "partial" (the first half of
    the code answers, the rest and the written answer left as released) or "mistake" (correct
    but for the answers in ``mistakes``, by grade id).
    """
    solutions = {
        _nbgrader(cell)["grade_id"]: cell.source
        for cell in nbformat.reads(source.decode(), as_version=4).cells
        if _nbgrader(cell).get("solution")
    }
    nb = nbformat.reads(release.decode(), as_version=4)
    code_answers = [
        cell for cell in nb.cells if _nbgrader(cell).get("solution") and cell.cell_type == "code"
    ]
    if style == "partial":
        code_answers = code_answers[: len(code_answers) // 2]
    answered = {_nbgrader(cell)["grade_id"] for cell in code_answers}
    for cell in nb.cells:
        meta = _nbgrader(cell)
        if not meta.get("solution"):
            continue
        grade_id = meta["grade_id"]
        if cell.cell_type == "markdown":
            if style != "partial":
                cell.source = solutions[grade_id].strip()
        elif style == "mistake" and grade_id in (mistakes or {}):
            cell.source = mistakes[grade_id]
        elif grade_id in answered:
            cell.source = _without_markers(solutions[grade_id])
    return nbformat.writes(nb).encode()


def _style_for(resident_index: int, assignment_index: int) -> str:
    """Most residents get everything right; some hand in half, some make a common mistake."""
    return {4: "partial", 5: "mistake"}.get((resident_index + assignment_index) % 6, "correct")


def demo_submissions_load(cohort: Cohort, *, now: datetime.datetime | None = None) -> int:
    """Hand in the demo assignments already due, for most of the cohort; return how many.

    For each assignment two residents have not submitted, one submitted a day late, and
    the rest handed in correct, partial or mistaken work before the deadline. Residents who
    already have a submission are left alone. Grading is queued as for any submission.
    """
    now = now or timezone.now()
    residents = [
        enrollment.resident
        for enrollment in cohort.enrollments.select_related("resident").order_by("id")
    ]
    count = len(residents)
    due = Assignment.objects.filter(
        cohort=cohort, name__in=DEMO_ASSIGNMENTS, due_at__lte=now
    ).order_by("due_at", "name")
    created = 0
    for assignment_index, assignment in enumerate(due):
        name = f"{assignment.name}.ipynb"
        files = {
            f.kind: bytes(f.content)
            for f in AssignmentFile.objects.filter(assignment=assignment, path=name)
        }
        if AssignmentFile.Kind.RELEASE not in files or AssignmentFile.Kind.SOURCE not in files:
            continue
        step = assignment_index * 5
        missing = {(step + 3) % count, (step + 9) % count} if count > 2 else set()
        late = (step + 6) % count if count else None
        already = set(
            Submission.objects.filter(assignment=assignment).values_list("resident_id", flat=True)
        )
        for index, resident in enumerate(residents):
            if index in missing or resident.pk in already:
                continue
            if index == late:
                submitted_at = min(assignment.due_at + datetime.timedelta(hours=27), now)
            else:
                hours_early = 2 + (index * 7 + assignment_index * 3) % 60
                submitted_at = assignment.due_at - datetime.timedelta(
                    hours=hours_early, minutes=index
                )
            answer = demo_answer_notebook(
                release=files[AssignmentFile.Kind.RELEASE],
                source=files[AssignmentFile.Kind.SOURCE],
                style=_style_for(index, assignment_index),
                mistakes=MISTAKES.get(assignment.name),
            )
            submission_create(
                assignment=assignment,
                resident=resident,
                files={name: answer},
                submitted_at=submitted_at,
            )
            created += 1
    return created
