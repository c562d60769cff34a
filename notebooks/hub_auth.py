"""Signing in to the hub through the LMS, and handing a resident's server their LMS token.

The hub is an OAuth2 client of the LMS. The LMS token it receives is kept in
the hub's encrypted auth state; a resident's server asks for it at
``/hub/api/lms/token`` with its own hub token, which carries the custom scope
:data:`LMS_TOKEN_SCOPE` for its own user only, and gets it renewed with the
refresh token shortly before it expires.

Everything plugs into oauthenticator's public hooks: :func:`record_expiry` is the
``modify_auth_state_hook`` and :func:`renew_expiring_token` the
``refresh_user_hook``; a renewal is :meth:`LMSAuthenticator.authenticate` with the
refresh grant in place of the sign-in's code grant.
"""

import asyncio
import json
import time
from collections import defaultdict
from dataclasses import dataclass

from jupyterhub.apihandlers.base import APIHandler
from jupyterhub.user import User
from oauthenticator.generic import GenericOAuthenticator
from tornado import web
from traitlets import Integer, default

LMS_TOKEN_SCOPE = "custom:lms:read:token"
LMS_TOKEN_SCOPE_DESCRIPTION = "Read your LMS access token, renewed when it is about to expire."

SIGN_IN_AGAIN = (
    "Your LMS sign-in has ended. Stop your server from the hub's home page, "
    "sign in again, and start it."
)
ONLY_THE_SERVER = "Only a resident's own notebook server may ask for their LMS token."


@dataclass(frozen=True)
class RefreshGrant:
    """``authenticate()`` data meaning "trade this refresh token"; no login form can send one."""

    refresh_token: str


def record_expiry(authenticator, auth_state: dict) -> dict:
    """``modify_auth_state_hook``: note when the access token expires, as a time, not a duration.

    The time is kept in the token response too: oauthenticator's routine refresh
    rebuilds the auth state from that stored response, and must not take its
    ``expires_in`` as counting from now.
    """
    token_response = auth_state["token_response"]
    if "expires_at" not in token_response:
        expires_in = token_response.get("expires_in")
        token_response["expires_at"] = time.time() + float(expires_in) if expires_in else None
    auth_state["expires_at"] = token_response["expires_at"]
    return auth_state


async def renew_expiring_token(authenticator, user, auth_state: dict | None):
    """``refresh_user_hook``: renew a token about to expire, else refresh as oauthenticator does.

    oauthenticator renews only a token the LMS already refuses; a resident's
    server needs one that still works for a while, so this renews ahead of time.
    Returns None to let oauthenticator check the token (and keep roles in step),
    the new auth model after a renewal, or False to ask for a new sign-in.
    """
    if not auth_state or not authenticator.expiring(auth_state):
        return None
    try:
        auth_model = await authenticator.renew(user.name, auth_state)
    except web.HTTPError:
        return False
    # Saved now, under the lock, and not only by the hub once it is let go: a server asking for
    # its token in between would spend the refresh token the LMS has just rotated.
    await user.save_auth_state(auth_model["auth_state"])
    return auth_model


class LMSAuthenticator(GenericOAuthenticator):
    """GenericOAuthenticator that keeps the LMS token fresh for residents' servers."""

    renew_margin_seconds = Integer(
        300, config=True, help="Renew the LMS access token when it has less than this left."
    )

    @default("modify_auth_state_hook")
    def _modify_auth_state_hook_default(self):
        return record_expiry

    @default("refresh_user_hook")
    def _refresh_user_hook_default(self):
        return renew_expiring_token

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    def get_handlers(self, app):
        return [*super().get_handlers(app), (r"/api/lms/token", LMSTokenHandler)]

    def build_access_tokens_request_params(self, handler, data=None):
        """The token request: the sign-in's code grant, or a renewal's refresh grant."""
        if isinstance(data, RefreshGrant):
            return self.build_refresh_token_request_params(data.refresh_token)
        return super().build_access_tokens_request_params(handler, data)

    def expiring(self, auth_state: dict) -> bool:
        """Whether the access token has less than ``renew_margin_seconds`` left."""
        expires_at = auth_state.get("expires_at")
        return bool(expires_at) and expires_at - time.time() < self.renew_margin_seconds

    async def renew(self, name: str, auth_state: dict) -> dict:
        """Trade the refresh token for new tokens; returns the new auth model.

        The caller holds the user's lock. Any failure (no refresh token, the LMS
        refusing it, the account deactivated, the LMS down) means signing in
        again, raised as a 403 with :data:`SIGN_IN_AGAIN`.
        """
        refresh_token = auth_state.get("refresh_token")
        if not refresh_token:
            raise web.HTTPError(403, SIGN_IN_AGAIN)
        try:
            auth_model = await self.authenticate(None, RefreshGrant(refresh_token))
        except Exception as error:
            self.log.info("Could not renew the LMS token of %s: %s", name, error)
            raise web.HTTPError(403, SIGN_IN_AGAIN) from None
        # A provider may keep the refresh token unchanged and not send it again.
        auth_model["auth_state"]["refresh_token"] = (
            auth_model["auth_state"].get("refresh_token") or refresh_token
        )
        return auth_model

    async def refresh_user(self, user, handler=None, **kwargs):
        """oauthenticator's refresh, under the lock the token handler shares.

        The LMS rotates refresh tokens: two renewals with the same one would sign
        the resident out, so renewals for one user never overlap.
        """
        async with self._locks[user.name]:
            return await super().refresh_user(user, handler, **kwargs)

    async def lms_access_token(self, user, *, renew: bool = False) -> dict:
        """The user's LMS access token and its expiry, renewed first if it is about to expire."""
        async with self._locks[user.name]:
            auth_state = await user.get_auth_state()
            if not auth_state or not auth_state.get("access_token"):
                raise web.HTTPError(403, SIGN_IN_AGAIN)
            if renew or self.expiring(auth_state):
                auth_state = (await self.renew(user.name, auth_state))["auth_state"]
                await user.save_auth_state(auth_state)
            return {
                "access_token": auth_state["access_token"],
                "expires_at": auth_state.get("expires_at"),
            }


class LMSTokenHandler(APIHandler):
    """Give a user's own server (or the user's own API token) that user's LMS access token.

    The request must carry a hub token (a browser session never gets the LMS
    token) holding :data:`LMS_TOKEN_SCOPE` for the token's own user, as the
    ``server`` role grants it.
    """

    async def get(self):
        user = self.current_user
        if (
            not isinstance(user, User)
            or self.get_token() is None
            or not self.has_scope(f"{LMS_TOKEN_SCOPE}!user={user.name}")
        ):
            raise web.HTTPError(403, ONLY_THE_SERVER)
        renew = self.get_argument("renew", "") == "1"
        token = await self.authenticator.lms_access_token(user, renew=renew)
        self.set_header("Cache-Control", "no-store")
        self.write(json.dumps(token))
