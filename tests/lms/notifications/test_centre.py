"""The notification centre: the bell's unread count, the list of what was sent, opening one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.notifications.models import Kind, Notification
from lms.notifications.services import notify, opt_outs_set
from tests.factories import resident_in

pytestmark = pytest.mark.django_db


def _sent(user, subject, url="/progress/", kind=Kind.FEEDBACK):
    return notify(user=user, kind=kind, subject=subject, body="Body.", url=url)


def test_the_bell_counts_unread_and_the_centre_lists_them_newest_first(client, home, cohort):
    ana = resident_in(cohort, username="ana")
    _sent(ana, "Feedback on Ps1")
    _sent(ana, "Ps2 is due tomorrow", kind=Kind.DUE_SOON)
    client.force_login(ana)
    page = client.get("/").content.decode()
    assert "Notifications, 2 unread" in page and 'class="bell__count" aria-hidden="true">2<' in page
    centre = client.get("/notifications/centre/").content.decode()
    assert centre.index("Ps2 is due tomorrow") < centre.index("Feedback on Ps1")
    assert "Assignments due soon" in centre and "2</strong> unread" in centre
    assert 'href="/calendar/#mail-heading"' in centre or "E-mail choices" in centre


def test_opening_one_marks_it_read_and_goes_to_its_page(client, home, cohort):
    ana = resident_in(cohort, username="ana")
    first = _sent(ana, "Feedback on Ps1", url="/progress/")
    second = _sent(ana, "Booked", url="", kind=Kind.BOOKING)
    client.force_login(ana)
    response = client.post(f"/notifications/{first.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/progress/"
    first.refresh_from_db()
    assert first.read_at is not None
    stamp = first.read_at
    client.post(f"/notifications/{first.pk}/open/")
    first.refresh_from_db()
    assert first.read_at == stamp, "the first time it was read is kept"
    response = client.post(f"/notifications/{second.pk}/open/")
    assert response["Location"] == "/notifications/centre/", "nothing to go to: back to the list"
    assert "Notifications, " not in client.get("/").content.decode().split("</header>")[0]


def test_someone_elses_notification_is_a_404_and_get_is_refused(client, home, cohort):
    ana = resident_in(cohort, username="ana")
    bo = resident_in(cohort, username="bo")
    theirs = _sent(bo, "Feedback on Ps1")
    client.force_login(ana)
    assert client.post(f"/notifications/{theirs.pk}/open/").status_code == 404
    assert client.get(f"/notifications/{theirs.pk}/open/").status_code == 405
    assert "Feedback on Ps1" not in client.get("/notifications/centre/").content.decode()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_signed_out_people_are_sent_to_sign_in(client, home):
    assert client.get("/notifications/centre/")["Location"].startswith("/accounts/login/") or (
        "login" in client.get("/notifications/centre/")["Location"]
    )


def test_mark_all_read_only_touches_ones_own(client, home, cohort):
    ana = resident_in(cohort, username="ana")
    bo = resident_in(cohort, username="bo")
    for n in range(3):
        _sent(ana, f"Note {n}", kind=Kind.BOOKING)
    _sent(bo, "Bo's", kind=Kind.BOOKING)
    client.force_login(ana)
    page = client.post("/notifications/read-all/", follow=True).content.decode()
    assert "Marked 3 notifications read." in page and "All read" in page
    assert Notification.objects.get(user=bo).read_at is None


def test_an_outside_url_is_never_followed(client, home, cohort):
    """A stored url is a path on the LMS; anything else is dropped, so no open redirect."""
    ana = resident_in(cohort, username="ana")
    stored = _sent(ana, "Odd", url="https://evil.example/")
    assert stored.url == ""
    sneaky = _sent(ana, "Odder", url="//evil.example/")
    client.force_login(ana)
    assert client.post(f"/notifications/{sneaky.pk}/open/")["Location"] == "/notifications/centre/"


def test_opted_out_kinds_are_neither_mailed_nor_listed(client, home, cohort):
    ana = resident_in(cohort, username="ana")
    opt_outs_set(user=ana, kinds={Kind.ANNOUNCEMENT})
    assert _sent(ana, "News", kind=Kind.ANNOUNCEMENT) is None
    assert not Notification.objects.filter(user=ana).exists()


def test_the_bell_costs_one_query_per_page(client, home, cohort):
    """The count is one cheap query, however many notifications there are."""
    ana = resident_in(cohort, username="ana")
    client.force_login(ana)
    _sent(ana, "One", kind=Kind.BOOKING)
    client.get("/")  # the first request warms caches
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for n in range(20):
        _sent(ana, f"More {n}", kind=Kind.BOOKING)
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    assert len(many) == len(few)
    counts = [q["sql"] for q in many if "notifications_notification" in q["sql"]]
    assert len(counts) == 1 and "COUNT(" in counts[0].upper()
