"""Reads about people and the roles they hold."""

from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone

from .models import Role, User


def user_roles(*, user: User) -> set[Role]:
    """Return the roles a user holds, read once and cached on the user object."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_lms_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = {role for role in Role if role.value in names}
        if user.is_superuser:
            cached.add(Role.STAFF)
        user._lms_roles = cached
    return cached


def user_has_role(*, user: User, role: Role) -> bool:
    return role in user_roles(user=user)


def locked_sign_ins():
    """Account and address pairs whose sign-in django-axes has paused now, newest first."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).order_by("-attempt_time")
