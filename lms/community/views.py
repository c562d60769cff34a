"""The residency's community landing page."""

from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse

from .selectors import sections_for


@login_required
def community_home(request):
    return TemplateResponse(
        request, "community/home.html", {"sections": sections_for(user=request.user)}
    )
