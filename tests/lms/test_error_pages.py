"""Every error page in the site's design, and no debug page unless DEBUG is asked for."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import include, path

from tests.factories import resident_in

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("a bug")


def _forbidden(request):
    raise PermissionDenied


urlpatterns = [
    path("boom/", _boom),
    path("forbidden/", _forbidden),
    path("", include("lms.urls")),
]


def _styled(response) -> str:
    page = response.content.decode()
    assert "lms/css/site.css" in page, "the site's own design"
    assert "Traceback" not in page and "URLconf" not in page, "no debug page"
    return page


def test_not_found_is_the_sites_page(client, home):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We can't find that page" in _styled(response)


def test_forbidden_says_who_you_are_and_what_to_do(client, home, cohort):
    client.force_login(resident_in(cohort, first_name="Ana", last_name="Ruiz"))
    response = client.get(f"/gradebook/{cohort.slug}/")
    assert response.status_code == 403
    page = _styled(response)
    assert "This page is not open to you" in page and "Ana Ruiz" in page


def test_an_expired_form_is_explained(home):
    response = Client(enforce_csrf_checks=True).post(
        "/accounts/login/", {"username": "x", "password": "y"}
    )
    assert response.status_code == 403
    assert "That form had expired" in _styled(response)


def test_a_bad_request_is_the_sites_page(client, home):
    client.raise_request_exception = False
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "did not make sense" in _styled(response)


@pytest.mark.urls("tests.lms.test_error_pages")
def test_a_bug_shows_the_sites_page_and_says_work_is_safe(client, home):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Your work is safe" in _styled(response)
    assert client.get("/forbidden/").status_code == 403


def test_make_run_settings_keep_debug_off_unless_asked():
    """The settings ``make run`` uses: DEBUG off by default, on only with DEBUG=true."""
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    env.update(DJANGO_SETTINGS_MODULE="lms.settings.dev", SECRET_KEY="x" * 50)
    run = lambda extra: subprocess.run(  # noqa: E731
        [sys.executable, "-c", code], env={**env, **extra}, capture_output=True, text=True,
        check=True,
    ).stdout.strip()  # fmt: skip
    assert run({}) == "False"
    assert run({"DEBUG": "true"}) == "True"
