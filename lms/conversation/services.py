"""Writes: post an announcement (rendered, sanitized, e-mailed) and mark one read."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from courses.markdown import render_markdown
from lms.cohorts.models import Cohort
from lms.notifications.models import Kind
from lms.notifications.services import notifications_mark_read_about, notify
from lms.people.models import User

from .models import Announcement, AnnouncementRead, Audience
from .permissions import audiences_for_author, cohorts_taught_by
from .selectors import announcement_recipients

TITLE_MAX = 140
BODY_MAX = 10_000


def announcement_key(announcement: Announcement) -> str:
    return f"announcement-{announcement.pk}"


def announcement_path(announcement: Announcement) -> str:
    return reverse("conversation:announcement", args=[announcement.pk])


@transaction.atomic
def announcement_post(
    *, author: User, audience: str, title: str, body: str, cohort: Cohort | None = None
) -> Announcement:
    """Post to ``audience`` (one ``cohort``, alumni or everyone) and e-mail each person in it,
    except those who turned announcement e-mail off. The Markdown is rendered and sanitized
    once, here."""
    title, body = (title or "").strip(), (body or "").strip()
    if audience not in audiences_for_author(user=author):
        raise PermissionDenied("You cannot post to that audience.")
    if audience == Audience.COHORT:
        if cohort is None:
            raise ValidationError({"cohort": "Choose the cohort this is for."})
        if cohort not in cohorts_taught_by(user=author):
            raise PermissionDenied("You can post only to the cohorts whose weeks you teach.")
    else:
        cohort = None
    errors = {}
    if not title:
        errors["title"] = "Give the announcement a title."
    elif len(title) > TITLE_MAX:
        errors["title"] = f"Keep the title under {TITLE_MAX} characters."
    if not body:
        errors["body"] = "Write something to announce."
    elif len(body) > BODY_MAX:
        errors["body"] = (
            f"Keep an announcement under {BODY_MAX:,} characters (this one has {len(body):,}); "
            "link to a longer document instead."
        )
    if errors:
        raise ValidationError(errors)
    announcement = Announcement.objects.create(
        author=author,
        audience=audience,
        cohort=cohort,
        title=title,
        body=body,
        body_html=render_markdown(body),
    )
    for person in announcement_recipients(announcement=announcement):
        notify(
            user=person,
            kind=Kind.ANNOUNCEMENT,
            key=announcement_key(announcement),
            subject=title,
            body=f"{author.display_name} posted an announcement:\n\n{body}",
            url=announcement_path(announcement),
        )
    return announcement


def announcement_mark_read(*, announcement: Announcement, user: User) -> None:
    """It leaves the person's home page, and its notification counts as read."""
    AnnouncementRead.objects.get_or_create(announcement=announcement, user=user)
    notifications_mark_read_about(
        user=user, kind=Kind.ANNOUNCEMENT, keys=[announcement_key(announcement)]
    )
