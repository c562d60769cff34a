"""What the hub asks the LMS about the signed-in person."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from lms.people.selectors import user_roles

from .auth import bearer_user


@require_GET
def userinfo(request):
    """The OAuth user-info endpoint: who the token belongs to and which roles they hold."""
    user, refusal = bearer_user(request, scopes=["profile"])
    if refusal:
        return refusal
    return JsonResponse(
        {
            "username": user.username,
            "name": user.get_full_name() or user.username,
            "preferred_name": getattr(user, "preferred_name", ""),
            "email": user.email,
            "groups": sorted(role.value for role in user_roles(user=user)),
            "is_staff": user.is_staff,
        }
    )
