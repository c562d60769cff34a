"""Signing in to the hub through the LMS, and handing a resident's server their LMS token.

The hub is an OAuth2 client of the LMS. The LMS token it receives is kept in
the hub's encrypted auth state; a resident's server asks for it at
``/hub/api/lms/token`` with its own hub token, and only ever gets its own
user's, renewed with the refresh token shortly before it expires.
"""

import asyncio
import json
import time
from collections import defaultdict

from jupyterhub.apihandlers.base import APIHandler
from jupyterhub.user import User
from oauthenticator.generic import GenericOAuthenticator
from tornado import web
from traitlets import Integer

SIGN_IN_AGAIN = (
    "Your LMS sign-in has ended. Stop your server from the hub's home page, "
    "sign in again, and start it."
)


class LMSAuthenticator(GenericOAuthenticator):
    """GenericOAuthenticator that keeps the LMS token fresh for residents' servers."""

    renew_margin_seconds = Integer(
        300, config=True, help="Renew the LMS access token when it has less than this left."
    )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    def get_handlers(self, app):
        return [*super().get_handlers(app), (r"/api/lms/token", LMSTokenHandler)]

    async def build_auth_state_dict(self, token_info, user_info):
        auth_state = super().build_auth_state_dict(token_info, user_info)
        expires_in = token_info.get("expires_in")
        auth_state["expires_at"] = time.time() + float(expires_in) if expires_in else None
        return auth_state

    def _expiring(self, auth_state: dict) -> bool:
        expires_at = auth_state.get("expires_at")
        return bool(expires_at) and expires_at - time.time() < self.renew_margin_seconds

    async def _renew(self, auth_state: dict) -> dict:
        """Trade the refresh token for new tokens and build the new auth model."""
        refresh_token = auth_state.get("refresh_token")
        if not refresh_token:
            raise web.HTTPError(403, SIGN_IN_AGAIN)
        token_info = await self.get_token_info(
            None, self.build_refresh_token_request_params(refresh_token)
        )
        token_info.setdefault("refresh_token", refresh_token)
        return await self._token_to_auth_model(token_info)

    async def refresh_user(self, user, handler=None, **kwargs):
        """Renew a token about to expire; otherwise check it as GenericOAuthenticator does.

        Shares a lock with the token handler, because the LMS rotates refresh
        tokens: two renewals with the same one would sign the resident out.
        """
        async with self._locks[user.name]:
            auth_state = await user.get_auth_state()
            if auth_state and self._expiring(auth_state):
                try:
                    return await self._renew(auth_state)
                except Exception as error:
                    self.log.info("Could not renew the LMS token of %s: %s", user.name, error)
                    return False
            return await super().refresh_user(user, handler, **kwargs)

    async def lms_access_token(self, user, *, renew: bool = False) -> dict:
        async with self._locks[user.name]:
            auth_state = await user.get_auth_state()
            if not auth_state or not auth_state.get("access_token"):
                raise web.HTTPError(403, SIGN_IN_AGAIN)
            if renew or self._expiring(auth_state):
                try:
                    auth_model = await self._renew(auth_state)
                except web.HTTPError:
                    raise
                except Exception as error:
                    self.log.info("Could not renew the LMS token of %s: %s", user.name, error)
                    raise web.HTTPError(403, SIGN_IN_AGAIN) from None
                auth_state = auth_model["auth_state"]
                await user.save_auth_state(auth_state)
            return {
                "access_token": auth_state["access_token"],
                "expires_at": auth_state.get("expires_at"),
            }


class LMSTokenHandler(APIHandler):
    """Give a user's own server (or the user's own API token) that user's LMS access token."""

    async def get(self):
        user = self.current_user
        if not isinstance(user, User) or not self._token_authenticated:
            raise web.HTTPError(
                403, "Only a resident's own notebook server may ask for their LMS token."
            )
        renew = self.get_argument("renew", "") == "1"
        token = await self.authenticator.lms_access_token(user, renew=renew)
        self.set_header("Cache-Control", "no-store")
        self.write(json.dumps(token))
