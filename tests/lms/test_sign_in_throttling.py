"""Sign-in throttling: wrong passwords pause one account from one address, on the site's form
and the admin's; the right password then does not get in; staff lift the pause."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

HOME, AWAY = "203.0.113.7", "198.51.100.20"


def _sign_in(client, username, password, path="/accounts/login/"):
    return client.post(path, {"username": username, "password": password})


def _guess(client, username, times, path="/accounts/login/"):
    for _ in range(times):
        assert _sign_in(client, username, "wrong", path).status_code == 200


def test_five_wrong_passwords_pause_the_account_from_that_address(home, settings):
    rosa = UserFactory(username="rosa")
    attacker = Client(REMOTE_ADDR=AWAY)
    _guess(attacker, "rosa", settings.AXES_FAILURE_LIMIT - 1)
    locked = _sign_in(attacker, "rosa", "wrong")
    assert locked.status_code == 429
    refused = _sign_in(attacker, "rosa", PASSWORD)
    assert refused.status_code == 429, "the right password does not get past the pause"
    page = refused.content.decode()
    assert "Sign-in is paused for this account here" in page and "15 minutes" in page
    assert "_auth_user_id" not in attacker.session

    rosa_at_home = Client(REMOTE_ADDR=HOME)
    response = _sign_in(rosa_at_home, "rosa", PASSWORD)
    assert response.status_code == 302, "Rosa, from her own address, is not locked out"
    assert rosa_at_home.session["_auth_user_id"] == str(rosa.pk)


def test_the_admin_sign_in_is_throttled_too(home, settings):
    UserFactory(username="jordan", is_staff=True)
    attacker = Client(REMOTE_ADDR=AWAY)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.post("/admin/login/", {"username": "jordan", "password": "wrong"})
    assert _sign_in(attacker, "jordan", PASSWORD, "/admin/login/").status_code == 429


def test_a_right_password_clears_the_count(home, settings):
    UserFactory(username="rosa")
    typo_prone = Client(REMOTE_ADDR=HOME)
    _guess(typo_prone, "rosa", settings.AXES_FAILURE_LIMIT - 1)
    assert _sign_in(typo_prone, "rosa", PASSWORD).status_code == 302
    typo_prone.logout()
    _guess(typo_prone, "rosa", settings.AXES_FAILURE_LIMIT - 1)
    assert _sign_in(typo_prone, "rosa", PASSWORD).status_code == 302


def test_staff_lift_a_pause_from_the_admin(client, home, staff, settings):
    UserFactory(username="rosa")
    rosa = Client(REMOTE_ADDR=HOME)
    _guess(rosa, "rosa", settings.AXES_FAILURE_LIMIT - 1)
    assert _sign_in(rosa, "rosa", "wrong").status_code == 429
    assert _sign_in(rosa, "rosa", PASSWORD).status_code == 429

    client.force_login(staff)
    page = client.get(reverse("locked_sign_ins")).content.decode()
    assert "rosa" in page and HOME in page
    client.post(reverse("locked_sign_ins"), {"username": "rosa", "ip_address": HOME})
    assert "No sign-in is paused" in client.get(reverse("locked_sign_ins")).content.decode()
    assert _sign_in(rosa, "rosa", PASSWORD).status_code == 302


def test_only_staff_see_locked_sign_ins(client, home, resident):
    client.force_login(resident)
    assert client.get(reverse("locked_sign_ins")).status_code in (302, 403)
    assert client.post(
        reverse("locked_sign_ins"), {"username": "x", "ip_address": HOME}
    ).status_code in (302, 403)
