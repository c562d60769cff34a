"""The grading desk: answers beside points, a rubric chosen with a click, totals that follow,
and rubric choices and comments that reach the resident, in the page and the fetched file."""

import pytest

from assignments.models import CellGrade, GradeChange, Grading, RubricCriterion
from assignments.services import (
    RUBRIC_CRITERION_IN_USE,
    RUBRIC_NOT_FOR_CELL,
    cell_grade_set,
    rubric_criterion_add,
    submission_create,
)
from lms.people.models import Role
from tests.assignments.conftest import answered
from tests.factories import UserFactory, mentor_of, resident_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.grading]

JSON = {"HTTP_ACCEPT": "application/json"}


def _cell(grade_id="why", resident="ana"):
    return CellGrade.objects.get(
        grade_id=grade_id, grading__submission__resident__username=resident
    )


def _rubric(essay):
    why = _cell()
    return [
        rubric_criterion_add(
            assignment=essay,
            notebook=why.notebook,
            grade_id="why",
            description=text,
            points=points,
            max_score=why.max_score,
        )  # fmt: skip
        for text, points in (
            ("Names who benefits", 1.5),
            ("Gives a reason", 1),
            ("Cites a source", 1),
        )
    ]


def _save(client, cohort, cell, **data):
    return client.post(
        f"/gradebook/{cohort.slug}/ana/essay/cells/{cell.pk}/",
        {"rubric-present": "1", "comment": "", "points": "", **data},
        **JSON,
    )


def test_the_desk_shows_the_answer_beside_its_grading_form(client, cohort, staff, essay):
    """Does the desk put ana's written answer on the page, beside the points box of that cell?"""
    client.force_login(staff)
    page = client.get(f"/grading/{cohort.slug}/essay/", follow=True)
    assert page.redirect_chain[-1][0] == f"/grading/{cohort.slug}/essay/residents/ana/"
    html = page.content.decode()
    why = _cell()
    item = html[html.index(f'id="cell-{why.pk}"') :]
    item = item[: item.index("</li>")]
    assert "Because the tenants asked for it." in item and 'name="points"' in item
    assert "awaiting a grader" in item
    assert "script-src 'self'" in page["Content-Security-Policy"]


def test_hostile_html_in_an_answer_is_shown_harmless(client, cohort, staff, essay):
    """Does a written answer carrying a script and an event handler reach the desk without them?"""
    submission_create(
        assignment=essay,
        resident=Grading.objects.get().submission.resident,
        files=answered(
            essay,
            {"why": 'Because <script>alert(1)</script><img src=x onerror="alert(2)"> **tenants**'},
        ),
    )
    client.force_login(staff)
    html = client.get(f"/grading/{cohort.slug}/essay/residents/ana/").content.decode()
    assert "<strong>tenants</strong>" in html
    assert "<script>alert" not in html and "onerror" not in html


def test_ticking_criteria_sets_points_and_the_total_without_a_reload(client, cohort, staff, essay):
    """Do ticked criteria add up to the cell's points (capped at its maximum), and does the JSON
    answer carry the new total the desk shows?"""
    names, reason, source = _rubric(essay)
    client.force_login(staff)
    why = _cell()
    answer = _save(client, cohort, why, criteria=[names.pk, reason.pk]).json()
    assert answer["ok"] and answer["cell"]["points"] == 2.5 and answer["cell"]["points_from_rubric"]
    assert answer["total"] == {
        "score": 4.5,
        "max_score": 5.0,
        "late_penalty": 0.0,
        "awaiting": False,
    }

    capped = _save(client, cohort, why, criteria=[names.pk, reason.pk, source.pk]).json()
    assert capped["cell"]["points"] == 3.0, "three criteria worth 3.5 give the cell's 3 at most"
    assert Grading.objects.get().score == 5.0


def test_typed_points_win_over_the_rubric(client, cohort, staff, essay):
    """When a grader types points and ticks criteria, do the typed points count?"""
    names, reason, _ = _rubric(essay)
    client.force_login(staff)
    answer = _save(client, cohort, _cell(), criteria=[names.pk], points="0.5").json()
    assert answer["cell"]["points"] == 0.5 and not answer["cell"]["points_from_rubric"]
    assert answer["cell"]["criteria"] == [names.pk]


def test_rubric_choices_are_in_the_history(client, cohort, staff, essay):
    """Does the hand-in's history say which criteria were chosen, by whom?"""
    names, reason, _ = _rubric(essay)
    client.force_login(staff)
    _save(client, cohort, _cell(), criteria=[names.pk])
    _save(client, cohort, _cell(), criteria=[names.pk, reason.pk])
    rubric = GradeChange.objects.filter(what="rubric").order_by("id")
    assert [(c.old, c.new) for c in rubric] == [
        ("", "Names who benefits (1.5)"),
        ("Names who benefits (1.5)", "Names who benefits (1.5); Gives a reason (1)"),
    ]
    assert {c.changed_by for c in rubric} == {staff}


def test_a_criterion_of_another_cell_is_refused(client, cohort, staff, essay):
    """Can a forged form tick a criterion written for a different cell? (No, and nothing changes.)"""
    check = _cell("check")
    other = RubricCriterion.objects.create(
        assignment=essay, notebook=check.notebook, grade_id="check", description="x", points=1
    )
    client.force_login(staff)
    answer = _save(client, cohort, _cell(), criteria=[other.pk])
    assert answer.status_code == 400 and answer.json()["message"] == RUBRIC_NOT_FOR_CELL
    assert _cell().manual_score is None and not _cell().rubric.exists()


def test_a_criterion_in_use_cannot_be_removed(client, cohort, staff, essay):
    """Is removing a criterion some answer was graded with refused, so no grade loses its reason?"""
    names, reason, _ = _rubric(essay)
    client.force_login(staff)
    _save(client, cohort, _cell(), criteria=[names.pk])
    base = f"/grading/{cohort.slug}/essay/rubric"
    page = client.post(f"{base}/{names.pk}/remove/", follow=True).content.decode()
    expected = RUBRIC_CRITERION_IN_USE.format(description="Names who benefits", count=1, plural="")
    assert expected.replace("“", "&ldquo;")[:20] in page or expected[:20] in page
    assert RubricCriterion.objects.filter(pk=names.pk).exists()
    client.post(f"{base}/{reason.pk}/remove/")
    assert not RubricCriterion.objects.filter(pk=reason.pk).exists()


def test_criteria_are_added_from_the_desk_within_the_cell_maximum(client, cohort, staff, essay):
    """Can staff add a criterion from the desk, and is one worth more than the cell refused?"""
    client.force_login(staff)
    why = _cell()
    base = f"/grading/{cohort.slug}/essay/rubric/"
    client.post(base, {"cell": why.pk, "description": "Names who benefits", "points": "2"})
    page = client.post(
        base, {"cell": why.pk, "description": "Everything", "points": "9"}, follow=True
    ).content.decode()
    assert "between 0 and the cell" in page
    assert list(RubricCriterion.objects.values_list("description", "points")) == [
        ("Names who benefits", 2.0)
    ]


def test_rubric_choices_and_comments_reach_the_resident(client, cohort, staff, essay):
    """Does ana read the criteria she met and the comment on her feedback page and in the file
    JupyterLab fetches?"""
    names, reason, _ = _rubric(essay)
    client.force_login(staff)
    _save(client, cohort, _cell(), criteria=[names.pk, reason.pk], comment="Strong opening.")
    fetched = "".join(Grading.objects.get().feedback_files.values())
    assert "Strong opening." in fetched and "Names who benefits" in fetched
    assert "Gives a reason" in fetched and "Cites a source" not in fetched

    client.force_login(Grading.objects.get().submission.resident)
    page = client.get("/progress/essay/v1/feedback/").content.decode()
    assert "Strong opening." in page and "✓ Names who benefits" in page
    assert "Cites a source" not in page


def test_an_answer_no_grader_has_seen_says_so_in_the_feedback_file(client, cohort, essay):
    """Does the fetched feedback say "Awaiting a grader" for the written answer, never 0 points?"""
    fetched = "".join(Grading.objects.get().feedback_files.values())
    assert "Awaiting a grader / 3.0" in fetched
    assert "Score: 0.0 / 3.0" not in fetched
    assert "3.0 points awaiting a grader" in fetched


def test_the_desk_steps_through_residents_and_finds_the_next_one_waiting(
    client, cohort, staff, essay
):
    """Do next and previous follow the cohort's reading order, and does "next awaiting a grader"
    skip residents whose answers are graded?"""
    for username, last in (("bea", "Bell"), ("cy", "Cole")):
        submission_create(
            assignment=essay,
            resident=resident_in(cohort, username=username, last_name=last),
            files=answered(essay, {"why": f"{username}'s answer"}),
        )
    ana = Grading.objects.get(submission__resident__username="ana").submission.resident
    ana.last_name = "Abara"
    ana.save()
    cell_grade_set(cell=_cell(resident="bea"), points=3, comment="", by=staff)
    client.force_login(staff)
    page = client.get(f"/grading/{cohort.slug}/essay/residents/ana/").content.decode()
    nav = page[page.index('aria-label="Residents"') :]
    nav = nav[: nav.index("</nav>")]
    assert 'rel="next"' in nav and "/residents/bea/" in nav and 'rel="prev"' not in nav
    waiting = nav[nav.index("data-next-awaiting") :]
    assert waiting.startswith(
        f'data-next-awaiting href="/grading/{cohort.slug}/essay/residents/cy/"'
    )

    last = client.get(f"/grading/{cohort.slug}/essay/residents/cy/").content.decode()
    assert 'rel="prev"' in last and 'rel="next"' not in last
    assert "/residents/ana/" in last[last.index("data-next-awaiting") :], "wraps round to ana"


def test_only_staff_use_the_desk(client, cohort, essay):
    """Do a resident, a mentor and a guest instructor get turned away from the desk?"""
    ana = Grading.objects.get().submission.resident
    for person in (ana, mentor_of(ana), UserFactory(roles=[Role.GUEST_INSTRUCTOR])):
        client.force_login(person)
        assert client.get(f"/grading/{cohort.slug}/essay/residents/ana/").status_code == 403
        assert client.post(f"/grading/{cohort.slug}/essay/rubric/", {}).status_code == 403


def test_only_the_counting_version_is_on_the_desk(client, cohort, staff, essay):
    """After ana hands in again, does the desk grade version 2, the one that counts?"""
    submission_create(
        assignment=essay,
        resident=Grading.objects.get().submission.resident,
        files=answered(essay, {"why": "A better answer, second try."}),
    )
    client.force_login(staff)
    page = client.get(f"/grading/{cohort.slug}/essay/residents/ana/").content.decode()
    assert "Version 2, the one that counts" in page
    assert "A better answer, second try." in page
    assert "Because the tenants asked for it." not in page
