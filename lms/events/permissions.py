"""Who may see an event and who manages its attendee list, on the core role predicates."""

from courses.models import SeminarPage
from courses.selectors import seminar_audiences_for
from lms.people.models import User
from lms.people.permissions import user_is_staff


def event_open_to(*, event: SeminarPage, user: User) -> bool:
    """Whether this person is in the event's audience (residents, alumni or everyone)."""
    return event.audience in seminar_audiences_for(user=user)


def user_can_manage_event(*, user: User, event: SeminarPage) -> bool:
    """Staff manage every event; a guest instructor or mentor only the events they host."""
    if not user.is_authenticated:
        return False
    return user_is_staff(user=user) or event.hosts.filter(pk=user.pk).exists()


def user_can_see_event(*, user: User, event: SeminarPage) -> bool:
    """Its audience, and whoever manages it, may open an event and RSVP from its page."""
    return event_open_to(event=event, user=user) or user_can_manage_event(user=user, event=event)
