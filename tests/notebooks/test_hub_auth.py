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
from notebooks.hub_auth import SIGN_IN_AGAIN, LMSAuthenticator
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
    """The auth state the hub keeps after ``user`` signed in, with tokens issued by the LMS."""
    application = Application.objects.get(client_id="jupyterhub")
    access = AccessToken.objects.create(
        user=user, application=application, token=secrets.token_urlsafe(24),
        expires=timezone.now() + datetime.timedelta(seconds=max(expires_in, 1)),
        scope="profile exchange",
    )  # fmt: skip
    refresh = RefreshToken.objects.create(
        user=user, application=application, token=secrets.token_urlsafe(24), access_token=access
    )
    token_response = {
        "access_token": access.token,
        "token_type": "Bearer",
        "scope": "profile exchange",
    }
    return HubUser(
        user.username,
        {
            "access_token": access.token,
            "refresh_token": refresh.token,
            "token_response": token_response,
            "expires_at": time.time() + expires_in,
        },
    )


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
