"""A resident's whole day with a notebook, in a real browser against a real hub, proxy and LMS.

Sign in to the LMS, press "Open in JupyterLab" on a lesson, land in JupyterLab
(running as the resident's own system user) with the exercise fetched, write
an answer, submit it from nbgrader's Assignments panel, and read the grade on
the LMS progress page. Then staff deactivate the account and the server goes.
"""

import datetime
import re
import secrets
import time

import nbformat
import pytest
import requests
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from assignments.models import Submission
from assignments.selectors import shown_time
from assignments.services import assignment_create
from courses.models import LessonPage, WeekPage
from lms.cohorts.selectors import cohort_for_resident, cohort_week_number
from lms.hub.services import hub_oauth_client_ensure
from lms.people.models import User
from tests.assignments.conftest import source_notebook

from .conftest import sign_in
from .hub import running_hub

pytestmark = [pytest.mark.e2e, pytest.mark.hub, pytest.mark.django_db(transaction=True)]

ASSIGNMENT = "e2e-squares"
NOTEBOOK = "squares.ipynb"


@pytest.fixture
def hub(live_server, settings):
    client_secret, api_token = secrets.token_hex(16), secrets.token_hex(32)
    with running_hub(
        lms_url=live_server.url, client_secret=client_secret, api_token=api_token
    ) as running:
        settings.LMS_HUB_URL = running.url
        settings.LMS_HUB_API_URL = running.api_url
        settings.LMS_HUB_API_TOKEN = api_token
        settings.LMS_HUB_CLIENT_SECRET = client_secret
        yield running


def _exercise_on_todays_lesson(resident: User) -> LessonPage:
    cohort = cohort_for_resident(user=resident)
    assignment_create(
        cohort=cohort,
        name=ASSIGNMENT,
        title="Squares",
        files={
            NOTEBOOK: nbformat.writes(
                source_notebook(
                    ("solution", "answer", "def square(x):\n    ### BEGIN SOLUTION\n    return x * x\n    ### END SOLUTION"),
                    ("test", "check", "assert square(3) == 9\nassert square(-2) == 4", 2),
                )
            ).encode()
        },
        release_at=timezone.now() - datetime.timedelta(hours=1),
        due_at=timezone.now() + datetime.timedelta(days=2),
    )  # fmt: skip
    week = WeekPage.objects.get(number=cohort_week_number(cohort=cohort))
    # The week's first lesson, live now whatever the day and hour: before 8 a.m. on a
    # Monday no lesson of the week has opened yet.
    lesson = LessonPage.objects.child_of(week).first()
    lesson.go_live_at = None
    lesson.body.append(
        ("notebook", {"assignment": ASSIGNMENT, "title": "Squares", "description": "Warm up."})
    )
    lesson.save_revision().publish()
    return lesson


def test_resident_opens_writes_submits_and_sees_the_grade(
    live_server, hub, browser, screenshot_dir
):
    call_command("load_demo")
    hub_oauth_client_ensure()
    aisha = User.objects.get(username="aisha")
    lesson = _exercise_on_todays_lesson(aisha)

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    sign_in(page, live_server.url, "aisha")
    page.goto(f"{live_server.url}{lesson.url}")
    button = page.locator(f"a[data-open-in-jupyterlab][href*='{ASSIGNMENT}']")
    assert button.get_attribute("target") == "_blank", "JupyterHub cannot be framed: a new tab"
    page.screenshot(path=f"{screenshot_dir}/lesson-open-in-jupyterlab.png", full_page=True)

    with context.expect_page() as new_tab:
        button.click()
    lab = new_tab.value
    console_errors = []
    lab.on(
        "console", lambda message: message.type == "error" and console_errors.append(message.text)
    )
    lab.on("pageerror", lambda error: console_errors.append(str(error)))
    try:
        lab.wait_for_url(f"**/user/aisha/lab/tree/{ASSIGNMENT}/{NOTEBOOK}", timeout=120_000)
        editor = lab.locator(".jp-Notebook .jp-Cell").first.locator(".cm-content")
        # The release version: the solution is replaced by nbgrader's placeholder.
        expect(editor).to_contain_text("YOUR CODE HERE", timeout=60_000)
        _opening_changes_nothing(lab)
        toolbar = lab.locator(".jp-NotebookPanel-toolbar")
        expect(toolbar).to_contain_text("Validate")
        assert toolbar.get_by_text("Notebook", exact=True).count() == 0, (
            "no link to Jupyter Notebook, which residents' servers do not serve"
        )

        editor.click()
        lab.keyboard.press("Control+a")
        lab.keyboard.type("def square(x): return x * x")
        lab.keyboard.press("Control+s")
        contents = f"{hub.url}/user/aisha/api/contents/{ASSIGNMENT}/{NOTEBOOK}"
        _wait_until(
            lambda: "return x * x" in lab.request.get(contents).text(), "the notebook saved"
        )

        lab.get_by_role("menuitem", name="Nbgrader").click()
        menu = lab.locator(".lm-Menu").last
        expect(menu).to_contain_text("Assignment List")
        assert "Formgrader" not in menu.inner_text(), "instructor tools are hidden from residents"
        assert "Course List" not in menu.inner_text()
        lab.get_by_text("Assignment List").click()
        fetched = lab.locator("#fetched_assignments_list .list_item", has_text=ASSIGNMENT)
        fetched.get_by_role("button", name="Submit").click()
        submitted = lab.locator("#submitted_assignments_list .list_item", has_text=ASSIGNMENT)
        submitted.wait_for(timeout=60_000)
        submitted_at = Submission.objects.get(
            assignment__name=ASSIGNMENT, resident=aisha
        ).submitted_at
        expect(submitted).to_contain_text(shown_time(submitted_at))
        assert shown_time(submitted_at).endswith(("EST", "EDT")), "in the program's zone, named"
        lab.screenshot(path=f"{screenshot_dir}/jupyterlab-submitted.png")
        assert lab.request.get(f"{hub.url}/user/aisha/formgrader").status == 404
        assert not console_errors, f"JupyterLab reported errors: {console_errors}"
        _a_setting_is_kept_in_the_residents_home(lab, hub)
    except Exception:
        lab.screenshot(path=f"{screenshot_dir}/jupyterlab-failure.png")
        print(hub.log_tail(80))
        raise

    page.goto(f"{live_server.url}/progress/")
    row = page.locator(f"tr[data-assignment='{ASSIGNMENT}']")
    _wait_until(
        lambda: page.reload() or "2 / 2" in row.inner_text(),
        "the graded score on the progress page",
    )
    assert "Graded" in row.inner_text()
    page.screenshot(path=f"{screenshot_dir}/progress-after-submit.png", full_page=True)

    assert hub.api("GET", "/users/aisha").json()["servers"][""]["ready"]
    assert _server_owners(hub.data_dir) == {"jh-aisha"}, "runs as the resident's own account"

    aisha.is_active = False
    aisha.save()
    _wait_until(lambda: hub.api("GET", "/users/aisha").status_code == 404, "the hub forgot aisha")
    gone = requests.get(f"{hub.url}/user/aisha/api/contents", cookies=_cookies(context), timeout=10)
    assert gone.status_code != 200 or "YOUR CODE" not in gone.text
    assert lab.request.get(contents, max_redirects=0).status != 200
    context.close()


def _opening_changes_nothing(lab) -> None:
    """Once the kernel is up, the fresh notebook is not marked unsaved and closes without a
    question. JupyterLab stamps the kernel's metadata when the kernel answers; a notebook
    whose metadata differed used to turn unsaved then."""
    expect(lab.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")).to_be_attached(
        timeout=60_000
    )
    lab.wait_for_timeout(2000)
    tab = lab.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text=NOTEBOOK)
    expect(tab).not_to_have_class(re.compile(r"\bjp-mod-dirty\b"))
    tab.locator(".lm-TabBar-tabCloseIcon").click()
    expect(tab).to_have_count(0)
    expect(lab.locator(".jp-Dialog")).to_have_count(0)
    lab.locator(".jp-DirListing-item", has_text=NOTEBOOK).dblclick()
    expect(lab.locator(".jp-Notebook .jp-Cell").first).to_contain_text(
        "YOUR CODE HERE", timeout=60_000
    )


def _a_setting_is_kept_in_the_residents_home(lab, hub) -> None:
    """Choosing a theme saves it where the resident's next server finds it: their home."""
    lab.get_by_role("menuitem", name="Settings").click()
    lab.locator(".lm-Menu-item", has_text="Theme").first.hover()
    lab.get_by_role("menuitem", name="JupyterLab Dark", exact=True).click()
    setting = "homes/*/.jupyter/lab/user-settings/@jupyterlab/apputils-extension/themes.jupyterlab-settings"
    _wait_until(lambda: any(hub.data_dir.glob(setting)), "the theme saved in the resident's home")


def _wait_until(check, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.5)


def _server_owners(data_dir) -> set[str]:
    """System accounts running notebook servers (and their kernels) from this hub's homes."""
    import os
    import pwd
    from pathlib import Path

    owners = set()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cwd = os.readlink(proc / "cwd")
            uid = proc.stat().st_uid
        except OSError:
            continue
        if cwd.startswith(str(data_dir / "homes")):
            owners.add(pwd.getpwuid(uid).pw_name)
    return owners


def _cookies(context) -> dict:
    return {c["name"]: c["value"] for c in context.cookies()}
