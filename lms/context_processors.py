"""Template context every page needs: the program's name and the signed-in person's navigation."""

from django.conf import settings


def site(request):
    from courses.selectors import seminar_index, syllabus_for_nav
    from lms.cohorts.selectors import cohort_for_resident

    user = request.user
    context = {"program_name": settings.LMS_PROGRAM_NAME}
    if user.is_authenticated:
        context["nav"] = {
            "syllabus": syllabus_for_nav(user=user),
            "seminars": seminar_index(),
            "admin": user.has_perm("wagtailadmin.access_admin"),
            "progress": cohort_for_resident(user=user) is not None,
        }
    return context
