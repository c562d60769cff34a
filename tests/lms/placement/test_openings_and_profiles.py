"""Openings staff record or partners send through their link, and the graduate's profile."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lms.placement.models import Opening, OpeningStatus, RoleKind
from lms.placement.services import (
    CLOSES_IN_PAST,
    SALARY_OUT_OF_ORDER,
    application_create,
    opening_create,
    partner_link_ensure,
    partner_link_reset,
    profile_save,
)

from .conftest import TODAY

pytestmark = pytest.mark.django_db

FIELDS = {
    "title": "Junior developer", "kind": RoleKind.SOFTWARE, "workplace": "remote",
    "location": "", "salary_min": "50000", "salary_max": "60000",
    "link": "https://jobs.example.org/1", "closes_on": "2025-09-30", "description": "",
    "contact_name": "Dana", "contact_email": "dana@renters.example.org",
}  # fmt: skip


def test_staff_openings_are_open_at_once(staff, partner, frozen):
    opening = opening_create(
        organization=partner, by=staff, title="Dev", kind=RoleKind.SOFTWARE,
        contact_name="D", contact_email="d@example.org", closes_on=TODAY,
    )  # fmt: skip
    assert opening.status == OpeningStatus.APPROVED


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"salary_min": 70_000, "salary_max": 50_000},
            SALARY_OUT_OF_ORDER.format(low=70_000, high=50_000),
        ),
        (
            {"salary_min": 5},
            "Give a yearly salary in US dollars between $15,000 and $500,000; $5 is not one.",
        ),
        (
            {"closes_on": TODAY - datetime.timedelta(days=1)},
            CLOSES_IN_PAST.format(day=TODAY - datetime.timedelta(days=1)),
        ),
        ({"link": "javascript:alert(1)"}, "Links have to start with http:// or https://."),
    ],
)
def test_bad_openings_are_refused_plainly(staff, partner, frozen, change, message):
    fields = {"title": "Dev", "kind": RoleKind.SOFTWARE, "contact_name": "D",
              "contact_email": "d@example.org"} | change  # fmt: skip
    with pytest.raises(ValidationError) as error:
        opening_create(organization=partner, by=staff, **fields)
    assert message in error.value.messages
    assert not Opening.objects.exists()


def test_a_partner_sends_an_opening_and_staff_approve_it(
    client, signed_in, staff, grad, partner, frozen
):
    link = partner_link_ensure(organization=partner)
    url = reverse("placement:partner", args=[link.token])
    response = client.post(url, FIELDS, follow=True)
    assert "reaches residents once staff approve it" in response.content.decode()
    assert response.redirect_chain[-1][0] == url
    opening = Opening.objects.get()
    assert opening.status == OpeningStatus.PENDING and opening.from_partner
    assert (
        "Junior developer"
        not in signed_in(grad).get(reverse("placement:openings")).content.decode()
    )
    assert signed_in(grad).get(reverse("placement:opening", args=[opening.pk])).status_code == 404
    staff_client = signed_in(staff)
    assert "Junior developer" in staff_client.get(reverse("placement:openings")).content.decode()
    staff_client.post(
        reverse("placement:opening-review", args=[opening.pk]), {"decision": "approve"}
    )
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.APPROVED
    page = signed_in(grad).get(reverse("placement:openings")).content.decode()
    assert "Junior developer" in page


def test_a_partner_gets_plain_errors(client, partner, frozen):
    link = partner_link_ensure(organization=partner)
    bad = FIELDS | {"salary_min": "90000", "salary_max": "60000", "link": "ftp://x.example.org"}
    response = client.post(reverse("placement:partner", args=[link.token]), bad)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Links have to start with http:// or https://." in page
    assert not Opening.objects.exists()


def test_an_old_partner_link_stops_working(client, partner):
    old = partner_link_ensure(organization=partner).token
    partner_link_reset(organization=partner)
    assert client.get(reverse("placement:partner", args=[old])).status_code == 404
    assert client.get(reverse("placement:partner", args=["x" * 80])).status_code == 404


def test_only_staff_approve(signed_in, grad, grad_mentor, partner, frozen):
    opening = opening_create(
        organization=partner, title="Dev", kind=RoleKind.SOFTWARE, contact_name="D",
        contact_email="d@example.org",
    )  # fmt: skip
    for person in (grad, grad_mentor):
        response = signed_in(person).post(
            reverse("placement:opening-review", args=[opening.pk]), {"decision": "approve"}
        )
        assert response.status_code == 403
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.PENDING


def test_the_profile_shows_to_staff_mentor_and_a_partner_only_when_shared(
    client, signed_in, grad, grad_mentor, staff, partner, frozen
):
    profile_save(
        resident=grad, headline="Builds tools for tenants", skills="Python",
        code_url="https://code.example.org/gabi",
    )  # fmt: skip
    for reader in (grad, grad_mentor, staff):
        page = signed_in(reader).get(reverse("placement:person", args=["grad"])).content.decode()
        assert "Builds tools for tenants" in page
        assert "Residency grades" not in page
    opening = opening_create(
        organization=partner, by=staff, title="Dev", kind=RoleKind.SOFTWARE, contact_name="D",
        contact_email="d@example.org",
    )  # fmt: skip
    card = application_create(resident=grad, by=grad, opening=opening, stage="applied")
    client.logout()
    partner_url = reverse(
        "placement:partner", args=[partner_link_ensure(organization=partner).token]
    )
    assert "Builds tools for tenants" not in client.get(partner_url).content.decode()
    signed_in(grad).post(reverse("placement:application-share", args=[card.pk]), {"share": "yes"})
    client.logout()
    assert "Builds tools for tenants" in client.get(partner_url).content.decode()


def test_only_the_resident_shares_their_profile(
    signed_in, grad, grad_mentor, staff, partner, frozen
):
    opening = opening_create(
        organization=partner, by=staff, title="Dev", kind=RoleKind.SOFTWARE, contact_name="D",
        contact_email="d@example.org",
    )  # fmt: skip
    card = application_create(resident=grad, by=grad, opening=opening, stage="applied")
    for other in (grad_mentor, staff):
        response = signed_in(other).post(
            reverse("placement:application-share", args=[card.pk]), {"share": "yes"}
        )
        assert response.status_code == 403
    card.refresh_from_db()
    assert not card.share_profile


def test_profile_links_must_be_web_links(signed_in, grad, frozen):
    response = signed_in(grad).post(
        reverse("placement:profile"),
        {"headline": "x", "portfolio_url": "javascript:alert(1)", "code_url": ""},
    )
    assert "Links have to start with http:// or https://." in response.content.decode()


def test_a_mentor_cannot_write_the_profile(signed_in, grad_mentor):
    assert signed_in(grad_mentor).get(reverse("placement:profile")).status_code == 403
