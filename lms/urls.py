from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django_ratelimit.decorators import ratelimit
from oauth2_provider import views as oauth2_views
from oauth2_provider.urls import base_urlpatterns as oauth2_urlpatterns
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from lms.people.views import ResetPasswordView, SignInView

# The token endpoint trades codes and refresh tokens for access: a few dozen a minute per
# address is more than a hub needs, and far fewer than guessing would.
oauth_urlpatterns = [
    path(
        "token/",
        ratelimit(key="ip", rate=settings.LMS_TOKEN_RATE, method="POST", block=True)(
            oauth2_views.TokenView.as_view()
        ),
        name="token",
    )
    if getattr(pattern, "name", None) == "token"
    else pattern
    for pattern in oauth2_urlpatterns
]

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/password_reset/", ResetPasswordView.as_view(), name="password_reset"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("django.contrib.auth.urls")),
    # Only the OAuth endpoints themselves: clients are made by the platform, not by users.
    path("oauth/", include((oauth_urlpatterns, "oauth2_provider"))),
    path("", include("lms.hub.urls")),
    path("api/exchange/", include("assignments.api_urls")),
    path("", include("lms.reporting.urls")),
    path("", include("assignments.urls")),
    path("mentoring/", include("lms.mentoring.urls")),
    path("projects/", include("lms.fieldwork.urls")),
    path("attendance/", include("lms.attendance.urls")),
    path("hours/", include("lms.commitments.urls")),
    path("events/", include("lms.events.urls")),
    path("office-hours/", include("lms.officehours.urls")),
    path("calendar/", include("lms.calendars.urls")),
    path("notifications/", include("lms.notifications.urls")),
    path("community/", include("lms.community.urls")),
    path("placement/", include("lms.placement.urls")),
    path("conversation/", include("lms.conversation.urls")),
]

if settings.DEBUG or getattr(settings, "LMS_SERVE_MEDIA", False):
    # One process serving its own uploads (make run); behind a web server, it serves them.
    from django.views.static import serve

    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

urlpatterns += [path("", include(wagtail_urls))]
