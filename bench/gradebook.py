"""The staff gradebook for 100 residents x 80 assignments: server render time and queries.

A scratch database gets a cohort of 100 residents and 80 assignments over 16
weeks, with 85% of past work handed in and graded. The page is rendered with
Django's test client (the whole view: selector, filters, template) ten times
after one warm-up, and the queries of one render are counted.

Run with ``make bench``; writes nothing outside a temp folder.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESIDENTS = int(os.environ.get("BENCH_GRADEBOOK_RESIDENTS", "100"))
ASSIGNMENTS = int(os.environ.get("BENCH_GRADEBOOK_ASSIGNMENTS", "80"))

SCRIPT = """
import datetime, os, random, statistics, time
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from assignments.models import Assignment, Grading, Submission
from lms.cohorts.services import cohort_upsert, resident_enroll
from lms.people.models import Role, User
from lms.people.services import role_group

residents, assignments = int(os.environ["RESIDENTS"]), int(os.environ["ASSIGNMENTS"])
rng = random.Random(5)
now = timezone.now()
today = timezone.localdate()
cohort = cohort_upsert(name="Big", slug="big", start_date=today - datetime.timedelta(days=today.weekday() + 7 * 12))
people = User.objects.bulk_create(User(username=f"r{i:03d}", first_name=f"Resident{i}", last_name="Bench") for i in range(residents))
group = role_group(role=Role.RESIDENT)
group.user_set.add(*people)
for person in people:
    resident_enroll(cohort=cohort, resident=person)
work = Assignment.objects.bulk_create(
    Assignment(cohort=cohort, name=f"a{i:02d}", max_score=10,
               release_at=datetime.datetime.combine(cohort.start_date, datetime.time(13), datetime.UTC) + datetime.timedelta(days=i * 112 / assignments - 1),
               due_at=datetime.datetime.combine(cohort.start_date, datetime.time(22), datetime.UTC) + datetime.timedelta(days=i * 112 / assignments))
    for i in range(assignments))
submissions = []
for a in work:
    if a.release_at > now:
        continue
    for person in people:
        if rng.random() < 0.85:
            submissions.append(Submission(assignment=a, resident=person, version=1, checksum="b",
                                          submitted_at=a.due_at - datetime.timedelta(hours=rng.randint(-20, 60))))
Submission.objects.bulk_create(submissions, batch_size=2000)
Grading.objects.bulk_create(
    [Grading(submission=s, status="graded", queued_at=now, max_score=10, raw_score=(sc := rng.randint(3, 10)), score=sc,
             seconds_late=max(0, int((s.submitted_at - s.assignment.due_at).total_seconds())), needs_manual_grading=rng.random() < 0.1)
     for s in Submission.objects.select_related("assignment")], batch_size=2000)
staff = User.objects.create(username="benchstaff", is_superuser=True)
client = Client()
client.force_login(staff)
url = "/gradebook/big/"
assert client.get(url).status_code == 200
times = []
for _ in range(10):
    began = time.perf_counter()
    response = client.get(url)
    times.append(time.perf_counter() - began)
with CaptureQueriesContext(connection) as queries:
    client.get(url)
from assignments.gradebook import cohort_overview
began = time.perf_counter()
for _ in range(5):
    cohort_overview(cohort=cohort)
selector_ms = (time.perf_counter() - began) / 5 * 1000
cells = residents * assignments
print(f"gradebook {residents} residents x {assignments} assignments ({cells} cells, {len(submissions)} graded)")
print(f"server render  p50 {statistics.median(times) * 1000:.0f} ms   min {min(times) * 1000:.0f} ms   max {max(times) * 1000:.0f} ms   target <= 300 ms")
print(f"queries per render: {len(queries.captured_queries)} (page {len(response.content) // 1024} KB); the selector alone {selector_ms:.0f} ms")
"""


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="lms-bench-gradebook-") as tmp:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
            "LMS_DATA_DIR": tmp,
            "DATABASE_URL": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}",
            "DEBUG": "false",
            "SECRET_KEY": "benchmark-only",
            "ALLOWED_HOSTS": "testserver",
            "RESIDENTS": str(RESIDENTS),
            "ASSIGNMENTS": str(ASSIGNMENTS),
        }
        (Path(tmp) / "static").mkdir()
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([*manage, "shell", "-v", "0", "-c", SCRIPT], cwd=ROOT, env=env, check=True)


if __name__ == "__main__":
    main()
