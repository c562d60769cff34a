"""The LMS's OAuth2 rules beyond django-oauth-toolkit's defaults."""

from oauth2_provider.models import AbstractApplication
from oauth2_provider.oauth2_validators import OAuth2Validator


def redirect_uri_registered(*, redirect_uri: str, registered: str) -> bool:
    """Whether ``redirect_uri`` is one of the registered ones, character for character: scheme,
    host, port and path. RFC 8252 lets native apps on loopback pick any port; the hub is a
    confidential web client at a fixed address, so no port or path may differ."""
    return redirect_uri in registered.split()


class ExactRedirectValidator(OAuth2Validator):
    """django-oauth-toolkit's validator, matching confidential clients' redirect URIs exactly."""

    def validate_redirect_uri(self, client_id, redirect_uri, request, *args, **kwargs):
        client = request.client
        if client.client_type == AbstractApplication.CLIENT_CONFIDENTIAL:
            return redirect_uri_registered(
                redirect_uri=redirect_uri, registered=client.redirect_uris
            )
        return super().validate_redirect_uri(client_id, redirect_uri, request, *args, **kwargs)
