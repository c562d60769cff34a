"""Who may do what, by role: the predicates every app builds its own rules on, and view decorators.

After ``wagtail.admin.auth``: a predicate takes ``user=`` and answers yes or no; ``role_required``
turns predicates into a view decorator. Feature apps keep their object-level rules (this project,
that check-in) in their own ``permissions.py``, built on these; views refuse through the decorators
or ``deny_unless``, never with a check of their own.

The decorators refuse signed-in people with 403; they do not sign anyone in. Put
``login_required`` above them where an anonymous visitor should be sent to the sign-in page (the
Wagtail admin's own wrapper already does that for admin views).
"""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied

from .models import Role, User
from .selectors import user_has_role, user_roles

Predicate = Callable[..., bool]


def user_is_staff(*, user: User) -> bool:
    """Staff run the program: every cohort, the gradebook, the overviews (superusers count)."""
    return user_has_role(user=user, role=Role.STAFF)


def user_is_guest_instructor(*, user: User) -> bool:
    return user_has_role(user=user, role=Role.GUEST_INSTRUCTOR)


def user_is_mentor(*, user: User) -> bool:
    """Holds the mentor role; whom they mentor is the cohorts' business (``lms.cohorts.permissions``)."""
    return user_has_role(user=user, role=Role.MENTOR)


def user_is_staff_or_guest_instructor(*, user: User) -> bool:
    """Staff and guest instructors teach across cohorts: they author and read every cohort's syllabus."""
    return bool(user_roles(user=user) & {Role.STAFF, Role.GUEST_INSTRUCTOR})


def deny_unless(allowed: bool, message: str = "") -> None:
    """Refuse the request (403) unless ``allowed``: for object-level rules a view can only check
    once it has loaded the object, with the app's predicate as ``allowed``."""
    if not allowed:
        raise PermissionDenied(message)


def role_required(*predicates: Predicate, message: str = ""):
    """A view decorator that lets a person through when any of ``predicates`` holds for them,
    and refuses everyone else with 403 (``message`` shown on the error page)."""

    def decorator(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            deny_unless(any(allows(user=request.user) for allows in predicates), message)
            return view(request, *args, **kwargs)

        return checked

    return decorator


staff_required = role_required(user_is_staff)
staff_or_guest_instructor_required = role_required(user_is_staff_or_guest_instructor)
