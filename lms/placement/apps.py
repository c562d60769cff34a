from django.apps import AppConfig

from courses.cards import card_provider_register
from lms.calendars.registry import entry_source_register
from lms.commitments.prompts import hours_prompt_register
from lms.scheduler.registry import job_register


class PlacementConfig(AppConfig):
    """After graduation: openings at partner organizations, profiles, the job-search pipeline
    and the outcomes funders ask for."""

    name = "lms.placement"
    label = "placement"
    verbose_name = "Placement"

    def ready(self) -> None:
        from .selectors import calendar_entries, home_card, retention_prompt
        from .services import stalled_nudges_send

        job_register(
            "placement nudges",
            lambda now: stalled_nudges_send(now=now),
            "E-mail graduates whose job-search card has not moved for two weeks.",
        )
        entry_source_register(calendar_entries)
        card_provider_register("home-placement", home_card)
        hours_prompt_register(retention_prompt)
