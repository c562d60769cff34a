from django.conf import settings
from django.contrib.auth import views as auth_views


class SignInView(auth_views.LoginView):
    """Django's sign-in, skipped for people who are already signed in."""

    redirect_authenticated_user = True


class ResetPasswordView(auth_views.PasswordResetView):
    """Django's password reset, with the program's name in the e-mail instead of a bare host name."""

    def form_valid(self, form):
        self.extra_email_context = {"site_name": settings.LMS_PROGRAM_NAME}
        return super().form_valid(form)
