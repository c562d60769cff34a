"""Who may: every signed-in person has a notification centre, and sees only their own.

There is no role rule here; ownership is enforced where a notification is looked up
(``selectors.notification_of`` answers 404 for anyone else's).
"""

from lms.people.models import User


def user_has_notification_centre(*, user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)
