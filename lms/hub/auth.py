"""Bearer-token checks shared by every API the hub and residents' servers call."""

from django.http import JsonResponse
from oauth2_provider.oauth2_backends import get_oauthlib_core

TOKEN_INVALID = (
    "Your sign-in to the LMS has expired or was revoked. "
    "Stop your server from the hub's home page and start it again to sign in afresh."
)
TOKEN_SCOPE = "This token may not be used for {scopes}."
ACCOUNT_INACTIVE = "This account is deactivated. Ask the program staff if that is a mistake."


def api_error(status: int, message: str) -> JsonResponse:
    """The one shape of every API refusal: a status and a sentence a person can act on."""
    return JsonResponse({"error": message}, status=status)


def bearer_user(request, *, scopes: list[str]):
    """Return ``(user, None)`` for a valid OAuth bearer token, else ``(None, refusal)``."""
    if "HTTP_AUTHORIZATION" not in request.META:
        response = api_error(401, "Send your LMS access token as 'Authorization: Bearer <token>'.")
        response["WWW-Authenticate"] = 'Bearer realm="lms"'
        return None, response
    valid, oauth_request = get_oauthlib_core().verify_request(request, scopes=[])
    if not valid:
        response = api_error(401, TOKEN_INVALID)
        response["WWW-Authenticate"] = 'Bearer realm="lms", error="invalid_token"'
        return None, response
    granted = set(oauth_request.access_token.scope.split())
    if not set(scopes) <= granted:
        return None, api_error(403, TOKEN_SCOPE.format(scopes=", ".join(scopes)))
    user = oauth_request.user
    if not user.is_active:
        return None, api_error(403, ACCOUNT_INACTIVE)
    return user, None
