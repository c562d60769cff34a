"""Who sees which hours: alumni their own, staff the grid, residents what is coming."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from lms.commitments.models import HoursEntry, HoursKind
from lms.commitments.selectors import commitment_months
from lms.commitments.services import (
    HOURS_OUT_OF_RANGE,
    MONTH_CLOSED_FOR_LOGGING,
    NOT_QUARTER_HOURS,
    hours_entry_create,
)
from lms.commitments.templatetags.commitment_tags import hours_phrase
from lms.people.models import Role
from tests.factories import PASSWORD, CohortFactory, UserFactory, mentor_of, resident_in

pytestmark = pytest.mark.django_db


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def _log(person, month, hours, note="", kind=HoursKind.OFFICE_HOURS):
    """Hours logged on the month's first day, when it was open."""
    return hours_entry_create(
        person=person, date=month.start, kind=kind, hours=hours, note=note, today=month.start
    )


def test_an_alumna_logs_hours_and_sees_only_hers(client, alumna, other_alumna, months):
    """Does the form log her hours, and does the page hold none of another alumna's?"""
    _log(other_alumna, months[0], "3", note="Oona's secret note")
    _login(client, alumna)
    today = timezone.localdate()
    response = client.post(
        reverse("commitments:entry_create"),
        {"date": today.isoformat(), "kind": HoursKind.MENTORING, "hours": "1.5", "note": "Pairing"},
        follow=True,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Logged 1.5 hours of mentoring a new resident" in html
    assert HoursEntry.objects.get(person=alumna).hours == Decimal("1.5")
    assert "Pairing" in html
    assert "secret note" not in html and "Oona" not in html
    assert "this month and last month" in html


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("0", HOURS_OUT_OF_RANGE),
        ("12.5", HOURS_OUT_OF_RANGE),
        ("1.1", NOT_QUARTER_HOURS.format(hours="1.1")),
    ],
)
def test_bad_hours_come_back_with_a_sentence(client, alumna, hours, message):
    """Is a refused entry shown again with the reason next to it, and nothing stored?"""
    _login(client, alumna)
    response = client.post(
        reverse("commitments:entry_create"),
        {
            "date": timezone.localdate().isoformat(),
            "kind": HoursKind.COMMUNITY_CALL,
            "hours": hours,
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not HoursEntry.objects.exists()


def test_another_persons_entry_is_not_found(client, alumna, other_alumna, months, graduated_cohort):
    """Are editing and deleting someone else's entry 404, even for staff, and is it left as it was?"""
    theirs = _log(
        other_alumna, months[-1] if months[-1].start <= timezone.localdate() else months[0], "2"
    )
    staff = UserFactory(roles=[Role.STAFF])
    for user in (alumna, staff):
        _login(client, user)
        edit = reverse("commitments:entry_edit", args=[theirs.pk])
        assert client.get(edit).status_code == 404
        assert (
            client.post(
                edit, {"date": theirs.date, "kind": HoursKind.MENTORING, "hours": "9"}
            ).status_code
            == 404
        )
        assert client.post(reverse("commitments:entry_delete", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.hours == 2 and theirs.kind == HoursKind.OFFICE_HOURS


def test_an_alumna_edits_and_deletes_her_own_entry(client, alumna, months):
    """Can she change an entry of this month, then delete it?"""
    entry = hours_entry_create(
        person=alumna, date=timezone.localdate(), kind=HoursKind.COMMUNITY_CALL, hours="0.5"
    )
    _login(client, alumna)
    edit = reverse("commitments:entry_edit", args=[entry.pk])
    assert "Entries can be changed only in the current month" in client.get(edit).content.decode()
    client.post(
        edit, {"date": entry.date.isoformat(), "kind": HoursKind.COMMUNITY_CALL, "hours": "0.75"}
    )
    entry.refresh_from_db()
    assert entry.hours == Decimal("0.75")
    client.post(reverse("commitments:entry_delete", args=[entry.pk]))
    assert not HoursEntry.objects.exists()


def test_residents_before_graduation_see_what_is_coming(client, db):
    """Does a current resident see an explanation of the commitment instead of a log?"""
    resident = resident_in(CohortFactory(), username="current")
    _login(client, resident)
    page = client.get(reverse("commitments:index"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "You graduate on" in html and "Month 1 starts on" in html
    assert "<form" not in html.split('id="main"')[1]
    assert (
        client.post(
            reverse("commitments:entry_create"),
            {
                "date": timezone.localdate().isoformat(),
                "kind": HoursKind.COMMUNITY_CALL,
                "hours": "1",
            },
        ).status_code
        == 403
    )


def test_people_without_a_cohort_are_refused(client, db):
    """Are mentors and guest instructors with no cohort of their own refused the hours page?"""
    for role in (Role.MENTOR, Role.GUEST_INSTRUCTOR):
        _login(client, UserFactory(roles=[role]))
        assert client.get(reverse("commitments:index")).status_code == 403


def test_only_staff_see_the_grid_and_its_export(client, alumna, graduated_cohort):
    """Are an alumna and her mentor refused the cohort's grid and CSV?"""
    for user in (alumna, mentor_of(alumna)):
        _login(client, user)
        assert (
            client.get(reverse("commitments:cohort", args=[graduated_cohort.slug])).status_code
            == 403
        )
        assert (
            client.get(reverse("commitments:export", args=[graduated_cohort.slug])).status_code
            == 403
        )


def _grid_fixture(graduated_cohort, months):
    """Three alumni: one met the two past months, one a quarter short in each, one with nothing.

    The first two have met the current month too, so its pace (which depends on today) flags neither.
    """
    steady = resident_in(graduated_cohort, username="steady", first_name="Ann", last_name="A")
    short = resident_in(graduated_cohort, username="short", first_name="Bea", last_name="B")
    absent = resident_in(graduated_cohort, username="absent", first_name="Cy", last_name="C")
    for month in months[:2]:
        _log(steady, month, "10")
        _log(short, month, "9.75")
    for person in (steady, short):
        hours_entry_create(
            person=person, date=timezone.localdate(), kind=HoursKind.MENTORING, hours="10"
        )
    return steady, short, absent


def test_staff_grid_flags_and_sorts_who_is_furthest_behind(client, graduated_cohort, months):
    """Is 9.75 flagged behind, 10 met, and does 'furthest behind' put the one with nothing first?"""
    steady, short, absent = _grid_fixture(graduated_cohort, months)
    _login(client, UserFactory(roles=[Role.STAFF]))
    url = reverse("commitments:cohort", args=[graduated_cohort.slug])
    html = client.get(url).content.decode()
    assert "A month is met at 10 hours" in html
    assert (
        html.index('data-person="steady"')
        < html.index('data-person="short"')
        < html.index('data-person="absent"')
    )
    steady_row = html.split('data-person="steady"')[1].split("</tr>")[0]
    short_row = html.split('data-person="short"')[1].split("</tr>")[0]
    assert "hours-cell--met" in steady_row and "behind" not in steady_row.split("</th>")[0]
    assert short_row.count('hours-cell--behind"') == 2 and "2 months behind" in short_row
    by_need = client.get(url, {"sort": "behind"}).content.decode()
    assert (
        by_need.index('data-person="absent"')
        < by_need.index('data-person="short"')
        < by_need.index('data-person="steady"')
    )


def test_staff_export_the_grid_as_csv(client, graduated_cohort, months):
    """Does the CSV hold a row per alumna with hours per month, total and months behind?"""
    _grid_fixture(graduated_cohort, months)
    _login(client, UserFactory(roles=[Role.STAFF]))
    response = client.get(reverse("commitments:export", args=[graduated_cohort.slug]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    by_name = {row["username"]: row for row in rows}
    assert set(by_name) == {"steady", "short", "absent"}
    month_1 = next(key for key in rows[0] if key.startswith("month 1 "))
    assert by_name["short"][month_1] == "9.75"
    assert by_name["short"]["total hours"] == "29.50"
    assert by_name["short"]["months behind"] == "2"
    assert by_name["steady"]["months behind"] == "0"


def test_the_csv_never_starts_a_cell_with_a_formula(client, graduated_cohort):
    """Is an e-mail address that looks like a formula written as text in the export?"""
    from django.core.validators import validate_email

    address = "=1+cmd|'/Ccalc'!A0@example.org"
    validate_email(address)
    resident_in(graduated_cohort, username="formula", first_name="-Fay", email=address)
    _login(client, UserFactory(roles=[Role.STAFF]))
    response = client.get(reverse("commitments:export", args=[graduated_cohort.slug]))
    row = next(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert row["email"] == "'" + address
    assert row["name"].startswith("'-Fay")


def test_staff_see_graduated_cohorts_only(client, graduated_cohort):
    """Does staff's landing list the graduated cohort and not one still in residency?"""
    current = CohortFactory(name="Still Learning")
    _login(client, UserFactory(roles=[Role.STAFF]))
    html = client.get(reverse("commitments:index")).content.decode()
    assert graduated_cohort.name in html and current.name not in html
    grid = client.get(reverse("commitments:cohort", args=[current.slug])).content.decode()
    assert "its commitment starts the day after" in grid


# Wednesday, June 10, 2026: month 3 of a commitment that began on March 21 (see below).
JUNE_10 = datetime.datetime(2026, 6, 10, 12, 0, tzinfo=timezone.get_current_timezone())


def _alumna_since_march():
    """An alumna of a cohort that graduated on Friday, March 20, 2026."""
    cohort = CohortFactory(start_date=datetime.date(2025, 12, 1))
    return resident_in(cohort, username="marcher"), commitment_months(cohort=cohort)


@pytest.mark.parametrize(
    ("hours", "said"),
    [
        (Decimal("1.00"), "1 hour"),
        (Decimal("0.25"), "0.25 hours"),
        (Decimal("2.50"), "2.5 hours"),
        (Decimal("10.00"), "10 hours"),
        (Decimal(0), "0 hours"),
    ],
)
def test_one_hour_is_an_hour_and_any_other_amount_is_hours(hours, said):
    """Is exactly one hour "1 hour", and a quarter, two and a half or none "hours"?"""
    assert hours_phrase(hours) == said


def test_the_hours_pages_say_1_hour_not_1_hours(client):
    """Do the log message, the running total, the edit page and the delete message say "1 hour"?"""
    alumna, _ = _alumna_since_march()
    _login(client, alumna)
    pages = []
    with time_machine.travel(JUNE_10, tick=False):
        logged = client.post(
            reverse("commitments:entry_create"),
            {"date": "2026-06-10", "kind": HoursKind.COMMUNITY_CALL, "hours": "1"},
            follow=True,
        ).content.decode()
        entry = HoursEntry.objects.get()
        edit = client.get(reverse("commitments:entry_edit", args=[entry.pk])).content.decode()
        deleted = client.post(
            reverse("commitments:entry_delete", args=[entry.pk]), follow=True
        ).content.decode()
        for amount in ("0.25", "2.5"):
            pages.append(
                client.post(
                    reverse("commitments:entry_create"),
                    {"date": "2026-06-10", "kind": HoursKind.MENTORING, "hours": amount},
                    follow=True,
                ).content.decode()
            )
    assert "Logged 1 hour of community call on June 10." in logged
    assert "1 hour logged so far." in logged
    assert "1 hour of community call on Wednesday, June 10." in edit
    assert "Deleted the 1 hour of June 10." in deleted
    assert "Logged 0.25 hours of mentoring a new resident" in pages[0]
    assert "Logged 2.5 hours of mentoring a new resident" in pages[1]
    assert "2.75 hours logged so far." in pages[1]
    assert not any("1 hours" in html for html in [logged, edit, deleted, *pages])


def test_hours_for_a_closed_month_come_back_in_the_pages_own_words(client):
    """Posting hours for month 1 while in month 3: refused, saying which months are open, as the page does?"""
    alumna, months = _alumna_since_march()
    _login(client, alumna)
    with time_machine.travel(JUNE_10, tick=False):
        page = client.get(reverse("commitments:index")).content.decode()
        response = client.post(
            reverse("commitments:entry_create"),
            {"date": months[0].end.isoformat(), "kind": HoursKind.OFFICE_HOURS, "hours": "2"},
        )
    html = response.content.decode()
    assert response.status_code == 400
    refusal = MONTH_CLOSED_FOR_LOGGING.format(
        number=1, start=months[0].start, end=months[0].end, open="this month and last month"
    )
    assert refusal in html
    said = "You can log, change or delete entries in this month and last month; older months are closed."
    assert said in page and said in html
    assert not HoursEntry.objects.exists()
