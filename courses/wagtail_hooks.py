"""Wagtail hooks: who may read a published page."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from wagtail import hooks

from .selectors import page_visible_to


@hooks.register("before_serve_page")
def keep_pages_within_their_audience(page, request, serve_args, serve_kwargs):
    """Send visitors to sign in, and hide other cohorts' pages as if they did not exist."""
    if page_visible_to(user=request.user, page=page):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404
