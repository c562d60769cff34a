"""RSVPs: who may answer, places and the waitlist, and what the event page and list show."""

import datetime

import pytest
from django.core import mail
from wagtail import hooks

from courses.models import Audience, EventKind
from lms.events.models import Rsvp
from lms.events.selectors import calendar_entries
from lms.events.services import (
    EVENT_STARTED,
    NOT_IN_AUDIENCE,
    RsvpError,
    rsvp_cancel,
    rsvp_request,
    waitlist_promote,
)
from lms.events.wagtail_hooks import fill_new_places_from_the_waitlist
from tests.factories import PASSWORD, resident_in

from .conftest import make_event


def _going(event) -> list[str]:
    return sorted(
        Rsvp.objects.filter(event=event, status=Rsvp.Status.GOING).values_list(
            "person__username", flat=True
        )
    )


def _sign_in(client, user):
    client.login(username=user.username, password=PASSWORD)


@pytest.mark.django_db
def test_residents_answer_residents_and_everyone_events_but_not_alumni_ones(client, home, resident):
    """Can a current resident RSVP to residents' and everyone's events, and not to alumni-only ones?"""
    for_residents = make_event(audience=Audience.RESIDENTS)
    for_everyone = make_event(audience=Audience.EVERYONE)
    for_alumni = make_event(audience=Audience.ALUMNI, title="Alumni brunch")
    assert rsvp_request(event=for_residents, person=resident).status == Rsvp.Status.GOING
    assert rsvp_request(event=for_everyone, person=resident).status == Rsvp.Status.GOING
    with pytest.raises(RsvpError) as refused:
        rsvp_request(event=for_alumni, person=resident)
    assert refused.value.messages == [
        NOT_IN_AUDIENCE.format(title="Alumni brunch", audience="alumni")
    ]

    _sign_in(client, resident)
    assert client.post(f"/events/{for_alumni.pk}/rsvp/").status_code == 404
    assert not Rsvp.objects.filter(event=for_alumni).exists()


@pytest.mark.django_db
def test_alumni_answer_alumni_events_but_not_residents_only_ones(home, alumna):
    """Once their cohort has graduated, do residents RSVP to alumni events and not residents' ones?"""
    weekend = make_event(audience=Audience.ALUMNI, kind=EventKind.ALUMNI_WEEKEND)
    assert rsvp_request(event=weekend, person=alumna).status == Rsvp.Status.GOING
    with pytest.raises(RsvpError):
        rsvp_request(event=make_event(audience=Audience.RESIDENTS), person=alumna)


@pytest.mark.django_db
def test_people_without_a_cohort_or_role_cannot_rsvp(home):
    from tests.factories import UserFactory

    with pytest.raises(RsvpError):
        rsvp_request(event=make_event(), person=UserFactory())


@pytest.mark.django_db
def test_an_event_that_has_started_takes_no_rsvps_or_cancellations(home, resident, cohort):
    """Is the list frozen once the event starts, so nobody is promoted into a room mid-talk?"""
    event = make_event(starts_in=datetime.timedelta(days=1), title="Started")
    rsvp_request(event=event, person=resident)
    event.starts_at = event.starts_at - datetime.timedelta(days=1, minutes=5)
    event.ends_at = event.starts_at + datetime.timedelta(hours=2)
    event.save()
    with pytest.raises(RsvpError) as refused:
        rsvp_request(event=event, person=resident_in(cohort))
    assert refused.value.messages == [EVENT_STARTED.format(title="Started")]
    with pytest.raises(RsvpError):
        rsvp_cancel(event=event, person=resident)


@pytest.mark.django_db
def test_a_full_event_puts_newcomers_on_the_waitlist_in_order(home, cohort):
    """With two places, are the third and fourth people waitlisted, in the order they asked?"""
    event = make_event(capacity=2)
    people = [resident_in(cohort, username=f"r{n}") for n in range(4)]
    statuses = [rsvp_request(event=event, person=person).status for person in people]
    assert statuses == ["going", "going", "waitlisted", "waitlisted"]
    assert rsvp_request(event=event, person=people[2]).status == "waitlisted", "asking twice"
    assert Rsvp.objects.filter(event=event).count() == 4


@pytest.mark.django_db(transaction=True)
def test_a_cancelled_place_goes_to_the_first_on_the_waitlist_with_an_email(home, cohort):
    """When someone going cancels, is the first waitlisted person promoted and e-mailed?"""
    event = make_event(capacity=1, title="Tenant data clinic")
    first, second, third = (resident_in(cohort, username=n) for n in ("first", "second", "third"))
    for person in (first, second, third):
        rsvp_request(event=event, person=person)
    mail.outbox.clear()

    rsvp_cancel(event=event, person=first)

    assert _going(event) == ["second"]
    assert Rsvp.objects.get(event=event, person=third).status == "waitlisted"
    (message,) = mail.outbox
    assert message.to == ["second@example.org"]
    assert "You have a place at Tenant data clinic" in message.subject
    assert event.url in message.body


@pytest.mark.django_db(transaction=True)
def test_leaving_the_waitlist_promotes_nobody(home, cohort):
    event = make_event(capacity=1)
    going, waiting = resident_in(cohort), resident_in(cohort)
    rsvp_request(event=event, person=going)
    rsvp_request(event=event, person=waiting)
    rsvp_cancel(event=event, person=waiting)
    assert Rsvp.objects.get(event=event, person=waiting).status == "cancelled"
    assert _going(event) == [going.username]
    assert mail.outbox == []


@pytest.mark.django_db
def test_coming_back_after_cancelling_joins_the_end_of_the_queue(home, cohort):
    """Does someone who cancelled and asks again go behind those already waiting?"""
    event = make_event(capacity=1)
    ana, bo, cy = (resident_in(cohort, username=n) for n in ("ana", "bo", "cy"))
    rsvp_request(event=event, person=ana)
    rsvp_request(event=event, person=bo)
    rsvp_cancel(event=event, person=ana)
    assert _going(event) == ["bo"]
    rsvp_request(event=event, person=cy)
    assert rsvp_request(event=event, person=ana).status == "waitlisted"
    rsvp_cancel(event=event, person=bo)
    assert _going(event) == ["cy"], "cy asked before ana came back"


@pytest.mark.django_db
def test_more_places_go_to_the_waitlist(home, cohort):
    """When an editor raises the capacity and publishes, are waiting people moved up?"""
    event = make_event(capacity=1)
    people = [resident_in(cohort, username=f"p{n}") for n in range(4)]
    for person in people:
        rsvp_request(event=event, person=person)
    event.capacity = 3
    event.save_revision().publish()
    assert fill_new_places_from_the_waitlist in hooks.get_hooks("after_publish_page")
    fill_new_places_from_the_waitlist(None, event)
    assert _going(event) == ["p0", "p1", "p2"]
    assert waitlist_promote(event=event) == [], "nobody is left to promote"


@pytest.mark.django_db
def test_editors_set_kind_places_and_hosts_in_wagtail(client, home, staff, cohort):
    """Does the seminar editor offer kind, capacity and hosts, with only staff, guests and mentors?"""
    event = make_event(capacity=5)
    resident = resident_in(cohort, username="not-a-host")
    client.force_login(staff)
    page = client.get(f"/admin/pages/{event.pk}/edit/").content.decode()
    assert 'name="capacity"' in page and 'name="kind"' in page
    assert 'name="hosts"' in page and 'type="checkbox"' in page
    assert f'name="hosts" value="{staff.pk}"' in page
    assert f'name="hosts" value="{resident.pk}"' not in page


@pytest.mark.django_db
def test_an_event_without_a_limit_never_waitlists(home, cohort):
    event = make_event(capacity=None)
    for _ in range(5):
        assert rsvp_request(event=event, person=resident_in(cohort)).status == "going"


@pytest.mark.django_db
def test_the_event_page_shows_places_your_state_and_the_right_button(client, home, cohort):
    """Does the seminar page say how many places are left, and offer RSVP, cancel or waitlist?"""
    event = make_event(capacity=2)
    ana, bo, cy = (resident_in(cohort, username=n) for n in ("ana", "bo", "cy"))
    _sign_in(client, ana)
    page = client.get(event.url).content.decode()
    assert "2</strong> of 2 places left" in page
    assert "RSVP — I'm coming" in page

    response = client.post(f"/events/{event.pk}/rsvp/", follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == event.url
    assert f"You have a place at {event.title}" in page
    assert "You're going" in page and "Cancel my RSVP" in page
    assert "1</strong> of 2 places left" in page

    rsvp_request(event=event, person=bo)
    _sign_in(client, cy)
    page = client.get(event.url).content.decode()
    assert "All 2 places are taken" in page and "Join the waitlist" in page
    page = client.post(f"/events/{event.pk}/rsvp/", follow=True).content.decode()
    assert "number 1 on the waitlist" in page
    assert "Waitlist · number 1" in page and "Leave the waitlist" in page

    page = client.post(f"/events/{event.pk}/cancel/", follow=True).content.decode()
    assert f"You left the waitlist for {event.title}" in page
    assert "You cancelled" in page and "Join the waitlist" in page


@pytest.mark.django_db
def test_rsvp_needs_a_post_and_a_signed_in_person(client, home, resident):
    event = make_event()
    assert client.post(f"/events/{event.pk}/rsvp/").status_code == 302
    assert not Rsvp.objects.exists()
    _sign_in(client, resident)
    assert client.get(f"/events/{event.pk}/rsvp/").status_code == 405
    assert client.post("/events/999999/rsvp/").status_code == 404


@pytest.mark.django_db
def test_cancelling_without_an_rsvp_says_so(client, home, resident):
    event = make_event(title="Open lab")
    _sign_in(client, resident)
    page = client.post(f"/events/{event.pk}/cancel/", follow=True).content.decode()
    assert "You have no place or waitlist spot at Open lab to cancel." in page


@pytest.mark.django_db
def test_the_events_list_shows_upcoming_events_with_your_state(client, home, cohort, alumna):
    """Does /events/ list what is coming up for you, with your RSVP state and places left?"""
    resident = resident_in(cohort, username="ana")
    seminar = make_event(audience=Audience.EVERYONE, capacity=10, title="Mapping evictions")
    full = make_event(audience=Audience.RESIDENTS, capacity=1, title="Accessible forms")
    make_event(audience=Audience.ALUMNI, kind=EventKind.ALUMNI_WEEKEND, title="Alumni weekend")
    rsvp_request(event=seminar, person=resident)
    rsvp_request(event=full, person=resident_in(cohort))

    _sign_in(client, resident)
    page = client.get("/events/").content.decode()
    assert "Mapping evictions" in page and "Accessible forms" in page
    assert "Alumni weekend" not in page, "not in a current resident's audience"
    assert "You're going" in page
    assert "9 of 10 places left" in page and "Full · waitlist open" in page

    _sign_in(client, alumna)
    page = client.get("/events/").content.decode()
    assert "Alumni weekend" in page and "Alumni weekend · " in page
    assert "Accessible forms" not in page


@pytest.mark.django_db
def test_calendar_holds_events_you_go_to_and_events_you_host(home, cohort, guest_instructor):
    """Is a going RSVP on your calendar, a waitlist spot or cancelled RSVP not, and a host's event too?"""
    ana = resident_in(cohort, username="ana")
    going = make_event(capacity=1, title="Going")
    waiting = make_event(capacity=1, title="Waiting")
    cancelled = make_event(title="Cancelled")
    make_event(title="Hosted", hosts=[guest_instructor])
    rsvp_request(event=going, person=ana)
    rsvp_request(event=waiting, person=resident_in(cohort))
    rsvp_request(event=waiting, person=ana)
    rsvp_request(event=cancelled, person=ana)
    rsvp_cancel(event=cancelled, person=ana)

    entries = calendar_entries(user=ana)
    assert [entry.summary for entry in entries] == ["Going"]
    (entry,) = entries
    assert entry.uid == f"event-{going.pk}" and entry.url == going.url
    assert entry.start == going.starts_at and entry.location == "Community room"

    hosting = calendar_entries(user=guest_instructor)
    assert [entry.summary for entry in hosting] == ["Hosted"]
    assert "You are hosting" in hosting[0].description


@pytest.mark.django_db
def test_calendar_entries_take_a_bounded_number_of_queries(
    home, cohort, guest_instructor, django_assert_max_num_queries
):
    ana = resident_in(cohort, username="ana")
    for _ in range(6):
        rsvp_request(event=make_event(hosts=[guest_instructor]), person=ana)
    with django_assert_max_num_queries(6):
        assert len(calendar_entries(user=ana)) == 6
    with django_assert_max_num_queries(6):
        assert len(calendar_entries(user=guest_instructor)) == 6
