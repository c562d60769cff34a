"""The hub's side of signing in, against the real LMS: renewing tokens, and losing them.

JupyterHub's authenticator runs here exactly as in the hub (oauthenticator
talking HTTP to the live test server); only the hub's user record is a small
stand-in holding the encrypted auth state.
"""

import asyncio
import datetime
import secrets
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application, RefreshToken
from tornado import web
from traitlets.config import Config

from lms.people.models import Role
from notebooks.hub_auth import (
    SIGN_IN_AGAIN,
    LMSAuthenticator,
    record_expiry,
    renew_expiring_token,
)
from notebooks.hub_config import configure
from tests.factories import UserFactory, resident_in

pytestmark = pytest.mark.django_db(transaction=True)


class HubUser:
    """What the authenticator uses of JupyterHub's user: a name and the auth state."""

    def __init__(self, name: str, auth_state: dict):
        self.name, self.auth_state = name, auth_state

    async def get_auth_state(self):
        return self.auth_state

    async def save_auth_state(self, auth_state):
        self.auth_state = auth_state


@pytest.fixture
def authenticator(live_server, settings, tmp_path):
    config = Config()
    configure(
        config,
        {
            "LMS_DATA_DIR": str(tmp_path),
            "LMS_BASE_URL": live_server.url,
            "LMS_HUB_CLIENT_SECRET": settings.LMS_HUB_CLIENT_SECRET,
            "LMS_HUB_API_TOKEN": "unused",
        },
    )
    return LMSAuthenticator(config=config)


def _signed_in(user, *, expires_in: float) -> HubUser:
    """The auth state the hub keeps after ``user`` signed in, with tokens issued by the LMS.

    A negative ``expires_in`` gives a token that has already expired, in the LMS too.
    """
    application = Application.objects.get(client_id="jupyterhub")
    access = AccessToken.objects.create(
        user=user, application=application, token=secrets.token_urlsafe(24),
        expires=timezone.now() + datetime.timedelta(seconds=expires_in),
        scope="profile exchange",
    )  # fmt: skip
    refresh = RefreshToken.objects.create(
        user=user, application=application, token=secrets.token_urlsafe(24), access_token=access
    )
    token_response = {
        "access_token": access.token,
        "token_type": "Bearer",
        "scope": "profile exchange",
        "expires_in": expires_in,
        "refresh_token": refresh.token,
    }
    auth_state = {
        "access_token": access.token,
        "refresh_token": refresh.token,
        "token_response": token_response,
    }
    return HubUser(user.username, record_expiry(None, auth_state))


def _run(coroutine):
    """Run hub code on its own event loop, in a thread: the browser tests keep one in this thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _me(live_server, token: str) -> requests.Response:
    return requests.get(
        f"{live_server.url}/api/me", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )


def test_token_about_to_expire_is_renewed_for_the_server(authenticator, live_server, cohort):
    """Does a server asking for the LMS token near its expiry get a fresh, working one?"""
    resident = resident_in(cohort, username="dee")
    hub_user = _signed_in(resident, expires_in=30)
    old = dict(hub_user.auth_state)

    token = _run(authenticator.lms_access_token(hub_user))

    assert token["access_token"] != old["access_token"]
    assert token["expires_at"] > time.time() + 600
    assert _me(live_server, token["access_token"]).json()["username"] == "dee"
    assert hub_user.auth_state["refresh_token"] != old["refresh_token"], "kept the rotated one"
    assert not RefreshToken.objects.filter(
        token=old["refresh_token"], revoked__isnull=True
    ).exists()


def test_fresh_token_is_handed_over_as_it_is(authenticator, cohort):
    """Is a token with hours left given out without a round trip to the LMS?"""
    hub_user = _signed_in(resident_in(cohort, username="eli"), expires_in=3600)
    before = hub_user.auth_state["access_token"]
    token = _run(authenticator.lms_access_token(hub_user))
    assert token["access_token"] == before


def test_deactivated_resident_cannot_renew(authenticator, cohort):
    """Once staff deactivate an account, does the hub refuse to hand out or renew its token?"""
    resident = resident_in(cohort, username="fay")
    hub_user = _signed_in(resident, expires_in=30)
    resident.is_active = False
    resident.save()

    async def attempts():
        with pytest.raises(web.HTTPError) as refused:
            await authenticator.lms_access_token(hub_user, renew=True)
        return refused.value, await authenticator.refresh_user(hub_user)

    refusal, refreshed = _run(attempts())
    assert refusal.status_code == 403 and refusal.log_message == SIGN_IN_AGAIN
    assert refreshed is False, "the hub asks for a new sign-in, which the LMS refuses"


def test_refresh_keeps_roles_in_step_with_the_lms(authenticator, db):
    """Does a staff member come out of a refresh as a hub admin, with their LMS roles as groups?"""
    staff = UserFactory(username="gus", roles=[Role.STAFF])
    hub_user = _signed_in(staff, expires_in=3600)
    model = _run(authenticator.refresh_user(hub_user))
    assert model["name"] == "gus"
    assert model["admin"] is True
    assert "Staff" in model["groups"]


def test_the_hooks_are_oauthenticators_public_ones(authenticator):
    """Is the renewal plugged in through oauthenticator's hooks, not by overriding its internals?"""
    assert authenticator.refresh_user_hook is renew_expiring_token
    assert authenticator.modify_auth_state_hook is record_expiry


def test_refresh_renews_an_expired_token(authenticator, live_server, cohort):
    """When the hub refreshes a resident whose LMS token has expired, do they get a working one?"""
    resident = resident_in(cohort, username="hal")
    hub_user = _signed_in(resident, expires_in=-60)
    old = dict(hub_user.auth_state)
    assert _me(live_server, old["access_token"]).status_code == 401

    model = _run(authenticator.refresh_user(hub_user))

    state = model["auth_state"]
    assert model["name"] == "hal"
    assert state["access_token"] != old["access_token"]
    assert state["expires_at"] > time.time() + 600
    assert _me(live_server, state["access_token"]).json()["username"] == "hal"
    assert state["refresh_token"] != old["refresh_token"], "kept the rotated one"
    assert hub_user.auth_state == state, "saved before the lock is let go"


def test_routine_refresh_keeps_the_real_expiry(authenticator, cohort):
    """Does a refresh of a token with time left leave it, and its expiry, as they were?"""
    hub_user = _signed_in(resident_in(cohort, username="ivo"), expires_in=1200)
    before = dict(hub_user.auth_state)
    time.sleep(1)

    model = _run(authenticator.refresh_user(hub_user))

    assert model["auth_state"]["access_token"] == before["access_token"]
    assert model["auth_state"]["expires_at"] == before["expires_at"]


def test_a_refresh_and_a_server_at_once_renew_once(authenticator, live_server, cohort):
    """If the hub refreshes while the server asks for its token, is the refresh token spent once?"""
    resident = resident_in(cohort, username="jo")
    hub_user = _signed_in(resident, expires_in=30)
    old_refresh = hub_user.auth_state["refresh_token"]

    async def both():
        return await asyncio.gather(
            authenticator.refresh_user(hub_user), authenticator.lms_access_token(hub_user)
        )

    model, token = _run(both())

    assert model["auth_state"]["access_token"] == token["access_token"]
    assert _me(live_server, token["access_token"]).json()["username"] == "jo"
    assert RefreshToken.objects.filter(user=resident, revoked__isnull=True).count() == 1
    assert not RefreshToken.objects.filter(token=old_refresh, revoked__isnull=True).exists()
