"""Reads about e-mail choices."""

from lms.people.models import User

from .models import OptOut


def opted_out_kinds(*, user: User) -> set[str]:
    return set(OptOut.objects.filter(user=user).values_list("kind", flat=True))
