"""A person's e-mail choices: the form lives on the calendar page, this saves it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from .models import Kind
from .services import opt_outs_set


@login_required
@require_POST
def preferences_save(request):
    wanted = set(request.POST.getlist("wanted"))
    opt_outs_set(user=request.user, kinds=set(Kind.values) - wanted)
    messages.success(request, "Your e-mail choices are saved.")
    return redirect("calendars:index")
