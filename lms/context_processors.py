"""Template context every page needs: the program's name and the signed-in person's navigation."""

from django.conf import settings

from courses.selectors import seminar_index, syllabus_for_nav
from lms.cohorts.selectors import cohort_default, cohort_for_resident
from lms.notifications.selectors import unread_count
from lms.people.permissions import user_is_staff

COMMUNITY_APPS = (
    "community", "mentoring", "fieldwork", "attendance", "commitments",
    "events", "officehours", "calendars", "notifications", "placement",
)  # fmt: skip


def site(request):
    # A request refused before authentication (a bad Host header) has no user; its error page
    # still renders.
    user = getattr(request, "user", None)
    context = {"program_name": settings.LMS_PROGRAM_NAME}
    if user is not None and user.is_authenticated:
        context["nav"] = {
            "syllabus": syllabus_for_nav(user=user),
            "seminars": seminar_index(),
            "admin": user.has_perm("wagtailadmin.access_admin"),
            "progress": cohort_for_resident(user=user) is not None,
            "gradebook": gradebook_cohort(user=user),
            "community_apps": COMMUNITY_APPS,
            "unread_notifications": unread_count(user=user),
        }
    return context


def gradebook_cohort(*, user):
    """Staff's gradebook link opens the cohort in residency now, else the newest one."""
    return cohort_default() if user_is_staff(user=user) else None
