"""Questions other parts of the residency ask at the monthly hours check, registered at start-up.

The hours page knows none of them: an app registers ``prompt(user=..., cohort=..., today=...)``
in its ``AppConfig.ready``; it returns None when it has nothing to ask, else a dict with a
``template`` (rendered on the alumna's hours page with the dict as ``prompt``).
"""

from collections.abc import Callable

HoursPrompt = Callable[..., dict | None]

_prompts: list[HoursPrompt] = []


def hours_prompt_register(prompt: HoursPrompt) -> None:
    """Ask ``prompt`` on every alumna's hours page; registering it twice asks it once."""
    if prompt not in _prompts:
        _prompts.append(prompt)


def hours_prompts(*, user, cohort, today) -> list[dict]:
    """What the registered prompts want to ask this alumna today."""
    asked = (prompt(user=user, cohort=cohort, today=today) for prompt in _prompts)
    return [question for question in asked if question]
