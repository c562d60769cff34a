"""Deliverable links (web links only) and the host's private feedback link."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from lms.fieldwork.models import HOST_FEEDBACK_MAX, DeliverableLink, MilestoneKind
from lms.fieldwork.services import deliverable_add

pytestmark = pytest.mark.django_db

LINK_INVALID = "Links have to start with http:// or https://."
HOSTILE = '<script>document.body.dataset.pwned = 1</script><a href="javascript:alert(1)">x</a>'


@pytest.fixture
def scoping(project):
    return project.milestones.get(kind=MilestoneKind.SCOPING)


def _host_url(project, token=None):
    return reverse("fieldwork:host-feedback", args=[token or project.host_token])


def test_a_team_member_adds_a_link(signed_in, resident, scoping):
    response = signed_in(resident).post(
        reverse("fieldwork:link-add", args=[scoping.pk]),
        {"url": "https://github.example.org/team/repairs", "label": "Repository"},
        follow=True,
    )
    page = response.content.decode()
    assert "Link added to Scoping." in page
    assert 'href="https://github.example.org/team/repairs"' in page
    assert scoping.links.get().added_by == resident


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "ftp://files.example.org/x",
        "https://exa mple.org/",
    ],
)
def test_only_web_links_are_accepted(signed_in, resident, scoping, url):
    """Are script, data, ftp and malformed links refused with a plain message, nothing stored?"""
    response = signed_in(resident).post(
        reverse("fieldwork:link-add", args=[scoping.pk]), {"url": url, "label": "x"}, follow=True
    )
    assert LINK_INVALID in response.content.decode()
    assert not DeliverableLink.objects.exists()
    with pytest.raises(ValidationError):
        deliverable_add(milestone=scoping, user=resident, url=url)


def test_the_database_refuses_a_script_link_too(scoping):
    """Would a javascript: link written past the service still be refused?"""
    with pytest.raises(IntegrityError), transaction.atomic():
        DeliverableLink.objects.create(milestone=scoping, url="javascript:alert(1)")


def test_the_host_reads_the_project_without_signing_in(client, project):
    """Does the link alone open the milestones, kept out of referrers and search engines?"""
    response = client.get(_host_url(project))
    page = response.content.decode()
    assert response.status_code == 200
    assert project.title in page
    assert [kind.label in page for kind in MilestoneKind] == [True] * 4
    assert response["Referrer-Policy"] == "same-origin"
    assert "noindex" in response["X-Robots-Tag"]
    assert "project-mentor@example.org" not in page


@pytest.mark.parametrize("token", ["wrong", "x" * 32, "a" * 200])
def test_a_wrong_token_is_404(client, project, token):
    assert client.get(_host_url(project, token)).status_code == 404
    response = client.post(_host_url(project, token), {"milestone": 1, "m1-feedback": "Hi"})
    assert response.status_code == 404


def test_the_host_leaves_feedback_on_a_milestone(client, project, scoping, signed_in, resident):
    """Is the host's feedback stored with its time, and shown to the team on the project page?"""
    response = client.post(
        _host_url(project),
        {"milestone": scoping.pk, f"m{scoping.pk}-feedback": "Great questions in our meeting."},
        follow=True,
    )
    assert "Thank you" in response.content.decode()
    scoping.refresh_from_db()
    assert scoping.host_feedback == "Great questions in our meeting."
    assert scoping.host_feedback_at is not None
    team_page = signed_in(resident).get(reverse("fieldwork:project", args=[project.pk]))
    assert "Great questions in our meeting." in team_page.content.decode()


def test_hostile_feedback_is_plain_text(client, project, scoping, signed_in, resident):
    """Does markup the host types reach every page escaped, never as tags?"""
    client.post(_host_url(project), {"milestone": scoping.pk, f"m{scoping.pk}-feedback": HOSTILE})
    scoping.refresh_from_db()
    assert scoping.host_feedback == HOSTILE
    for page in (
        client.get(_host_url(project)).content.decode(),
        signed_in(resident).get(reverse("fieldwork:project", args=[project.pk])).content.decode(),
    ):
        assert "<script>document.body" not in page
        assert 'href="javascript:' not in page
        assert "&lt;script&gt;document.body.dataset.pwned" in page


def test_feedback_is_length_limited(client, project, scoping):
    """Is feedback over the limit refused, and an empty one too?"""
    too_long = "a" * (HOST_FEEDBACK_MAX + 1)
    response = client.post(
        _host_url(project), {"milestone": scoping.pk, f"m{scoping.pk}-feedback": too_long}
    )
    assert f"Feedback can be at most {HOST_FEEDBACK_MAX} characters." in response.content.decode()
    response = client.post(
        _host_url(project), {"milestone": scoping.pk, f"m{scoping.pk}-feedback": "   "}
    )
    assert "Write some feedback before sending it." in response.content.decode()
    scoping.refresh_from_db()
    assert scoping.host_feedback == ""


def test_a_token_only_reaches_its_own_projects_milestones(client, project, cohort, host, classmate):
    """Can the host of one project not write on another project's milestones?"""
    from lms.fieldwork.services import field_project_create

    other = field_project_create(
        cohort=cohort, host=host, title="Other", summary="S", team=[classmate]
    )
    foreign = other.milestones.get(kind=MilestoneKind.SCOPING)
    response = client.post(
        _host_url(project), {"milestone": foreign.pk, f"m{foreign.pk}-feedback": "Sneaky"}
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.host_feedback == ""


@pytest.mark.parametrize("milestone", ["abc", "", "1.5", "99999999999999999999999"])
def test_a_malformed_milestone_on_the_host_form_is_404(client, project, milestone):
    """Does a tampered milestone field on the host's form get a 404, never a server error?"""
    client.raise_request_exception = False
    response = client.post(_host_url(project), {"milestone": milestone, "m1-feedback": "Hi"})
    assert response.status_code == 404
    assert not project.milestones.exclude(host_feedback="").exists()


def test_staff_reset_the_link_and_the_old_one_stops_working(client, project, signed_in, staff):
    """After staff make a new link, is the old one 404 and the new one working?"""
    old_url = _host_url(project)
    response = signed_in(staff).post(reverse("fieldwork:host-link-reset", args=[project.pk]))
    assert response.status_code == 302
    project.refresh_from_db()
    assert _host_url(project) != old_url
    client.logout()
    assert client.get(old_url).status_code == 404
    assert client.get(_host_url(project)).status_code == 200
