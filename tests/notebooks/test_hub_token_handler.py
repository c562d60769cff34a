"""A resident's server asking the hub for their LMS token, with a real hub, proxy, server and LMS.

The resident signs in to the hub through the LMS (over HTTP, as a browser
would), the hub starts their server, and the server's "open the assignment"
page fetches it from the LMS with the token the hub hands to the server's
own hub token, which holds the custom scope only through the server role.
"""

import contextlib
import datetime
import html
import secrets
import time

import nbformat
import pytest
import requests
from django.utils import timezone
from oauth2_provider.models import RefreshToken

from assignments.services import assignment_create
from lms.hub.services import hub_oauth_client_ensure, hub_server_start
from notebooks.hub_auth import ONLY_THE_SERVER
from tests.assignments.conftest import source_notebook
from tests.e2e.hub import running_hub
from tests.factories import PASSWORD, CohortFactory, resident_in

pytestmark = [pytest.mark.hub, pytest.mark.django_db(transaction=True)]

NOTEBOOK = source_notebook(
    ("solution", "answer", "def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION"),
    ("test", "check", "assert f() == 1", 1),
)
# The server role as JupyterHub defines it, without the LMS token.
WITHOUT_THE_SCOPE = (
    'c.Spawner.server_token_scopes = ["users:activity!user", "access:servers!server"]'
)


@pytest.fixture
def resident(live_server):
    """A resident whose cohort has the released assignment ``ps1``."""
    cohort = CohortFactory(slug="winter")
    assignment_create(
        cohort=cohort,
        name="ps1",
        title="Warm-up",
        files={"ps1.ipynb": nbformat.writes(NOTEBOOK).encode()},
        release_at=timezone.now() - datetime.timedelta(hours=1),
        due_at=timezone.now() + datetime.timedelta(days=3),
    )
    return resident_in(cohort, username="tomas")


@contextlib.contextmanager
def _hub(live_server, settings, extra_config: str = ""):
    """A hub signing in through the live LMS, whose OAuth client knows the hub's address."""
    client_secret, api_token = secrets.token_hex(16), secrets.token_hex(32)
    settings.LMS_HUB_CLIENT_SECRET = client_secret
    with running_hub(
        lms_url=live_server.url,
        client_secret=client_secret,
        api_token=api_token,
        extra_config=extra_config,
    ) as hub:
        settings.LMS_HUB_URL = hub.url
        hub_oauth_client_ensure()
        yield hub


def _signed_in(hub, lms_url: str, username: str) -> requests.Session:
    """A session signed in to the LMS's form, then to the hub through the LMS."""
    session = requests.Session()
    session.get(f"{lms_url}/accounts/login/", timeout=30)
    form = {
        "username": username,
        "password": PASSWORD,
        "csrfmiddlewaretoken": session.cookies["csrftoken"],
    }
    signed_in = session.post(
        f"{lms_url}/accounts/login/", data=form, allow_redirects=False, timeout=30
    )
    assert signed_in.status_code == 302, "the LMS took the password"
    landed = session.get(f"{hub.url}/hub/oauth_login", timeout=30)
    assert landed.url.startswith(hub.url), f"not back at the hub: {landed.url}\n{hub.log_tail()}"
    assert hub.api("GET", f"/users/{username}").status_code == 200, "the hub knows them"
    return session


def _server_started(hub, username: str) -> None:
    assert hub.api("POST", f"/users/{username}/server").status_code in (201, 202)
    deadline = time.monotonic() + 120
    while not hub.api("GET", f"/users/{username}").json()["servers"].get("", {}).get("ready"):
        if time.monotonic() > deadline:
            raise AssertionError(f"the server did not start:\n{hub.log_tail()}")
        time.sleep(0.5)


def _auth_state(hub, username: str) -> dict:
    return hub.api("GET", f"/users/{username}").json()["auth_state"]


def test_the_server_gets_a_renewed_token_through_its_scope(live_server, settings, resident):
    """Does the server, holding the custom scope, get the token, renewed as it nears expiry?"""
    with _hub(live_server, settings) as hub:
        session = _signed_in(hub, live_server.url, "tomas")
        signed_in = _auth_state(hub, "tomas")
        # The hub believes the token has half a minute left: the server's request renews it.
        hub.api(
            "PATCH",
            "/users/tomas",
            json={"auth_state": {**signed_in, "expires_at": time.time() + 30}},
        ).raise_for_status()
        _server_started(hub, "tomas")

        opened = session.get(f"{hub.url}/user/tomas/lms/open/ps1", timeout=120)

        assert opened.status_code == 200, f"{opened.text[:500]}\n{hub.log_tail()}"
        assert opened.url.endswith("/user/tomas/lab/tree/ps1/ps1.ipynb")
        renewed = _auth_state(hub, "tomas")
        assert renewed["access_token"] != signed_in["access_token"]
        assert renewed["expires_at"] > time.time() + 600
        assert not RefreshToken.objects.filter(
            token=signed_in["refresh_token"], revoked__isnull=True
        ).exists(), "the LMS rotated the refresh token"

        # The resident's browser session, with the hub's XSRF token as the hub's own pages send it.
        xsrf = next(cookie.value for cookie in session.cookies if cookie.name == "_xsrf")
        browser = session.get(f"{hub.api_url}/lms/token", headers={"X-XSRFToken": xsrf}, timeout=30)
        assert browser.status_code == 403
        assert browser.json()["message"] == ONLY_THE_SERVER
        assert session.get(f"{hub.api_url}/user", headers={"X-XSRFToken": xsrf}).ok, "signed in"

        # A token with the hub's blessing but not a user's server's: the LMS's own service token.
        service = requests.get(
            f"{hub.api_url}/lms/token",
            headers={"Authorization": f"token {hub.api_token}"},
            timeout=30,
        )
        assert service.status_code == 403
        assert service.json()["message"] == ONLY_THE_SERVER


def test_a_server_without_the_scope_is_refused(live_server, settings, resident):
    """If a server's token lacks the custom scope, is it refused the token, in plain words?"""
    with _hub(live_server, settings, extra_config=WITHOUT_THE_SCOPE) as hub:
        session = _signed_in(hub, live_server.url, "tomas")
        _server_started(hub, "tomas")

        opened = session.get(f"{hub.url}/user/tomas/lms/open/ps1", timeout=120)

        assert opened.status_code == 400
        assert html.escape(ONLY_THE_SERVER) in opened.text


def _ready(hub, username: str, within: float = 120) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        servers = hub.api("GET", f"/users/{username}").json().get("servers", {})
        if servers.get("", {}).get("ready"):
            return True
        time.sleep(0.5)
    return False


def test_a_prestarted_server_is_running_when_the_resident_opens_the_notebook(
    live_server, settings, resident
):
    with _hub(live_server, settings) as hub:
        settings.LMS_HUB_API_URL = hub.api_url
        settings.LMS_HUB_API_TOKEN = hub.api_token
        session = _signed_in(hub, live_server.url, "tomas")
        assert hub_server_start(username="tomas")
        assert _ready(hub, "tomas"), hub.log_tail()
        assert hub_server_start(username="tomas"), "starting a running server is not an error"

        began = time.monotonic()
        opened = session.get(f"{hub.url}/user/tomas/lms/open/ps1", timeout=120)
        assert opened.status_code == 200, f"{opened.text[:300]}\n{hub.log_tail()}"
        assert opened.url.endswith("/user/tomas/lab/tree/ps1/ps1.ipynb")
        assert time.monotonic() - began < 10


def test_the_hub_being_down_is_logged_not_raised(settings, caplog):
    settings.LMS_HUB_API_URL = "http://127.0.0.1:9/hub/api"
    assert hub_server_start(username="tomas", timeout=2) is False
    assert "Could not reach the hub" in caplog.text
