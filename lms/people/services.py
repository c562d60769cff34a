"""Writes about people: creating accounts and granting roles."""

from axes.utils import reset as axes_reset
from django.contrib.auth.models import Group
from django.db import transaction

from .models import Role, User


def role_group(*, role: Role) -> Group:
    """Return the group behind a role, creating it if a fresh database lacks it."""
    group, _ = Group.objects.get_or_create(name=role.value)
    return group


@transaction.atomic
def user_upsert(
    *,
    username: str,
    email: str,
    first_name: str = "",
    last_name: str = "",
    password: str | None = None,
    roles: tuple[Role, ...] = (),
    **extra,
) -> User:
    """Create or update an account by user name and make it hold ``roles``.

    Safe to call again with the same arguments (``load_demo`` relies on that);
    a given password replaces the old one, ``None`` leaves it alone.
    """
    user, created = User.objects.get_or_create(username=username, defaults={"email": email})
    user.email = email
    user.first_name = first_name
    user.last_name = last_name
    for field, value in extra.items():
        setattr(user, field, value)
    if password is not None:
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    for role in roles:
        user.groups.add(role_group(role=role))
    return user


def sign_in_unlock(*, username: str, ip_address: str) -> int:
    """Lift a sign-in pause for one account from one address; returns the records cleared."""
    return axes_reset(ip=ip_address, username=username)
