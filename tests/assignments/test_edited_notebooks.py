"""Residents delete, split, add and retype cells; such submissions are graded with a note."""

import json

import nbformat
import pytest

from .conftest import by_id, make_spec, source_notebook

pytestmark = pytest.mark.grading

SOURCE = source_notebook(
    ("locked", "intro", "print('Eviction filings by month')"),
    (
        "solution",
        "count",
        "def count(rows):\n    ### BEGIN SOLUTION\n    return len(rows)\n    ### END SOLUTION",
    ),
    ("test", "test_count", "assert count([1, 2, 3]) == 3", 2),
    (
        "solution",
        "total",
        "def total(rows):\n    ### BEGIN SOLUTION\n    return sum(rows)\n    ### END SOLUTION",
    ),
    ("test", "test_total", "assert total([1, 2, 3]) == 6", 3),
    ("manual", "reflection", "Explain your approach.", 1),
)
ANSWERS = {
    "count": "def count(rows):\n    return len(rows)",
    "total": "def total(rows):\n    return sum(rows)",
}


@pytest.fixture(scope="module")
def spec():
    return make_spec("edits", {"nb": SOURCE})


def _answered(spec):
    nb = nbformat.from_dict(spec.releases["nb"])
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in ANSWERS:
            cell.source = ANSWERS[grade_id]
    return nb


def _grade(grade, spec, nb):
    return grade(spec, {"nb.ipynb": nbformat.writes(nb).encode()})


def _ids(nb):
    return [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]


def test_full_answers_score_full_marks(grade, spec):
    """Does the untouched, answered notebook get every autograded point (the control)?"""
    outcome = _grade(grade, spec, _answered(spec))
    assert outcome.raw_score == 5
    assert outcome.notes == []


def test_deleted_test_cell_is_restored_and_graded(grade, spec):
    """Is a test cell the resident deleted put back from the source and run?"""
    nb = _answered(spec)
    nb.cells = [
        c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "test_total"
    ]
    outcome = _grade(grade, spec, nb)
    assert by_id(outcome)["test_total"].auto_score == 3
    assert outcome.raw_score == 5
    assert any("test_total" in note for note in outcome.notes)


def test_deleted_answer_and_test_cells_never_get_stuck(grade, spec):
    """With an answer and its test deleted, is the rest graded and the test scored zero, not stuck?"""
    nb = _answered(spec)
    nb.cells = [
        c
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("grade_id") not in ("count", "test_count", "intro")
    ]
    outcome = _grade(grade, spec, nb)
    cells = by_id(outcome)
    assert cells["test_count"].auto_score == 0
    assert cells["test_total"].auto_score == 3
    assert not cells["test_count"].needs_manual_grade
    assert outcome.notes


def test_added_cells_are_kept(grade, spec):
    """Do the resident's own extra cells run without disturbing the grade?"""
    nb = _answered(spec)
    nb.cells.insert(2, nbformat.v4.new_code_cell("helper = 41 + 1"))
    nb.cells.append(nbformat.v4.new_markdown_cell("My notes."))
    assert _grade(grade, spec, nb).raw_score == 5


def test_split_answer_cell_with_duplicated_id(grade, spec):
    """When JupyterLab's split copies the cell's id onto both halves, is the submission still graded?"""
    nb = _answered(spec)
    index = _ids(nb).index("total")
    first = nbformat.from_dict(json.loads(json.dumps(nb.cells[index])))
    first.source = "def total(rows):"
    nb.cells[index].source = "    return sum(rows)"
    nb.cells[index].source = "def total(rows):\n    return sum(rows)"
    nb.cells.insert(index, first)
    first.source = "VALUE = 6"
    outcome = _grade(grade, spec, nb)
    assert by_id(outcome)["test_total"].auto_score == 3
    assert outcome.raw_score == 5


def test_retyped_answer_cell(grade, spec):
    """An answer cell turned into Markdown by mistake: is its type restored and the answer graded?"""
    nb = _answered(spec)
    index = _ids(nb).index("count")
    cell = nb.cells[index]
    nb.cells[index] = nbformat.v4.new_markdown_cell(cell.source, metadata=cell.metadata)
    outcome = _grade(grade, spec, nb)
    cells = by_id(outcome)
    assert cells["test_total"].auto_score == 3
    assert cells["test_count"].auto_score == 2  # nbgrader restores the code type; the answer counts
    assert not any(c.needs_manual_grade for c in outcome.cells if c.kind == "autograded test")


def test_retyped_test_cell_is_restored(grade, spec):
    """A test cell turned into Markdown to dodge it: is it restored and run?"""
    nb = _answered(spec)
    nb.cells[_ids(nb).index("count")].source = "def count(rows):\n    return 0"
    index = _ids(nb).index("test_count")
    cell = nb.cells[index]
    nb.cells[index] = nbformat.v4.new_markdown_cell(cell.source, metadata=cell.metadata)
    outcome = _grade(grade, spec, nb)
    assert by_id(outcome)["test_count"].auto_score == 0


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"not json at all", "not valid JSON"),
        (b'{"nbformat": 3, "nbformat_minor": 0, "worksheets": []}', "not a version 4 notebook"),
        (
            b'{"nbformat": 4, "nbformat_minor": 5, "cells": "nope", "metadata": {}}',
            "not a valid notebook",
        ),
        (b"\xff\xfe\x00garbage", "not valid JSON"),
    ],
)
def test_malformed_notebook_scores_zero_with_the_reason(grade, spec, content, reason):
    """Is a file that is not a notebook graded zero with a reason the resident can act on?"""
    outcome = grade(spec, {"nb.ipynb": content})
    assert outcome.raw_score == 0
    assert any(reason in note for note in outcome.notes), outcome.notes
    assert not outcome.needs_manual_grading


def test_missing_notebook_scores_zero(grade, spec):
    """Does a submission without the notebook score zero, with a note, rather than fail?"""
    outcome = grade(spec, {"other.txt": b"oops"})
    assert outcome.raw_score == 0
    assert any("was not submitted" in note for note in outcome.notes)
