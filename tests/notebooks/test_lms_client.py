"""The Jupyter side's HTTP client: what it raises when the LMS is away or says no, by type."""

import datetime
import pickle
import secrets
import socket
import threading

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken

from assignments.api import NO_SUCH_ASSIGNMENT
from lms.hub.auth import TOKEN_INVALID
from lms.hub.services import hub_oauth_client_ensure
from notebooks.lms_client import ExchangeRefused, LMSClient, LMSRefused, LMSUnreachable
from notebooks.server_extension import plain_error
from tests.factories import CohortFactory, resident_in

live = pytest.mark.django_db(transaction=True)


def _closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def resident_token(live_server):
    """A resident's LMS access token, as the hub would hand it to their server."""
    resident = resident_in(CohortFactory(slug="autumn"), username="noa")
    token = secrets.token_urlsafe(24)
    AccessToken.objects.create(
        user=resident,
        token=token,
        application=hub_oauth_client_ensure(),
        expires=timezone.now() + datetime.timedelta(hours=1),
        scope="profile exchange",
    )
    return token


def test_an_unreachable_lms_raises_lms_unreachable():
    """With nothing listening at the LMS's address, is it LMSUnreachable, still an ExchangeRefused?"""
    client = LMSClient(lms_url=f"http://127.0.0.1:{_closed_port()}", access_token="t", timeout=2)
    with pytest.raises(LMSUnreachable) as unreachable:
        client.assignments()
    assert isinstance(unreachable.value, ExchangeRefused)
    assert str(unreachable.value).startswith("The LMS could not be reached")


def test_an_unreachable_hub_raises_lms_unreachable():
    """When the hub cannot be asked for the resident's token, is that LMSUnreachable too?"""
    client = LMSClient(
        lms_url="http://127.0.0.1:9",
        hub_api_url=f"http://127.0.0.1:{_closed_port()}/hub/api",
        hub_api_token="server-token",
        timeout=2,
    )
    with pytest.raises(LMSUnreachable) as unreachable:
        client.access_token()
    assert str(unreachable.value).startswith("The hub could not be reached for your LMS sign-in")


@live
def test_a_not_found_raises_lms_refused_with_the_lms_sentence(live_server, resident_token):
    """Asking for an assignment the cohort lacks: is it LMSRefused(404) with the LMS's words?"""
    client = LMSClient(lms_url=live_server.url, access_token=resident_token)
    with pytest.raises(LMSRefused) as refused:
        client.release("ps9")
    assert refused.value.status == 404
    assert str(refused.value) == NO_SUCH_ASSIGNMENT.format(name="ps9")
    assert isinstance(refused.value, ExchangeRefused)


@live
def test_a_rejected_token_raises_lms_refused_401(live_server):
    """With a token the LMS does not know, is it LMSRefused(401) with the LMS's sentence?"""
    client = LMSClient(lms_url=live_server.url, access_token="forged")
    with pytest.raises(LMSRefused) as refused:
        client.assignments()
    assert (refused.value.status, str(refused.value)) == (401, TOKEN_INVALID)


@live
def test_a_refused_submission_is_not_retried(live_server, resident_token):
    """Is a refusal final, with no second upload tried?"""
    attempts = []
    client = LMSClient(lms_url=live_server.url, access_token=resident_token)
    client.session.hooks["response"].append(lambda response, **_: attempts.append(response))
    with pytest.raises(LMSRefused):
        client.submit("ps9", b"not a zip")
    assert len(attempts) == 1


def test_a_lost_connection_is_tried_three_times():
    """When the LMS drops the connection during an upload, is it tried again, three times in all?"""
    connections = []
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()

        def drop_each():
            while len(connections) < 3:
                conn, _ = listener.accept()
                connections.append(conn)
                conn.close()

        dropper = threading.Thread(target=drop_each, daemon=True)
        dropper.start()
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        client = LMSClient(lms_url=url, access_token="t", timeout=5)
        with pytest.raises(LMSUnreachable):
            client.submit("ps1", b"zip", key="k")
        dropper.join(timeout=5)
    assert len(connections) == 3


def test_refusals_survive_pickling():
    """Does a refusal keep its status and sentence when it crosses a process boundary?"""
    copy = pickle.loads(pickle.dumps(LMSRefused(403, "No.")))  # noqa: S301 - our own object
    assert (type(copy), copy.status, str(copy)) == (LMSRefused, 403, "No.")


@pytest.mark.parametrize(
    "error",
    [
        LMSRefused(404, "Your cohort has no assignment called 'ps9'."),
        LMSUnreachable("The LMS could not be reached: connection refused"),
    ],
)
def test_plain_error_keeps_the_sentence_of_each_refusal(error):
    """In JupyterLab, does each kind of refusal read as its sentence, not a traceback?"""
    cls = type(error)
    traceback = (
        "Traceback (most recent call last):\n"
        '  File "/x/exchange.py", line 10, in start\n'
        f"{cls.__module__}.{cls.__qualname__}: {error}\n"
    )
    assert plain_error({"success": False, "value": traceback})["value"] == str(error)
