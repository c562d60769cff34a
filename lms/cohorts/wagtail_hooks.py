"""Cohorts in the Wagtail admin, so staff run enrolment and mentor pairing without a shell."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Cohort


class CohortViewSet(SnippetViewSet):
    model = Cohort
    icon = "group"
    menu_label = "Cohorts"
    menu_order = 150
    add_to_admin_menu = True
    list_display = ["name", "start_date", "weeks"]
    search_fields = ["name", "slug"]


register_snippet(CohortViewSet)
