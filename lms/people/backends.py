"""Sign-in throttling with django-axes, for every sign-in that comes with a web request."""

from axes.backends import AxesStandaloneBackend


class SignInThrottleBackend(AxesStandaloneBackend):
    """django-axes's backend, passing over calls without a request.

    Every sign-in over the web (the site's form, the admin's, OAuth) hands Django its request,
    and is counted and locked out by address and account. Code signing someone in without a
    request (the test client, a shell) cannot be throttled by address, so it is left to the
    next backend instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
