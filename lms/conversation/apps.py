from django.apps import AppConfig

from courses.cards import card_provider_register


class ConversationConfig(AppConfig):
    """The cohort's conversation: announcements from staff and guest instructors,
    and residents' questions under lessons and problem sets."""

    name = "lms.conversation"
    label = "conversation"
    verbose_name = "Conversation"

    def ready(self) -> None:
        from .selectors import home_card, lesson_questions_card, staff_home_card

        card_provider_register("home-announcements", home_card)
        card_provider_register("lesson-questions", lesson_questions_card)
        card_provider_register("home-unanswered-questions", staff_home_card)
