"""Concerns: a mentor flags one, staff see it, resolve it with a note, and the mentor reads it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from lms.mentoring.models import Channel
from lms.mentoring.selectors import open_concerns
from lms.mentoring.services import (
    CONCERN_ALREADY_RESOLVED,
    NOT_A_CONCERN,
    RESOLUTION_NEEDS_NOTE,
    check_in_log,
    check_in_update,
    concern_resolve,
)
from tests.factories import mentor_of, resident_in

pytestmark = pytest.mark.django_db

CONCERN = "missed two classes"


@pytest.fixture
def flagged(signed_in, mentor, pairing):
    """A concern raised through the mentor's form."""
    met_on = timezone.localdate() - datetime.timedelta(days=3)
    signed_in(mentor).post(
        reverse("mentoring:pairing", args=[pairing.pk]),
        {
            "met_on": met_on.isoformat(), "channel": "video", "duration_minutes": "30",
            "notes": "Long talk.", "concern": "on", "concern_text": CONCERN,
        },
    )  # fmt: skip
    return pairing.check_ins.get()


def test_the_concern_flow(signed_in, flagged, staff, mentor, cohort):
    """Does a flagged concern reach staff, close with their note, and show the mentor that note?"""
    assert flagged.concern_open
    overview = signed_in(staff).get(reverse("mentoring:overview") + f"?cohort={cohort.slug}")
    page = overview.content.decode()
    assert f'data-check-in="{flagged.pk}"' in page.split("Every pairing")[0]
    assert CONCERN in page
    day = f"{flagged.met_on:%b} {flagged.met_on.day}"
    assert open_concerns(cohort=cohort) == {
        flagged.pairing.resident_id: [f"Mentor concern ({day}): {CONCERN}"]
    }

    response = signed_in(staff).post(
        reverse("mentoring:concern-resolve", args=[flagged.pk]),
        {"resolution_note": "Called her; class times moved to fit her shift."},
        follow=True,
    )
    assert "resolved" in response.content.decode()
    flagged.refresh_from_db()
    assert flagged.resolved_by == staff and flagged.resolved_at is not None
    assert open_concerns(cohort=cohort) == {}
    assert "No open concerns" in response.content.decode()

    log = signed_in(mentor).get(reverse("mentoring:pairing", args=[flagged.pairing_id]))
    assert "Concern resolved" in log.content.decode()
    assert "Called her; class times moved to fit her shift." in log.content.decode()


def test_resolving_needs_a_note(signed_in, flagged, staff):
    """Is a resolution without a note refused, the concern left open?"""
    response = signed_in(staff).post(
        reverse("mentoring:concern-resolve", args=[flagged.pk]),
        {"resolution_note": ""},
        follow=True,
    )
    assert RESOLUTION_NEEDS_NOTE in response.content.decode()
    flagged.refresh_from_db()
    assert flagged.concern_open
    with pytest.raises(ValidationError) as error:
        concern_resolve(check_in=flagged, staff=staff, resolution_note="   ")
    assert error.value.message_dict["resolution_note"] == [RESOLUTION_NEEDS_NOTE]


def test_a_concern_is_resolved_once(flagged, staff):
    """Does resolving twice say who resolved it already?"""
    concern_resolve(check_in=flagged, staff=staff, resolution_note="Done.")
    with pytest.raises(ValidationError) as error:
        concern_resolve(check_in=flagged, staff=staff, resolution_note="Again.")
    today = timezone.localdate()
    assert error.value.messages == [
        CONCERN_ALREADY_RESOLVED.format(name=staff.display_name, day=f"{today:%b} {today.day}")
    ]


def test_a_check_in_without_a_concern_has_nothing_to_resolve(check_in, staff):
    with pytest.raises(ValidationError) as error:
        concern_resolve(check_in=check_in, staff=staff, resolution_note="?")
    assert error.value.messages == [NOT_A_CONCERN]


@pytest.mark.parametrize("who", ["mentor", "resident", "guest_instructor"])
def test_only_staff_resolve(request, signed_in, flagged, who):
    """Is a resolve from the mentor, the resident or a guest instructor a 404, the concern open?"""
    response = signed_in(request.getfixturevalue(who)).post(
        reverse("mentoring:concern-resolve", args=[flagged.pk]), {"resolution_note": "Fine now."}
    )
    assert response.status_code == 404
    flagged.refresh_from_db()
    assert flagged.concern_open
    with pytest.raises(PermissionDenied):
        concern_resolve(
            check_in=flagged, staff=request.getfixturevalue(who), resolution_note="Fine now."
        )


def test_taking_a_concern_back_drops_its_resolution(flagged, mentor, staff, cohort):
    """When the mentor unticks a resolved concern, does its resolution go with it?"""
    concern_resolve(check_in=flagged, staff=staff, resolution_note="Sorted.")
    flagged.refresh_from_db()
    check_in_update(
        check_in=flagged, mentor=mentor, met_on=flagged.met_on, channel=Channel.VIDEO,
        duration_minutes=30, notes="Long talk.", concern=False, concern_text=CONCERN,
    )  # fmt: skip
    flagged.refresh_from_db()
    assert (flagged.concern, flagged.concern_text, flagged.resolved_at) == (False, "", None)
    assert open_concerns(cohort=cohort) == {}


def test_staff_overview_shows_who_has_gone_quiet(signed_in, staff, cohort, pairing, other_cohort):
    """Are pairings without a check-in for 7+ days flagged quiet, and other cohorts left out?"""
    quiet_resident = resident_in(cohort, username="gone-quiet")
    quiet_pairing = mentor_of(quiet_resident).mentees.get()
    check_in_log(
        pairing=quiet_pairing, mentor=quiet_pairing.mentor, channel=Channel.CHAT,
        met_on=timezone.localdate() - datetime.timedelta(days=7), duration_minutes=10,
    )  # fmt: skip
    check_in_log(
        pairing=pairing, mentor=pairing.mentor, channel=Channel.CHAT,
        met_on=timezone.localdate() - datetime.timedelta(days=6), duration_minutes=10,
    )  # fmt: skip
    mentor_of(resident_in(other_cohort, username="elsewhere"))

    page = signed_in(staff).get(reverse("mentoring:overview") + f"?cohort={cohort.slug}")
    rows = page.content.decode().split("<tbody>")[1]
    quiet_row = rows.split('data-resident="gone-quiet"')[1].split("</tr>")[0]
    in_touch_row = rows.split('data-resident="resident"')[1].split("</tr>")[0]
    assert "Quiet" in quiet_row and "7 days ago" in quiet_row
    assert "In touch" in in_touch_row and "6 days ago" in in_touch_row
    assert 'data-resident="elsewhere"' not in rows
    assert rows.index("gone-quiet") < rows.index('"resident"'), "the quietest come first"

    other = signed_in(staff).get(reverse("mentoring:overview") + f"?cohort={other_cohort.slug}")
    assert 'data-resident="elsewhere"' in other.content.decode()
    assert "Never" in other.content.decode()


def test_open_concerns_in_one_query(django_assert_num_queries, cohort, other_cohort, staff):
    """Does the gradebook's concern lookup cost one query however many residents and concerns?"""
    expected = {}
    for number in range(4):
        resident = resident_in(cohort)
        pairing = mentor_of(resident).mentees.get()
        for days_ago in (10, 3):
            met_on = timezone.localdate() - datetime.timedelta(days=days_ago + number)
            check_in = check_in_log(
                pairing=pairing, mentor=pairing.mentor, met_on=met_on, channel=Channel.CHAT,
                duration_minutes=10, concern=True, concern_text=f"concern {number}-{days_ago}",
            )  # fmt: skip
            if number == 3 and days_ago == 10:
                concern_resolve(check_in=check_in, staff=staff, resolution_note="Handled.")
                continue
            expected.setdefault(resident.pk, []).append(
                f"Mentor concern ({met_on:%b} {met_on.day}): concern {number}-{days_ago}"
            )
    elsewhere = mentor_of(resident_in(other_cohort)).mentees.get()
    check_in_log(
        pairing=elsewhere, mentor=elsewhere.mentor, met_on=timezone.localdate(),
        channel=Channel.CHAT, duration_minutes=10, concern=True, concern_text="other cohort",
    )  # fmt: skip

    with django_assert_num_queries(1):
        concerns = open_concerns(cohort=cohort)
    assert concerns == expected


def test_open_concerns_reads_like_the_gradebook_wants(cohort, resident, mentor, pairing):
    """Is the text exactly 'Mentor concern (Nov 20): missed two classes'?"""
    check_in_log(
        pairing=pairing, mentor=mentor, met_on=datetime.date(2025, 11, 20), channel=Channel.PHONE,
        duration_minutes=15, concern=True, concern_text="missed two classes",
    )  # fmt: skip
    assert open_concerns(cohort=cohort) == {
        resident.pk: ["Mentor concern (Nov 20): missed two classes"]
    }
