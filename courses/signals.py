"""Receivers that hold Wagtail's own writes to the syllabus's rules; the rules live in ``services``."""

from .services import lesson_revision_keep_schedule


def revision_keep_lesson_schedule(sender, instance, raw=False, update_fields=None, **kwargs):
    """Every new or rewritten lesson revision passes through the release-time rule before it is stored."""
    if raw or (update_fields is not None and "content" not in update_fields):
        return
    lesson_revision_keep_schedule(revision=instance)
