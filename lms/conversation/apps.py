from django.apps import AppConfig

from courses.cards import card_provider_register


class ConversationConfig(AppConfig):
    """The cohort's conversation: announcements from staff and guest instructors."""

    name = "lms.conversation"
    label = "conversation"
    verbose_name = "Conversation"

    def ready(self) -> None:
        from .selectors import home_card

        card_provider_register("home-announcements", home_card)
