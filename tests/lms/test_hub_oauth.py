"""Signing in to JupyterHub through the LMS: the OAuth2 code flow with PKCE, and who may hold a token."""

import base64
import datetime
import hashlib
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.conf import settings
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application, RefreshToken

from lms.hub.auth import ACCOUNT_INACTIVE, TOKEN_INVALID
from lms.hub.services import hub_oauth_client_ensure
from lms.people.models import Role
from tests.factories import UserFactory, resident_in

pytestmark = pytest.mark.django_db

CALLBACK = "/hub/oauth_callback"


def _pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge.decode().rstrip("=")


def _authorize_url(challenge: str, redirect_uri: str | None = None, **extra) -> str:
    params = {
        "response_type": "code",
        "client_id": settings.LMS_HUB_CLIENT_ID,
        "redirect_uri": redirect_uri or settings.LMS_HUB_URL + CALLBACK,
        "scope": "profile exchange",
        "state": "x",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **extra,
    }
    return "/oauth/authorize/?" + urlencode(params)


def _basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def _authorization_code(client, user) -> tuple[str, str]:
    """Sign in and authorize as the hub does; return the code and the PKCE verifier."""
    client.force_login(user)
    verifier, challenge = _pkce()
    response = client.get(_authorize_url(challenge))
    assert response.status_code == 302, response.content[:500]
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == (
        settings.LMS_HUB_URL + CALLBACK
    )
    query = parse_qs(location.query)
    assert query["state"] == ["x"]
    return query["code"][0], verifier


def _token(client, data: dict, secret: str | None = None):
    return client.post(
        "/oauth/token/",
        data,
        HTTP_AUTHORIZATION=_basic(
            settings.LMS_HUB_CLIENT_ID,
            settings.LMS_HUB_CLIENT_SECRET if secret is None else secret,
        ),
    )


def _exchange_code(client, code: str, verifier: str, secret: str | None = None):
    """Trade an authorization code for tokens, as oauthenticator does at the hub's callback."""
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": settings.LMS_HUB_URL + CALLBACK,
        "code_verifier": verifier,
    }
    return _token(client, data, secret=secret)


def _tokens(client, user) -> dict:
    response = _exchange_code(client, *_authorization_code(client, user))
    assert response.status_code == 200, response.content
    return response.json()


def _me(client, token: str):
    return client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_hub_client_exists_after_migrations():
    """Is the hub's OAuth client there without anyone creating it by hand?"""
    application = Application.objects.get(client_id="jupyterhub")
    assert application.client_type == Application.CLIENT_CONFIDENTIAL
    assert application.authorization_grant_type == Application.GRANT_AUTHORIZATION_CODE
    assert application.skip_authorization is True
    assert application.redirect_uris == settings.LMS_HUB_URL + CALLBACK
    # The secret is stored hashed, never as the plaintext the hub holds.
    assert application.client_secret != settings.LMS_HUB_CLIENT_SECRET


def test_ensuring_the_client_follows_the_hub_url(settings):
    """When the hub moves, does the client's redirect URI move with it, without a second client?"""
    settings.LMS_HUB_URL = "https://hub.example.org"
    application = hub_oauth_client_ensure()
    assert application.redirect_uris == "https://hub.example.org" + CALLBACK
    assert Application.objects.filter(client_id="jupyterhub").count() == 1


def test_signed_in_resident_goes_straight_back_to_the_hub_with_a_code(client, cohort):
    """Is a signed-in resident sent back to the hub with a code, with no consent screen?"""
    code, _verifier = _authorization_code(client, resident_in(cohort, username="rosa"))
    assert code


def test_code_is_exchanged_for_tokens_and_userinfo(client, cohort):
    """Does the hub get access and refresh tokens, and learn the resident's name and roles?"""
    rosa = resident_in(cohort, username="rosa", first_name="Rosa", last_name="Delgado")
    tokens = _tokens(client, rosa)
    assert tokens["access_token"] and tokens["refresh_token"]
    assert tokens["token_type"] == "Bearer"
    assert set(tokens["scope"].split()) == {"profile", "exchange"}
    client.logout()  # the hub calls with the token, not a session
    response = _me(client, tokens["access_token"])
    assert response.status_code == 200
    assert response.json() == {
        "username": "rosa",
        "name": "Rosa Delgado",
        "preferred_name": "",
        "email": "rosa@example.org",
        "groups": ["Residents"],
        "is_staff": False,
    }


def test_staff_userinfo_lists_the_staff_role(client):
    """Does the hub learn that staff are staff, so it can make them hub admins?"""
    staffer = UserFactory(username="staffer", roles=[Role.STAFF, Role.MENTOR], is_staff=True)
    tokens = _tokens(client, staffer)
    data = _me(client, tokens["access_token"]).json()
    assert data["groups"] == ["Mentors", "Staff"]
    assert data["is_staff"] is True


def test_refresh_token_gives_a_new_access_token(client, resident):
    """Can the hub renew a resident's sign-in with the refresh token?"""
    tokens = _tokens(client, resident)
    response = _token(
        client, {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    )
    assert response.status_code == 200, response.content
    renewed = response.json()
    assert renewed["access_token"] != tokens["access_token"]
    assert _me(client, renewed["access_token"]).json()["username"] == resident.username


def test_wrong_redirect_uri_is_refused(client, resident):
    """Is an authorization request that would send the code elsewhere refused?"""
    client.force_login(resident)
    _verifier, challenge = _pkce()
    response = client.get(_authorize_url(challenge, redirect_uri="https://evil.example/steal"))
    assert response.status_code == 400
    assert "evil.example" not in response.get("Location", "")


def _variants(registered: str) -> dict[str, str]:
    """The registered callback changed in one part each."""
    parts = urlsplit(registered)
    other_port = (parts.port or 80) + 1
    host = "localhost" if parts.hostname == "127.0.0.1" else "127.0.0.1"
    return {
        "port": f"{parts.scheme}://{parts.hostname}:{other_port}{parts.path}",
        "scheme": f"{'https' if parts.scheme == 'http' else 'http'}://{parts.netloc}{parts.path}",
        "host": f"{parts.scheme}://{host}:{parts.port}{parts.path}",
        "path": f"{parts.scheme}://{parts.netloc}/hub/oauth_callback/../../evil",
        "longer path": f"{parts.scheme}://{parts.netloc}{parts.path}/more",
        "trailing slash": f"{registered}/",
        "query": f"{registered}?next=https://evil.example",
        "case": registered.replace("/hub/", "/HUB/"),
    }


@pytest.mark.parametrize(
    "part", ["port", "scheme", "host", "path", "longer path", "trailing slash", "query", "case"]
)
def test_the_hubs_callback_must_match_exactly(client, resident, part):
    """Does the LMS refuse to send a code to the hub's registered callback with one part
    changed — even another port on loopback, which RFC 8252 allows native apps but not a
    confidential web client?"""
    client.force_login(resident)
    _verifier, challenge = _pkce()
    changed = _variants(settings.LMS_HUB_URL + CALLBACK)[part]
    response = client.get(_authorize_url(challenge, redirect_uri=changed))
    assert response.status_code == 400, f"{part}: {changed} was accepted"
    assert "code=" not in response.get("Location", "")


def test_the_exact_callback_is_still_accepted(client, resident):
    code, _verifier = _authorization_code(client, resident)
    assert code


def test_wrong_secret_is_refused(client, resident):
    """Can someone holding a code but not the hub's secret get tokens?"""
    code, verifier = _authorization_code(client, resident)
    response = _exchange_code(client, code, verifier, secret="not-the-secret")
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert not AccessToken.objects.filter(user=resident).exists()


def test_wrong_code_verifier_is_refused(client, resident):
    """Is a stolen code useless without the PKCE verifier the hub kept?"""
    code, _verifier = _authorization_code(client, resident)
    response = _exchange_code(client, code, secrets.token_urlsafe(48))
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert not AccessToken.objects.filter(user=resident).exists()


def test_anonymous_visitor_is_sent_to_sign_in(client):
    """Does someone not signed in to the LMS meet the sign-in page first?"""
    _verifier, challenge = _pkce()
    url = _authorize_url(challenge)
    response = client.get(url)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == "/accounts/login/"
    assert parse_qs(location.query)["next"] == [url]


def test_deactivation_revokes_tokens_at_once(client, resident):
    """Once staff deactivate an account, do its tokens stop working, refresh included?"""
    tokens = _tokens(client, resident)
    assert _me(client, tokens["access_token"]).status_code == 200
    client.logout()

    resident.is_active = False
    resident.save()

    assert not AccessToken.objects.filter(user=resident).exists()
    assert not RefreshToken.objects.filter(user=resident).exists()
    response = _me(client, tokens["access_token"])
    assert response.status_code == 401
    assert response.json() == {"error": TOKEN_INVALID}
    assert "invalid_token" in response["WWW-Authenticate"]
    refreshed = _token(
        client, {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    )
    assert refreshed.status_code == 400
    assert refreshed.json()["error"] == "invalid_grant"


def test_saving_an_active_user_keeps_their_tokens(client, resident):
    """Does an ordinary edit of an account leave its sign-in alone?"""
    tokens = _tokens(client, resident)
    resident.first_name = "Renamed"
    resident.save()
    assert _me(client, tokens["access_token"]).status_code == 200


def _token_for(user, scope="profile exchange", **kwargs) -> AccessToken:
    return AccessToken.objects.create(
        user=user,
        token=secrets.token_urlsafe(24),
        application=Application.objects.get(client_id="jupyterhub"),
        expires=kwargs.pop("expires", timezone.now() + datetime.timedelta(hours=1)),
        scope=scope,
    )


def test_inactive_users_token_is_refused_with_a_reason(client):
    """If an inactive account somehow holds a token, is it refused with a sentence to act on?"""
    user = UserFactory(username="gone", is_active=False)
    token = _token_for(user)
    response = _me(client, token.token)
    assert response.status_code == 403
    assert response.json() == {"error": ACCOUNT_INACTIVE}


def test_token_without_exchange_scope_cannot_use_the_exchange(client, resident):
    """Can a token granted only for the profile fetch or list assignments?"""
    token = _token_for(resident, scope="profile")
    assert _me(client, token.token).status_code == 200
    response = client.get("/api/exchange/assignments", HTTP_AUTHORIZATION=f"Bearer {token.token}")
    assert response.status_code == 403
    assert "exchange" in response.json()["error"]


def test_token_without_profile_scope_cannot_read_userinfo(client, resident):
    """Is /api/me closed to a token not granted the profile?"""
    token = _token_for(resident, scope="exchange")
    response = _me(client, token.token)
    assert response.status_code == 403
    assert "profile" in response.json()["error"]


def test_userinfo_without_a_token_asks_for_one(client, resident):
    """Does /api/me explain how to authenticate rather than use the browser session?"""
    client.force_login(resident)
    response = client.get("/api/me")
    assert response.status_code == 401
    assert "Bearer" in response.json()["error"]
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "path",
    ["/oauth/applications/", "/oauth/applications/register/", "/oauth/authorized-tokens/"],
)
def test_client_management_pages_are_not_exposed(client, path):
    """Can a signed-in user register their own OAuth clients or browse tokens?"""
    client.force_login(UserFactory(roles=[Role.STAFF], is_staff=True, is_superuser=True))
    assert client.get(path).status_code == 404
