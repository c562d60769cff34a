"""Scores equal stock nbgrader's, on its own example course and its own test notebooks."""

import pytest

from .conftest import TEST_FILES, USER_GUIDE, by_id, make_spec, read

pytestmark = pytest.mark.grading


@pytest.fixture(scope="module")
def ps1_spec():
    sources = {p.stem: read(p) for p in sorted((USER_GUIDE / "source" / "ps1").glob("*.ipynb"))}
    return make_spec(
        "ps1",
        sources,
        {"jupyter.png": (USER_GUIDE / "source" / "ps1" / "jupyter.png").read_bytes()},
    )


@pytest.mark.parametrize(("student", "raw_score"), [("bitdiddle", 1.5), ("hacker", 3.0)])
def test_example_course_scores_match_nbgrader(grade, ps1_spec, student, raw_score):
    """Do Ben Bitdiddle's and Alyssa Hacker's ps1 score as in nbgrader's own grades.csv?"""
    folder = USER_GUIDE / "submitted" / student / "ps1"
    files = {p.name: p.read_bytes() for p in folder.iterdir() if p.name != "timestamp.txt"}
    outcome = grade(ps1_spec, files)
    assert outcome.raw_score == raw_score
    assert outcome.max_score == 13  # grade cells plus task cells, nbgrader's definition
    cells = by_id(outcome)
    assert cells["sum_of_squares_equation"].needs_manual_grade  # a written answer waits for a human
    assert cells["correct_squares"].kind == "autograded test"


@pytest.fixture(scope="module")
def p1_spec():
    return make_spec("ps1", {"p1": read(TEST_FILES / "submitted-unchanged.ipynb")})


@pytest.mark.parametrize(
    ("submitted", "score", "manual"),
    [
        # The expectations of nbgrader's own test_grade_cheat_attempt and test_grade.
        ("submitted-unchanged.ipynb", 1, False),
        ("submitted-changed.ipynb", 2, True),
        ("submitted-cheat-attempt.ipynb", 1, True),
        ("submitted-cheat-attempt-alternative.ipynb", 1, True),
    ],
)
def test_nbgrader_test_notebooks_score_as_in_nbgrader(grade, p1_spec, submitted, score, manual):
    """Do nbgrader's test submissions, cheat attempts included, get nbgrader's scores?"""
    outcome = grade(p1_spec, {"p1.ipynb": (TEST_FILES / submitted).read_bytes()})
    assert outcome.raw_score == score
    assert outcome.max_score == 7
    assert outcome.needs_manual_grading is manual


@pytest.mark.parametrize(
    "submitted", ["submitted-grade-cell-changed.ipynb", "submitted-locked-cell-changed.ipynb"]
)
def test_changed_protected_cells_are_restored(grade, p1_spec, submitted):
    """Does editing a test or read-only cell change nothing, as the source is restored?"""
    unchanged = grade(
        p1_spec, {"p1.ipynb": (TEST_FILES / "submitted-unchanged.ipynb").read_bytes()}
    )
    tampered = grade(p1_spec, {"p1.ipynb": (TEST_FILES / submitted).read_bytes()})
    assert tampered.raw_score == unchanged.raw_score
    assert {c.grade_id: c.auto_score for c in tampered.cells} == {
        c.grade_id: c.auto_score for c in unchanged.cells
    }
