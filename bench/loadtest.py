"""Deadline rush: 200 residents submit within 60 seconds to the exchange API on loopback.

A scratch LMS (its own data folder and SQLite database, or DATABASE_URL) runs
under gunicorn with the default number of grading workers, as a deployment on
this machine would. Each simulated resident uploads a zip of their notebook at
a random moment in the 60-second window, with a submission key as the
JupyterLab exchange sends; one in ten repeats its upload with the same key, as
a client does after a lost response. The script reports submit latency, lost
and duplicated submissions (both must be zero), and the time until every
submission is graded. Bounded: it gives up after ``LOADTEST_TIMEOUT`` seconds.

Run with ``make loadtest``; writes nothing outside a temp folder.
"""

import io
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import requests

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
RESIDENTS = int(os.environ.get("LOADTEST_RESIDENTS", "200"))
WINDOW = float(os.environ.get("LOADTEST_WINDOW", "60"))
TIMEOUT = float(os.environ.get("LOADTEST_TIMEOUT", "900"))
RETRY_SHARE = 0.1
ASSIGNMENT = "rush"

SEED = """
import datetime, json, os
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application
from assignments.services import assignment_create
from lms.cohorts.services import cohort_upsert, resident_enroll
from lms.hub.services import hub_oauth_client_ensure
from lms.people.models import Role, User
from lms.people.services import role_group

count = int(os.environ["LOADTEST_RESIDENTS"])
notebook = open(os.environ["LOADTEST_NOTEBOOK"]).read().encode()
today = timezone.localdate()
cohort = cohort_upsert(name="Rush", slug="rush", start_date=today - datetime.timedelta(days=today.weekday() + 7))
assignment_create(cohort=cohort, name="rush", files={"rush.ipynb": notebook},
                  release_at=timezone.now() - datetime.timedelta(hours=1),
                  due_at=timezone.now() + datetime.timedelta(days=1))
app = hub_oauth_client_ensure()
residents = role_group(role=Role.RESIDENT)
tokens = {}
for i in range(count):
    user = User.objects.create(username=f"rush{i:03d}")
    user.groups.add(residents)
    resident_enroll(cohort=cohort, resident=user)
    token = AccessToken.objects.create(user=user, application=app, token=f"rush-{i}-" + "x" * 20,
                                       expires=timezone.now() + datetime.timedelta(hours=2),
                                       scope="profile exchange")
    tokens[user.username] = token.token
print(json.dumps(tokens))
"""

COUNT = """
import json, time
from assignments.models import Grading, Submission
from django.db.models import Count
deadline = time.time() + float(__import__("os").environ["LOADTEST_TIMEOUT"])
while time.time() < deadline:
    pending = Grading.objects.exclude(status__in=("graded", "failed")).count()
    if pending == 0:
        break
    time.sleep(0.25)
per_resident = Submission.objects.values("resident__username").annotate(n=Count("id"))
print(json.dumps({
    "finished_at": time.time(),
    "pending": Grading.objects.exclude(status__in=("graded", "failed")).count(),
    "graded": Grading.objects.filter(status="graded").count(),
    "failed": Grading.objects.filter(status="failed").count(),
    "submissions": Submission.objects.count(),
    "per_resident": {row["resident__username"]: row["n"] for row in per_resident},
}))
"""


SOLUTION = "return sum(r * 12 > 0.3 * income for r in rents) / len(rents)"


def rush_notebook(answer_body: str) -> str:
    """The assignment's one notebook: an answer cell with ``answer_body`` and a 2-point test."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    answer = nbformat.v4.new_code_cell(f"def share_rent_burdened(rents, income):\n{answer_body}")
    answer.metadata["nbgrader"] = {
        "grade": False, "solution": True, "locked": False, "grade_id": "answer", "schema_version": 3,
    }  # fmt: skip
    test = nbformat.v4.new_code_cell(
        "assert share_rent_burdened([900, 1500, 2000, 700], 48000) == 0.5"
    )
    test.metadata["nbgrader"] = {
        "grade": True, "solution": False, "locked": True, "grade_id": "check", "points": 2,
        "schema_version": 3,
    }  # fmt: skip
    nb.cells = [answer, test]
    return nbformat.writes(nb)


def notebook_source() -> str:
    return rush_notebook(f"    ### BEGIN SOLUTION\n    {SOLUTION}\n    ### END SOLUTION")


def answer_zip(index: int) -> bytes:
    """A resident's hand-in: two in three answer correctly, the rest return a wrong number."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "rush.ipynb", rush_notebook(f"    {SOLUTION if index % 3 else 'return 0.0'}")
        )
    return buffer.getvalue()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="lms-loadtest-") as tmp:
        scratch = Path(tmp)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
            "LMS_DATA_DIR": str(scratch),
            "DEBUG": "false",
            "SECRET_KEY": "loadtest-only",
        }
        env.setdefault("DATABASE_URL", f"sqlite:///{scratch / 'loadtest.sqlite3'}")
        (scratch / "static").mkdir()
        manage = [PYTHON, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        (scratch / "rush.ipynb").write_text(notebook_source())
        seeded = subprocess.run(
            [*manage, "shell", "-v", "0", "-c", SEED], cwd=ROOT,
            env={**env, "LOADTEST_RESIDENTS": str(RESIDENTS), "LOADTEST_NOTEBOOK": str(scratch / "rush.ipynb")}, check=True, capture_output=True, text=True,
        )  # fmt: skip
        tokens = json.loads(seeded.stdout.strip().splitlines()[-1])
        port = free_port()
        web = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "lms.wsgi", "-b", f"127.0.0.1:{port}",
             "-w", "3", "-k", "gthread", "--threads", "8", "--log-level", "warning"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        workers = subprocess.Popen(
            [*manage, "grading_worker"], cwd=ROOT, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )  # fmt: skip
        try:
            url = f"http://127.0.0.1:{port}/api/exchange/assignments/{ASSIGNMENT}/submissions"
            _wait_for(f"http://127.0.0.1:{port}/accounts/login/")
            for line in workers.stdout:
                if "ready" in line:
                    break
            print(f"{RESIDENTS} residents submit within {WINDOW:.0f} s to {url}")
            results = rush(url, tokens)
            counted = subprocess.run(
                [*manage, "shell", "-v", "0", "-c", COUNT],
                cwd=ROOT, env={**env, "LOADTEST_TIMEOUT": str(TIMEOUT)}, check=True, capture_output=True, text=True,
            )  # fmt: skip
            report(results, json.loads(counted.stdout.strip().splitlines()[-1]))
        finally:
            for process in (web, workers):
                process.terminate()
            for process in (web, workers):
                process.wait(timeout=60)


def _wait_for(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def rush(url: str, tokens: dict[str, str]) -> dict:
    rng = random.Random(7)
    plan = sorted((rng.uniform(0, WINDOW), username) for username in tokens)
    retriers = set(rng.sample(sorted(tokens), int(len(tokens) * RETRY_SHARE)))
    latencies, statuses, lock = [], {}, threading.Lock()
    start = time.time()

    def submit(offset: float, username: str, index: int) -> None:
        time.sleep(max(0.0, start + offset - time.time()))
        headers = {
            "Authorization": f"Bearer {tokens[username]}",
            "Content-Type": "application/zip",
            "X-Submission-Key": secrets.token_hex(16),
        }
        body = answer_zip(index)
        for _attempt in range(2 if username in retriers else 1):
            began = time.perf_counter()
            response = requests.post(url, data=body, headers=headers, timeout=120)
            elapsed = time.perf_counter() - began
            with lock:
                latencies.append(elapsed)
                statuses.setdefault(username, []).append(response.status_code)

    with ThreadPoolExecutor(max_workers=len(tokens)) as pool:
        for index, (offset, username) in enumerate(plan):
            pool.submit(submit, offset, username, index)
    return {
        "start": start,
        "submitted": time.time(),
        "latencies": latencies,
        "statuses": statuses,
        "retriers": retriers,
    }


def report(results: dict, counted: dict) -> None:
    latencies = results["latencies"]
    statuses = results["statuses"]
    accepted = {u for u, codes in statuses.items() if codes[0] == 201}
    per_resident = counted["per_resident"]
    lost = [u for u in accepted if per_resident.get(u, 0) == 0]
    duplicated = [u for u, n in per_resident.items() if n > 1]
    retried_ok = sum(1 for u in results["retriers"] if statuses.get(u, [None, None])[1:] == [200])
    print(
        f"uploads          {len(latencies)} ({len(results['retriers'])} repeated with the same key, {retried_ok} answered 200 as already stored)"
    )
    print(
        f"accepted         {len(accepted)} / {len(statuses)} residents   other answers: {sorted({c for codes in statuses.values() for c in codes} - {200, 201})}"
    )
    print(
        f"submit latency   p50 {percentile(latencies, 0.5) * 1000:.0f} ms   p95 {percentile(latencies, 0.95) * 1000:.0f} ms   max {max(latencies) * 1000:.0f} ms   mean {statistics.mean(latencies) * 1000:.0f} ms"
    )
    print(
        f"submissions      {counted['submissions']} stored   lost {len(lost)}   duplicated {len(duplicated)}"
    )
    print(
        f"grading          {counted['graded']} graded, {counted['failed']} failed, {counted['pending']} pending"
    )
    print(
        f"all graded       {counted['finished_at'] - results['start']:.1f} s after the rush began ({counted['finished_at'] - results['submitted']:.1f} s after the last upload)"
    )
    if lost or duplicated or counted["pending"] or len(accepted) != len(statuses):
        raise SystemExit("load test failed: lost, duplicated, refused or ungraded submissions")


if __name__ == "__main__":
    main()
