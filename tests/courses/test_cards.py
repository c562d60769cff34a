"""Cards other apps put on course pages, without courses importing them."""

from assignments.selectors.cards import notebook_card
from courses import cards


def test_a_card_without_a_provider_shows_only_what_the_author_wrote():
    assert cards.card_context("poll", name="week-3-poll", page=object(), user=None) == {}


def test_assignments_provides_the_notebook_card():
    assert cards._providers["notebook"] is notebook_card
