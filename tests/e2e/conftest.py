"""A real Chromium (Debian's), driven by Playwright, against the live test server."""

import contextlib
import os
import shutil

import pytest

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS = {"laptop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
# True when nothing makes the page itself scroll sideways (tables scroll inside their frames).
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth + 1"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("Chromium is not installed: `make test` installs Debian's chromium package.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def screenshot_dir(tmp_path):
    path = os.environ.get("LMS_SCREENSHOT_DIR")
    if path:
        os.makedirs(path, exist_ok=True)
        return path
    return str(tmp_path)


def sign_in(page, base_url: str, username: str, password: str = "residency-demo") -> None:
    """Sign in through the LMS's own form and wait for the home page."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")


@contextlib.contextmanager
def signed_in(browser, base_url: str, username: str, device: str = "laptop"):
    """A page in a fresh browser context, signed in as ``username``; closed afterwards."""
    context = browser.new_context(viewport=VIEWPORTS[device])
    try:
        page = context.new_page()
        sign_in(page, base_url, username)
        yield page
    finally:
        context.close()
