"""Staff's review of one hand-in: versions, points per cell, and the notebook shown safely."""

import datetime

import nbformat
import pytest
from django.utils import timezone

from assignments.models import AssignmentFile
from assignments.services import assignment_create, submission_create
from tests.assignments.conftest import source_notebook
from tests.factories import resident_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.grading]

HOSTILE = (
    "from IPython.display import HTML, display\n"
    "display(HTML(\"<script>parent.document.body.dataset.pwned = 'yes'</script><b>bold claim</b>\"))\n"
    "def answer():\n    return 42"
)


def hostile_hand_in(cohort, resident):
    """A graded submission whose output carries a script aimed at the page that shows it."""
    now = timezone.now()
    assignment = assignment_create(
        cohort=cohort, name="ps1", title="Problem set 1",
        files={"ps1.ipynb": nbformat.writes(source_notebook(
            ("solution", "answer", "def answer():\n    ### BEGIN SOLUTION\n    return 42\n    ### END SOLUTION"),
            ("test", "check", "assert answer() == 42", 3),
        )).encode()},
        release_at=now - datetime.timedelta(days=2), due_at=now + datetime.timedelta(days=2),
    )  # fmt: skip
    release = AssignmentFile.objects.get(assignment=assignment, kind="release")
    nb = nbformat.reads(bytes(release.content).decode(), as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "answer":
            cell.source = HOSTILE
    submission_create(
        assignment=assignment, resident=resident, files={"ps1.ipynb": nbformat.writes(nb).encode()}
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
