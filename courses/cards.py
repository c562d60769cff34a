"""Cards that other apps put on course pages; courses shows them without knowing those apps.

A lesson's notebook block names an assignment; ``assignments`` registers the
provider that says when it is due and where the resident stands. Without a
provider a card shows only what the author wrote.
"""

from collections.abc import Callable

CardProvider = Callable[..., dict]

_providers: dict[str, CardProvider] = {}


def card_provider_register(kind: str, provider: CardProvider) -> None:
    """``provider(name=..., page=..., user=...)`` returns the template context for a ``kind`` card."""
    _providers[kind] = provider


def card_context(kind: str, *, name: str, page, user) -> dict:
    provider = _providers.get(kind)
    if provider is None or page is None:
        return {}
    return provider(name=name, page=page, user=user)
