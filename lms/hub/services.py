"""Writes for the hub integration: the OAuth client, token revocation, removing hub users."""

import logging
from urllib.parse import quote

import requests
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django_tasks import task
from oauth2_provider.models import AccessToken, Application, Grant, RefreshToken

logger = logging.getLogger(__name__)

HUB_CALLBACK_PATH = "/hub/oauth_callback"


def hub_oauth_client_ensure() -> Application:
    """Create or update the hub's OAuth client: confidential, code flow, no consent screen.

    The hub is part of the platform, so residents are never asked to "allow"
    it; the redirect URI follows ``LMS_HUB_URL`` whenever settings change.
    """
    application, _ = Application.objects.update_or_create(
        client_id=settings.LMS_HUB_CLIENT_ID,
        defaults={
            "name": "JupyterHub",
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
            "redirect_uris": settings.LMS_HUB_URL + HUB_CALLBACK_PATH,
            "post_logout_redirect_uris": settings.LMS_HUB_URL + "/hub/",
            "client_secret": settings.LMS_HUB_CLIENT_SECRET,
            "hash_client_secret": True,
            "skip_authorization": True,
        },
    )
    return application


@transaction.atomic
def oauth_tokens_revoke(*, user) -> bool:
    """Delete every OAuth grant and token the user holds; say whether there were any."""
    deleted = 0
    for model in (RefreshToken, AccessToken, Grant):
        count, _ = model.objects.filter(user=user).delete()
        deleted += count
    return deleted > 0


def hub_user_remove(*, username: str, timeout: float = 30) -> bool:
    """Ask the hub to stop the user's server and delete its record of them.

    Deleting the hub user also invalidates their hub cookie and API tokens.
    Their home folder stays; signing in again (once reactivated) recreates the
    hub user. Returns False, logged, when the hub cannot be reached.
    """
    url = f"{settings.LMS_HUB_API_URL}/users/{quote(username, safe='')}"
    headers = {"Authorization": f"token {settings.LMS_HUB_API_TOKEN}"}
    try:
        response = requests.delete(url, headers=headers, timeout=timeout)
    except requests.RequestException as error:
        logger.warning("Could not reach the hub to remove %s: %s", username, error)
        return False
    if response.status_code in (204, 404):
        return True
    logger.warning(
        "The hub refused to remove %s: %s %s", username, response.status_code, response.text[:200]
    )
    return False


def hub_server_start(*, username: str, timeout: float = 30) -> bool:
    """Ask the hub to start the user's notebook server (creating the hub user if need be).

    Returns True when the server is running or starting, False (logged) when the hub cannot be
    reached or refuses. Starting a server that already runs is not an error.
    """
    user_url = f"{settings.LMS_HUB_API_URL}/users/{quote(username, safe='')}"
    headers = {"Authorization": f"token {settings.LMS_HUB_API_TOKEN}"}
    try:
        response = requests.post(f"{user_url}/server", headers=headers, timeout=timeout)
        if response.status_code == 404:
            requests.post(user_url, headers=headers, timeout=timeout)
            response = requests.post(f"{user_url}/server", headers=headers, timeout=timeout)
    except requests.RequestException as error:
        logger.warning("Could not reach the hub to start %s's server: %s", username, error)
        return False
    if response.status_code in (201, 202) or (
        response.status_code == 400 and "already" in response.text
    ):
        return True
    logger.warning(
        "The hub did not start %s's server: %s %s",
        username, response.status_code, response.text[:200],
    )  # fmt: skip
    return False


def notebook_server_prestart(*, user) -> bool:
    """Start the resident's notebook server in the background, so "Open in JupyterLab" finds it
    running. At most once per ``LMS_HUB_PRESTART_EVERY_SECONDS`` per resident (the idle culler's
    timeout): a resident who never opens the notebook costs at most one culled server."""
    if not settings.LMS_HUB_PRESTART or not user.is_authenticated:
        return False
    key = f"hub-prestart:{user.pk}"
    if not cache.add(key, True, timeout=settings.LMS_HUB_PRESTART_EVERY_SECONDS):
        return False
    transaction.on_commit(lambda: hub_server_start_task.enqueue(user.username))
    return True


@task(priority=20)
def hub_user_remove_task(username: str) -> bool:
    """Stop a deactivated resident's notebook server and forget their hub session."""
    return hub_user_remove(username=username)


@task(priority=30)
def hub_server_start_task(username: str) -> bool:
    """Start a resident's notebook server ahead of their click; it goes before any grading."""
    return hub_server_start(username=username)
