"""A Content-Security-Policy on every response (django-csp): a strict one for the site, and for
Wagtail's admin the looser one its own inline scripts need."""

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings


class SiteAndAdminCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's policy (``LMS_ADMIN_CSP``) under its prefixes.

    Wagtail's admin writes a few inline scripts (date pickers, inline panels) that a nonce
    policy would block; everything else, residents' pages above all, gets the strict policy.
    A view's own ``csp_replace``/``csp_update`` still apply on top.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(tuple(settings.LMS_ADMIN_CSP_PREFIXES))
        ):
            parts.config = default_config(settings.LMS_ADMIN_CSP)
            parts.nonce = None
        return parts
