from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.decorators import method_decorator
from django_ratelimit.decorators import ratelimit

TOO_MANY_REQUESTS = "Too many requests from here in a short time. Wait a few minutes and try again."


class SignInView(auth_views.LoginView):
    """Django's sign-in, skipped for people who are already signed in."""

    redirect_authenticated_user = True


@method_decorator(
    ratelimit(key="post:email", rate=settings.LMS_PASSWORD_RESET_RATE, method="POST", block=True),
    name="post",
)
@method_decorator(
    ratelimit(key="ip", rate=settings.LMS_PASSWORD_RESET_ADDRESS_RATE, method="POST", block=True),
    name="post",
)
class ResetPasswordView(auth_views.PasswordResetView):
    """Django's password reset, with the program's name in the e-mail instead of a bare host name.
    A few requests per address an hour send mail; more are refused, so no inbox is flooded."""

    def form_valid(self, form):
        self.extra_email_context = {"site_name": settings.LMS_PROGRAM_NAME}
        return super().form_valid(form)


def rate_limited(request, exception=None):
    """What django-ratelimit shows when a limit is reached: JSON for APIs and OAuth clients, the
    site's page for people."""
    if request.path.startswith(("/oauth/", "/api/")):
        return JsonResponse(
            {"error": "rate_limited", "error_description": TOO_MANY_REQUESTS}, status=429
        )
    return TemplateResponse(request, "429.html", {"message": TOO_MANY_REQUESTS}, status=429)
