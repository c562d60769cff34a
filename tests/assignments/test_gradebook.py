"""The staff gradebook: every cell's state, totals, the at-risk rule, and a bounded query count."""

import datetime

import pytest
from django.utils import timezone

from assignments.models import Assignment, Extension, Grading, LatePolicy, Submission
from lms.reporting.gradebook import AtRiskRule, CellState, cohort_overview
from tests.factories import resident_in

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _assignment(cohort, name, *, released_days_ago=7, due_in_days=-1, max_score=10, **extra):
    return Assignment.objects.create(
        cohort=cohort, name=name, title=name.upper(), max_score=max_score,
        release_at=NOW - datetime.timedelta(days=released_days_ago),
        due_at=NOW + datetime.timedelta(days=due_in_days), **extra,
    )  # fmt: skip


def _handed_in(assignment, resident, *, status="graded", score=None, late_seconds=0,
               manual=False, hours_before_due=1):  # fmt: skip
    version = Submission.objects.filter(assignment=assignment, resident=resident).count() + 1
    submission = Submission.objects.create(
        assignment=assignment, resident=resident, version=version, checksum="x",
        submitted_at=assignment.due_at - datetime.timedelta(hours=hours_before_due),
    )  # fmt: skip
    Grading.objects.create(
        submission=submission, status=status, queued_at=NOW, max_score=assignment.max_score,
        score=score if status == "graded" else None, raw_score=score,
        seconds_late=late_seconds, needs_manual_grading=manual,
    )  # fmt: skip
    return submission


def _states(overview, resident):
    row = next(r for r in overview.rows if r.resident == resident)
    return {cell.assignment.name: cell.state for cell in row.cells}


def test_each_cell_says_where_a_resident_stands(cohort):
    """Does the overview tell apart not released, open, missing, grading, manual, failed and graded?"""
    ana = resident_in(cohort, username="ana")
    future = _assignment(cohort, "future", released_days_ago=-2, due_in_days=5)
    open_now = _assignment(cohort, "open-now", due_in_days=3)
    missed = _assignment(cohort, "missed")
    waiting = _assignment(cohort, "waiting")
    manual = _assignment(cohort, "manual")
    broken = _assignment(cohort, "broken")
    done = _assignment(cohort, "done")
    _handed_in(waiting, ana, status="queued")
    _handed_in(manual, ana, score=6, manual=True)
    _handed_in(broken, ana, status="failed")
    _handed_in(done, ana, score=9, late_seconds=3600, hours_before_due=-1)

    states = _states(cohort_overview(cohort=cohort, now=NOW), ana)

    assert states == {
        future.name: CellState.NOT_RELEASED,
        open_now.name: CellState.OPEN,
        missed.name: CellState.MISSING,
        waiting.name: CellState.GRADING,
        manual.name: CellState.NEEDS_MANUAL,
        broken.name: CellState.FAILED,
        done.name: CellState.GRADED,
    }
    row = cohort_overview(cohort=cohort, now=NOW).rows[0]
    done_cell = next(c for c in row.cells if c.assignment == done)
    assert done_cell.late and done_cell.score == 9


def test_an_extension_moves_the_due_time_and_is_shown(cohort):
    """Is a resident with an extension 'open' rather than 'missing', and flagged as extended?"""
    ben = resident_in(cohort, username="ben")
    missed = _assignment(cohort, "missed")
    Extension.objects.create(
        assignment=missed, resident=ben, due_at=NOW + datetime.timedelta(days=2)
    )
    cell = cohort_overview(cohort=cohort, now=NOW).rows[0].cells[0]
    assert cell.state == CellState.OPEN and cell.extension


def test_under_the_zero_policy_the_on_time_version_counts(cohort):
    """Does a late resubmission leave the on-time grade standing under the zero policy?"""
    cy = resident_in(cohort, username="cy")
    strict = _assignment(cohort, "strict", late_policy=LatePolicy.ZERO)
    _handed_in(strict, cy, score=7)
    _handed_in(strict, cy, score=0, late_seconds=7200, hours_before_due=-2)
    cell = cohort_overview(cohort=cohort, now=NOW).rows[0].cells[0]
    assert cell.score == 7 and cell.versions == 2


def test_totals_per_resident_and_per_assignment(cohort):
    """Do a resident's totals count graded and missing work, and columns count states and means?"""
    dee, eve = resident_in(cohort, username="dee"), resident_in(cohort, username="eve")
    first, second = _assignment(cohort, "first"), _assignment(cohort, "second")
    _handed_in(first, dee, score=8)
    _handed_in(second, dee, score=4)
    _handed_in(first, eve, score=6)
    overview = cohort_overview(cohort=cohort, now=NOW)
    rows = {row.resident.username: row for row in overview.rows}
    assert (rows["dee"].earned, rows["dee"].possible, rows["dee"].percent) == (12, 20, 60.0)
    assert (rows["eve"].earned, rows["eve"].possible, rows["eve"].missing) == (6, 20, 1)
    first_column = overview.columns[0]
    assert first_column.counts[CellState.GRADED] == 2 and first_column.mean_score == 7


def test_at_risk_rule_flags_missing_work_and_low_recent_scores(cohort):
    """Are residents with two missing, or under 60% lately, flagged, with the reason, and is the rule tunable?"""
    fay, gil, hal = (resident_in(cohort, username=n) for n in ("fay", "gil", "hal"))
    one, two = _assignment(cohort, "one"), _assignment(cohort, "two")
    _handed_in(one, gil, score=5)
    _handed_in(two, gil, score=5)
    _handed_in(one, hal, score=10)
    _handed_in(two, hal, score=1)
    overview = cohort_overview(cohort=cohort, now=NOW)
    rows = {row.resident.username: row for row in overview.rows}
    assert rows["fay"].reasons[0] == "2 missing"
    assert rows["gil"].at_risk, "10 of 20 points lately is under 60%"
    assert rows["hal"].reasons == ["55% over the last 2 weeks"]
    assert "2 or more assignments missing" in overview.rule.describe()

    lenient = cohort_overview(cohort=cohort, now=NOW, rule=AtRiskRule(missing=3, percent=40))
    rows = {row.resident.username: row for row in lenient.rows}
    assert rows["fay"].reasons == ["0% over the last 2 weeks"], "missing work counts as zero"
    assert not rows["gil"].at_risk and not rows["hal"].at_risk


def test_query_count_does_not_grow_with_the_cohort(cohort, django_assert_num_queries):
    """Does the overview cost the same number of queries for 2 residents x 2 assignments as for 8 x 6?"""

    def build(residents, assignments, prefix):
        people = [resident_in(cohort, username=f"{prefix}{i}") for i in range(residents)]
        work = [_assignment(cohort, f"{prefix}-a{i}") for i in range(assignments)]
        for person in people:
            for piece in work[::2]:
                _handed_in(piece, person, score=5)
        Extension.objects.create(
            assignment=work[-1], resident=people[0], due_at=NOW + datetime.timedelta(days=1)
        )

    build(2, 2, "small")
    with django_assert_num_queries(6) as small:
        cohort_overview(cohort=cohort, now=NOW)
    build(8, 6, "large")
    with django_assert_num_queries(len(small.captured_queries)):
        overview = cohort_overview(cohort=cohort, now=NOW)
    assert len(overview.rows) == 10 and len(overview.columns) == 8


def test_only_staff_open_the_gradebook(client, cohort, staff):
    """Do residents and anonymous visitors stay out, while staff see every resident's row?"""
    ana = resident_in(cohort, username="ana")
    _handed_in(_assignment(cohort, "first"), ana, score=3)
    client.force_login(ana)
    assert client.get(f"/gradebook/{cohort.slug}/").status_code == 403
    client.logout()
    assert client.get(f"/gradebook/{cohort.slug}/").status_code == 302
    client.force_login(staff)
    page = client.get(f"/gradebook/{cohort.slug}/")
    assert page.status_code == 200
    assert b'data-resident="ana"' in page.content and b"cell--graded" in page.content


def test_gradebook_filters_by_week_state_name_and_risk(client, cohort, staff):
    """Do the filters narrow the grid to what staff asked for, and does the rule follow the form?"""
    ana = resident_in(cohort, username="ana", first_name="Ana", last_name="Ruiz")
    resident_in(cohort, username="bo", first_name="Bo", last_name="Chen")
    first, second = _assignment(cohort, "first"), _assignment(cohort, "second")
    _handed_in(first, ana, score=9)
    _handed_in(second, ana, score=9)
    client.force_login(staff)
    missing = client.get(f"/gradebook/{cohort.slug}/", {"state": "missing", "at_risk": "1"})
    assert b'data-resident="bo"' in missing.content
    assert b'data-resident="ana"' not in missing.content, "ana handed everything in"
    by_name = client.get(f"/gradebook/{cohort.slug}/", {"q": "ruiz"})
    assert (
        b'data-resident="ana"' in by_name.content and b'data-resident="bo"' not in by_name.content
    )
    tuned = client.get(
        f"/gradebook/{cohort.slug}/", {"missing": "5", "percent": "10", "attendance": "50"}
    )
    assert b"5 or more assignments missing, under 10%" in tuned.content
    assert b"at under 50% of the class days" in tuned.content


def test_csv_exports_carry_nbgraders_columns_plus_week_and_progress(client, cohort, staff):
    """Do staff download grades with nbgrader's columns and the week, and one progress row per resident?"""
    import csv
    import io

    ana = resident_in(cohort, username="ana")
    resident_in(cohort, username="bo")
    first = _assignment(cohort, "first")
    _handed_in(first, ana, score=8, late_seconds=60, hours_before_due=-1)
    client.force_login(staff)
    grades = client.get(f"/gradebook/{cohort.slug}/grades.csv")
    assert grades["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(grades.streaming_content).decode())))
    assert list(rows[0])[:4] == ["assignment", "duedate", "timestamp", "student_id"]
    assert list(rows[0])[-1] == "week"
    by_student = {row["student_id"]: row for row in rows}
    assert by_student["ana"]["score"] == "8.0" and by_student["ana"]["timestamp"]
    assert ":" in by_student["ana"]["duedate"] and "+" not in by_student["ana"]["duedate"]
    assert by_student["bo"]["score"] == "0.0" and by_student["bo"]["timestamp"] == ""
    progress = list(
        csv.DictReader(
            io.StringIO(
                b"".join(
                    client.get(f"/gradebook/{cohort.slug}/progress.csv").streaming_content
                ).decode()
            )
        )
    )
    assert {row["student_id"]: row["missing"] for row in progress} == {"ana": "0", "bo": "1"}
    client.force_login(ana)
    assert client.get(f"/gradebook/{cohort.slug}/grades.csv").status_code == 403
    assert client.get(f"/gradebook/{cohort.slug}/other.csv").status_code == 404


def test_mentors_read_their_mentees_progress_and_no_one_elses(client, home, cohort, staff):
    """Does a mentor see a mentee's grades read-only, and get 404 for a resident they do not mentor?"""
    from tests.factories import mentor_of

    ana, bo = resident_in(cohort, username="ana"), resident_in(cohort, username="bo")
    _handed_in(_assignment(cohort, "first"), ana, score=7)
    mentor = mentor_of(ana, username="mo")
    client.force_login(mentor)
    page = client.get("/progress/of/ana/")
    assert (
        page.status_code == 200
        and b"Read-only" in page.content
        and b"7</strong> / 10" in page.content
    )
    assert b"/feedback/" not in page.content, "feedback stays between the resident and staff"
    assert client.get("/progress/of/bo/").status_code == 404
    assert b"/progress/of/ana/" in client.get("/").content, "the mentor's home links to it"
    client.force_login(bo)
    assert client.get("/progress/of/ana/").status_code == 404
    client.force_login(staff)
    assert client.get("/progress/of/ana/").status_code == 200


def test_guest_instructors_see_grades_only_for_the_weeks_staff_gave_them(
    client, syllabus, cohort, guest_instructor
):
    """Does a guest instructor see their week's column (no totals, no grading), and nothing else?"""
    from courses.models import WeekPage
    from courses.services import authoring_grant

    ana = resident_in(cohort, username="ana")
    week_one, week_two = (WeekPage.objects.child_of(syllabus).get(number=n) for n in (1, 2))
    theirs = _assignment(cohort, "theirs", week=week_one)
    other = _assignment(cohort, "other", week=week_two)
    _handed_in(theirs, ana, score=6)
    _handed_in(other, ana, score=9)
    client.force_login(guest_instructor)
    assert client.get(f"/gradebook/{cohort.slug}/").status_code == 403, "no week given yet"

    authoring_grant(user=guest_instructor, page=week_one)
    page = client.get(f"/gradebook/{cohort.slug}/").content.decode()
    assert 'title="THEIRS"' in page and 'title="OTHER"' not in page
    assert "Total" not in page and "At risk" not in page, "totals include weeks they do not teach"
    assert client.get(f"/gradebook/{cohort.slug}/ana/other/").status_code == 403
    review = client.get(f"/gradebook/{cohort.slug}/ana/theirs/")
    assert review.status_code == 200 and b"Grade by hand" not in review.content
    assert client.get(f"/gradebook/{cohort.slug}/grades.csv").status_code == 403


def test_running_total_counts_graded_and_overdue_work_and_skips_empty_weeks():
    """Does the chart's line give the share of points so far after each week, starting at the first scored one?"""
    from assignments.policy import WeekTotal
    from assignments.selectors import running_total

    weeks = [
        WeekTotal(number=1),
        WeekTotal(number=2, earned=8.0, possible=10.0),
        WeekTotal(number=3, earned=0.0, possible=10.0),
        WeekTotal(number=4),
    ]
    trend = running_total(weeks, width=300, height=100)
    assert [(p["week"], p["percent"]) for p in trend["points"]] == [(2, 80), (3, 40)]
    assert trend["latest"] == 40 and trend["threshold_y"] == 40.0
    assert trend["polyline"] == "100.0,20.0 200.0,60.0"
    assert [t["x"] for t in trend["ticks"]] == [0.0, 100.0, 200.0, 300.0]


def test_poor_attendance_and_a_mentors_open_concern_show_beside_the_resident(client, cohort, staff):
    """Is a resident who missed most class days at risk with the reason, and a concern flagged?"""
    from lms.attendance.models import Session, SessionKind
    from lms.attendance.services import attendance_mark_session
    from lms.mentoring.services import check_in_log
    from tests.factories import mentor_of

    ana, bo = resident_in(cohort, username="ana"), resident_in(cohort, username="bo")
    _assignment(cohort, "one")
    days = Session.objects.filter(
        cohort=cohort, kind=SessionKind.CLASS_DAY, ends_at__lt=timezone.now(),
        starts_at__gte=timezone.now() - datetime.timedelta(days=12),
    ).order_by("starts_at")[:5]  # fmt: skip
    assert len(days) == 5
    for index, day in enumerate(days):
        ana_status = "present" if index == 0 else "absent"
        attendance_mark_session(
            session=day, marks={ana.pk: (ana_status, ""), bo.pk: ("present", "")}, marked_by=staff
        )
    mentor = mentor_of(bo)
    check_in_log(
        pairing=bo.mentor_pairings.get(), mentor=mentor, met_on=timezone.localdate(),
        channel="video", duration_minutes=30, concern=True, concern_text="Lost her laptop",
    )  # fmt: skip

    rows = {row.resident.username: row for row in cohort_overview(cohort=cohort).rows}
    assert (
        rows["ana"].attendance_percent == 20
        and "attended 20% of the last 2 weeks" in rows["ana"].reasons
    )
    assert rows["bo"].attendance_percent == 100 and rows["bo"].concerns[0].endswith(
        "Lost her laptop"
    )
    client.force_login(staff)
    page = client.get(f"/gradebook/{cohort.slug}/").content.decode()
    assert "attended 20% of the last 2 weeks" in page and "Lost her laptop" in page
    lenient = client.get(f"/gradebook/{cohort.slug}/", {"attendance": "10"})
    assert b"attended 20%" not in lenient.content, "the attendance bar is tunable"
    export = b"".join(
        client.get(f"/gradebook/{cohort.slug}/progress.csv").streaming_content
    ).decode()
    assert "Lost her laptop" in export and ",20" in export


def test_attendance_reads_to_one_decimal_in_the_reason_and_the_export(client, cohort, staff):
    """Does two days out of three read 66.7%, never 66.66666666666667, on the page and in the CSV?"""
    from lms.attendance.models import Session, SessionKind
    from lms.attendance.services import attendance_mark_session

    ana = resident_in(cohort, username="ana")
    days = Session.objects.filter(
        cohort=cohort, kind=SessionKind.CLASS_DAY, ends_at__lt=timezone.now(),
        starts_at__gte=timezone.now() - datetime.timedelta(days=12),
    ).order_by("starts_at")[:3]  # fmt: skip
    for day, status in zip(days, ("present", "present", "absent"), strict=True):
        attendance_mark_session(session=day, marks={ana.pk: (status, "")}, marked_by=staff)
    (row,) = cohort_overview(cohort=cohort).rows
    assert row.attendance_percent == 66.7 and "attended 66.7% of the last 2 weeks" in row.reasons
    client.force_login(staff)
    export = b"".join(
        client.get(f"/gradebook/{cohort.slug}/progress.csv").streaming_content
    ).decode()
    assert ",66.7," in export and "66.666" not in export
