"""From "Open in JupyterLab" to a usable JupyterLab, against stock JupyterHub, in one run.

Platform: a scratch LMS under gunicorn and the project's hub (LMS sign-in,
one system account per resident, the LMS exchange). A resident already
signed in to the LMS follows the lesson's "Open in JupyterLab" link in a
fresh browser context; the clock stops when the exercise's notebook is open
with its first cell editable. Between runs the server is stopped and the
fetched folder removed, so every run spawns and fetches. A last series
measures what a resident gets who read the lesson first: the lesson page
queues the server's start, the grading worker asks the hub, and the click
comes once the server is up.

Reference: stock JupyterHub 6.1 with its DummyAuthenticator and
SimpleLocalProcessSpawner, and JupyterLab with nbgrader's extensions as
installed; the clock runs from /hub/spawn to JupyterLab's launcher.

Run with ``make bench`` (after the grading benchmark) or on its own.
"""

import contextlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
RUNS = int(os.environ.get("BENCH_SPAWN_RUNS", "7"))
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
PASSWORD = "bench-password-1"
ASSIGNMENT = "squares"

SEED = """
import datetime, os
import nbformat
from django.utils import timezone
from assignments.services import assignment_create
from lms.cohorts.services import cohort_upsert, resident_enroll
from lms.hub.services import hub_oauth_client_ensure
from lms.people.models import Role, User
from lms.people.services import role_group

today = timezone.localdate()
cohort = cohort_upsert(name="Bench", slug="bench", start_date=today - datetime.timedelta(days=today.weekday() + 7))
nb = nbformat.v4.new_notebook()
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
answer = nbformat.v4.new_code_cell("def square(x):\\n    ### BEGIN SOLUTION\\n    return x * x\\n    ### END SOLUTION")
answer.metadata["nbgrader"] = {"grade": False, "solution": True, "locked": False, "grade_id": "a", "schema_version": 3}
test = nbformat.v4.new_code_cell("assert square(3) == 9")
test.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "grade_id": "t", "points": 1, "schema_version": 3}
nb.cells = [answer, test]
assignment_create(cohort=cohort, name="squares", files={"squares.ipynb": nbformat.writes(nb).encode()},
                  release_at=timezone.now() - datetime.timedelta(hours=1), due_at=timezone.now() + datetime.timedelta(days=1))
user = User.objects.create(username="benchresident")
user.set_password(os.environ["BENCH_PASSWORD"])
user.save()
user.groups.add(role_group(role=Role.RESIDENT))
resident_enroll(cohort=cohort, resident=user)
hub_oauth_client_ensure()

# A lesson of last week with the exercise's notebook card: reading it starts the server.
from django.conf import settings
from courses.models import LessonPage, SyllabusPage, WeekPage
from courses.services import site_ensure
home = site_ensure(program_name=settings.LMS_PROGRAM_NAME, port=settings.LMS_PORT)
syllabus = home.add_child(instance=SyllabusPage(title="Bench syllabus", slug="bench", cohort=cohort))
week = syllabus.add_child(instance=WeekPage(title="Week 1", slug="week-1", number=1, theme="Python"))
card = {"assignment": "squares", "title": "Squares", "description": "Warm up."}
lesson = week.add_child(instance=LessonPage(title="Squares", slug="squares", weekday=1, body=[("notebook", card)]))
for page in (syllabus, week, lesson):
    page.save_revision().publish()
print(f"LESSON_PATH={lesson.url}")
"""

STOCK_CONFIG = """
c = get_config()
c.JupyterHub.bind_url = "http://127.0.0.1:{port}/"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_port}"
c.ConfigurableHTTPProxy.command = ["{proxy}"]
c.JupyterHub.db_url = "sqlite:///{data}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{data}/cookie-secret"
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = "{password}"
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = "{data}/home-{{username}}"
c.Spawner.cmd = ["{bin}/jupyterhub-singleuser"]
c.Spawner.args = ["--allow-root"]
c.Spawner.default_url = "/lab"
c.JupyterHub.default_url = "/hub/home"
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(requests.RequestException):
            if requests.get(url, timeout=2).status_code < 500:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def stop_server(api: str, token: str, user: str) -> None:
    headers = {"Authorization": f"token {token}"}
    requests.delete(f"{api}/users/{user}/server", headers=headers, timeout=60)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        model = requests.get(f"{api}/users/{user}", headers=headers, timeout=10).json()
        if not model.get("servers"):
            return
        time.sleep(0.2)


def wait_until_ready(api: str, token: str, user: str) -> None:
    headers = {"Authorization": f"token {token}"}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        model = requests.get(f"{api}/users/{user}", headers=headers, timeout=10).json()
        if model.get("servers", {}).get("", {}).get("ready"):
            return
        time.sleep(0.2)
    raise RuntimeError(f"{user}'s server did not start after the lesson was read")


def platform_runs(browser, scratch: Path) -> dict:
    lms_port, hub_port = free_port(), free_port()
    api_token = "bench-" + "t" * 40
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "LMS_DATA_DIR": str(scratch),
        "DATABASE_URL": f"sqlite:///{scratch / 'bench.sqlite3'}",
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only",
        "LMS_PORT": str(lms_port),
        "HUB_PORT": str(hub_port),
        "HUB_INTERNAL_URL": f"http://127.0.0.1:{free_port()}",
        "HUB_PROXY_API_URL": f"http://127.0.0.1:{free_port()}",
        "LMS_HUB_API_TOKEN": api_token,
        "BENCH_PASSWORD": PASSWORD,
        "HUB_LOG_LEVEL": "WARNING",
        # Every run of the benchmark reads the lesson again; a resident does once an hour.
        "LMS_HUB_PRESTART_EVERY_SECONDS": "0",
    }
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    seeded = subprocess.run(
        [*manage, "shell", "-v", "0", "-c", SEED], cwd=ROOT, env=env, check=True,
        capture_output=True, text=True,
    )  # fmt: skip
    lesson_path = seeded.stdout.split("LESSON_PATH=")[1].strip()
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    web = subprocess.Popen(
        [str(BIN / "gunicorn"), "lms.wsgi", "-b", f"127.0.0.1:{lms_port}", "-w", "2",
         "--log-level", "warning"], cwd=ROOT, env=env,
    )  # fmt: skip
    worker = subprocess.Popen([*manage, "grading_worker"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL)  # fmt: skip
    log = open(scratch / "hub.log", "wb")  # noqa: SIM115 - closed with the hub
    hub = subprocess.Popen([str(BIN / "jupyterhub"), "-f", "jupyterhub_config.py"], cwd=ROOT, env=env,
                           stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    lms, hub_url = f"http://127.0.0.1:{lms_port}", f"http://127.0.0.1:{hub_port}"
    open_url = f"{hub_url}/hub/spawn?next=/hub/user-redirect/lms/open/{ASSIGNMENT}"
    try:
        wait_for(f"{lms}/accounts/login/")
        try:
            wait_for(f"{hub_url}/hub/api/")
        except RuntimeError:
            print((scratch / "hub.log").read_text()[-3000:])
            raise

        def sign_in(page):
            page.goto(f"{lms}/accounts/login/")
            page.fill("#id_username", "benchresident")
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{lms}/")

        def reset():
            stop_server(f"{hub_url}/hub/api", api_token, "benchresident")
            shutil.rmtree(scratch / "homes" / "benchresident" / ASSIGNMENT, ignore_errors=True)

        runs = {
            warm: measure(browser, sign_in, open_url, NOTEBOOK_READY, reset, warm=warm)
            for warm in (False, True)
        }

        def read_lesson(context):
            """The resident reads the lesson: the LMS queues the server's start, the worker asks
            the hub, and the server is up by the time they reach the card."""
            page = context.new_page()
            page.goto(f"{lms}{lesson_path}")
            page.locator("a[data-open-in-jupyterlab]").wait_for()
            wait_until_ready(f"{hub_url}/hub/api", api_token, "benchresident")
            page.close()

        runs["prestarted"] = measure(
            browser, sign_in, open_url, NOTEBOOK_READY, reset, warm=True, before=read_lesson
        )
        return runs
    finally:
        stop(hub)
        stop(worker)
        stop(web)
        log.close()


def stock_runs(browser, scratch: Path) -> dict[bool, list[float]]:
    port, api_port, proxy_port = free_port(), free_port(), free_port()
    config = scratch / "stock_config.py"
    config.write_text(
        STOCK_CONFIG.format(
            port=port, api_port=api_port, proxy_port=proxy_port, data=scratch, password=PASSWORD,
            proxy=ROOT / "node_modules" / ".bin" / "configurable-http-proxy", bin=BIN,
        )
    )  # fmt: skip
    env = {**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}"}
    env.pop("JUPYTER_CONFIG_PATH", None)
    admin_token = "stock-admin-" + "t" * 30
    env["JUPYTERHUB_API_TOKEN"] = admin_token
    config.write_text(
        config.read_text()
        + f'c.JupyterHub.services = [{{"name": "bench", "api_token": "{admin_token}"}}]\n'
        + 'c.JupyterHub.load_roles = [{"name": "bench", "scopes": ["admin:servers", "admin:users"], "services": ["bench"]}]\n'
    )
    log = open(scratch / "hub.log", "wb")  # noqa: SIM115 - closed with the hub
    hub = subprocess.Popen([str(BIN / "jupyterhub"), "-f", str(config)], cwd=scratch, env=env,
                           stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    hub_url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{hub_url}/hub/api/")

        def sign_in(page):
            for _ in range(5):  # the stock proxy now and then answers 404 just after a stop
                response = page.goto(f"{hub_url}/hub/login")
                if page.locator("#username_input").count():
                    break
                time.sleep(1)
            if not page.locator("#username_input").count():
                raise RuntimeError(
                    f"no login form at {page.url} ({response.status}):\n"
                    + (scratch / "hub.log").read_text()[-4000:]
                )
            page.fill("#username_input", "benchresident")
            page.fill("#password_input", PASSWORD)
            page.click("#login_submit")
            page.wait_for_url("**/hub/home")

        def reset():
            stop_server(f"{hub_url}/hub/api", admin_token, "benchresident")

        return {
            warm: measure(
                browser, sign_in, f"{hub_url}/hub/spawn", LAUNCHER_READY, reset, warm=warm
            )
            for warm in (False, True)
        }
    finally:
        stop(hub)
        log.close()


NOTEBOOK_READY = ".jp-Notebook .jp-Cell .cm-content"
LAUNCHER_READY = ".jp-LauncherCard"


def measure(
    browser, sign_in, url: str, ready: str, reset, *, warm: bool, before=None
) -> list[float]:
    """Time ``url`` until ``ready`` shows, RUNS times after one unmeasured run.

    Cold: every run in a fresh browser profile, signed in to the LMS (or the
    stock hub) but with nothing cached. Warm: one profile for all runs, as a
    resident's own browser the next morning: cached JupyterLab, live cookies.
    """
    context = browser.new_context() if warm else None
    if warm:
        sign_in(context.new_page())
    times = []
    for _ in range(RUNS + 1):
        run_context = context or browser.new_context()
        page = run_context.new_page()
        if not warm:
            sign_in(page)
        if before is not None:
            before(run_context)
        began = time.perf_counter()
        page.goto(url)
        page.locator(ready).first.wait_for(timeout=120_000)
        times.append(time.perf_counter() - began)
        page.close()
        if not warm:
            run_context.close()
        reset()
    if context:
        context.close()
    # The first run also warms the operating system's file cache; the caller reports it apart.
    return times


def summary(times: list[float]) -> str:
    return (
        f"p50 {statistics.median(times):5.2f} s   min {min(times):5.2f} s   "
        f"max {max(times):5.2f} s   ({len(times)} spawns)"
    )


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="lms-bench-spawn-") as tmp:
        tmp = Path(tmp)
        tmp.chmod(0o711)
        (tmp / "lms").mkdir()
        (tmp / "stock").mkdir()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            stock = stock_runs(browser, tmp / "stock")
            ours = platform_runs(browser, tmp / "lms")
            browser.close()
    print("Open in JupyterLab -> usable JupyterLab; the server is stopped between runs")
    print("  first resident after the hub starts (fresh browser profile)")
    print(f"    stock JupyterHub + JupyterLab (to launcher)   {stock[False][0]:.2f} s")
    print(
        f"    platform (sign-in, fetch, notebook open)    {ours[False][0]:.2f} s   target: <= 4 s"
    )
    for warm, label in (
        (False, "fresh browser profile"),
        (True, "returning browser (cache, cookies)"),
    ):
        stock_times, our_times = stock[warm][1:], ours[warm][1:]
        print(f"  {label}")
        print(f"    stock JupyterHub + JupyterLab (to launcher)   {summary(stock_times)}")
        print(f"    platform (sign-in, fetch, notebook open)    {summary(our_times)}")
        ratio = statistics.median(stock_times) / statistics.median(our_times)
        print(f"    ratio (stock / platform, p50): {ratio:.2f}x   target: p50 <= 2 s")
    prestarted = ours["prestarted"][1:]
    print("  returning browser, the server started while the resident read the lesson")
    print(f"    platform (sign-in, fetch, notebook open)    {summary(prestarted)}")
    ratio = statistics.median(stock[True][1:]) / statistics.median(prestarted)
    print(f"    ratio (stock cold start / platform, p50): {ratio:.2f}x   target: p50 <= 2 s")


if __name__ == "__main__":
    main()
