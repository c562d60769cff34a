"""The notebook card on a lesson page, which ``assignments`` registers with ``courses.cards``."""

from urllib.parse import quote

from django.conf import settings
from django.urls import reverse

from courses.models import SyllabusPage
from lms.cohorts.selectors import cohort_for_resident
from lms.people.permissions import user_is_staff

from .assignments import assignment_for_lesson
from .standings import resident_standing


def hub_open_url(*, assignment_name: str) -> str:
    """Where "Open in JupyterLab" goes: the hub starts the server if needed, then fetches and opens."""
    next_path = quote(f"/hub/user-redirect/lms/open/{assignment_name}", safe="/")
    return f"{settings.LMS_HUB_URL}/hub/spawn?next={next_path}"


def notebook_card(*, name: str, page, user) -> dict:
    """The assignment a lesson's notebook block names, and where this reader stands on it.

    Residents of the assignment's cohort get their standing and the link that opens it in
    JupyterLab; staff get the link to where the cohort is stuck.
    """
    syllabus = (
        SyllabusPage.objects.ancestor_of(page, inclusive=True).select_related("cohort").first()
    )
    assignment = assignment_for_lesson(cohort=syllabus.cohort if syllabus else None, name=name)
    if assignment is None:
        return {}
    context = {"assignment_obj": assignment}
    signed_in = user is not None and user.is_authenticated
    if signed_in and cohort_for_resident(user=user) == assignment.cohort:
        context["status"] = resident_standing(assignment=assignment, resident=user)
        if context["status"].released:
            context["open_url"] = hub_open_url(assignment_name=assignment.name)
    if signed_in and user_is_staff(user=user):
        context["stuck_url"] = reverse(
            "assignments:stuck", args=[assignment.cohort.slug, assignment.name]
        )
    return context


def lesson_notebook_open(*, page, user) -> bool:
    """Whether this lesson shows this resident a notebook to open now (an "Open in JupyterLab")."""
    names = [
        block.value["assignment"]
        for block in getattr(page, "body", ())
        if block.block_type == "notebook"
    ]
    return any("open_url" in notebook_card(name=name, page=page, user=user) for name in names)
