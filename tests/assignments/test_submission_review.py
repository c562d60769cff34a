"""Staff's review of one hand-in: versions, points per cell, and the notebook shown safely."""

import pytest

from assignments.services import submission_create
from tests.assignments.conftest import ANSWER_CELLS, answered, open_assignment
from tests.factories import resident_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.grading]

HOSTILE = (
    "from IPython.display import HTML, display\n"
    "display(HTML(\"<script>parent.document.body.dataset.pwned = 'yes'</script><b>bold claim</b>\"))\n"
    "def answer():\n    return 42"
)


def hostile_hand_in(cohort, resident):
    """A graded submission whose output carries a script aimed at the page that shows it."""
    assignment = open_assignment(
        cohort, "ps1", *ANSWER_CELLS, ("test", "check", "assert answer() == 42", 3)
    )
    submission_create(
        assignment=assignment, resident=resident, files=answered(assignment, {"answer": HOSTILE})
    )
    return assignment


def test_staff_see_points_versions_and_the_notebook_in_a_sandbox(client, cohort, staff):
    """Does the review show the score per cell, and the notebook only inside a script-less frame?"""
    ana = resident_in(cohort, username="ana")
    hostile_hand_in(cohort, ana)
    client.force_login(staff)
    page = client.get(f"/gradebook/{cohort.slug}/ana/ps1/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Version 1" in html and "3 / 3" in html
    assert "script-src 'none'" in page["Content-Security-Policy"]
    assert '<iframe class="feedback-frame" title="ps1 as graded" sandbox srcdoc="' in html
    assert "<script>parent.document" not in html, (
        "the output's script never reaches the page as markup"
    )
    assert "&lt;script&gt;parent.document" in html, "it is only inside the frame's escaped srcdoc"


def test_only_staff_review_and_only_within_the_cohort(client, cohort, other_cohort, staff):
    """Are residents refused, and names from another cohort not found?"""
    ana = resident_in(cohort, username="ana")
    resident_in(other_cohort, username="zed")
    hostile_hand_in(cohort, ana)
    client.force_login(ana)
    assert client.get(f"/gradebook/{cohort.slug}/ana/ps1/").status_code == 403
    client.force_login(staff)
    assert client.get(f"/gradebook/{cohort.slug}/zed/ps1/").status_code == 404
    assert client.get(f"/gradebook/{cohort.slug}/ana/nope/").status_code == 404
