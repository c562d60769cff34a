"""Writes: post an announcement (rendered, sanitized, e-mailed) and mark one read; ask a
question under a lesson, answer it, mark the answer that helped, "me too", hide a post."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from courses.markdown import render_markdown
from courses.models import LessonPage
from lms.cohorts.models import Cohort
from lms.notifications.models import Kind
from lms.notifications.services import notifications_mark_read_about, notify
from lms.people.models import User

from .models import Announcement, AnnouncementRead, Answer, Audience, MeToo, Question
from .permissions import (
    audiences_for_author,
    cohorts_taught_by,
    lesson_cohort,
    user_can_answer,
    user_can_ask,
    user_can_moderate,
)
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


POST_MAX = 10_000


def question_path(question: Question) -> str:
    return reverse("conversation:question", args=[question.pk])


def lesson_problem_sets(*, lesson: LessonPage) -> list[str]:
    """The problem sets whose cards sit on the lesson: a question may be about one of them."""
    return [block.value["assignment"] for block in lesson.body if block.block_type == "notebook"]


def _checked_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Write your message first."})
    if len(body) > POST_MAX:
        raise ValidationError(
            {
                "body": f"Keep it under {POST_MAX:,} characters (this has {len(body):,}); "
                "paste the part of the traceback that matters."
            }
        )
    return body


@transaction.atomic
def question_ask(
    *,
    author: User,
    lesson: LessonPage,
    title: str,
    body: str,
    anonymous: bool = False,
    problem_set: str = "",
) -> Question:
    if not user_can_ask(user=author, lesson=lesson):
        raise PermissionDenied("Only residents of this lesson's cohort ask here.")
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Say in a line what your question is."})
    if len(title) > TITLE_MAX:
        raise ValidationError({"title": f"Keep the title under {TITLE_MAX} characters."})
    if problem_set and problem_set not in lesson_problem_sets(lesson=lesson):
        raise ValidationError({"problem_set": "That problem set is not on this lesson."})
    body = _checked_body(body)
    return Question.objects.create(
        author=author,
        cohort=lesson_cohort(lesson=lesson),
        lesson=lesson,
        problem_set=problem_set,
        title=title,
        body=body,
        body_html=render_markdown(body),
        anonymous=anonymous,
    )


@transaction.atomic
def answer_post(*, author: User, question: Question, body: str) -> Answer:
    """Answer, and tell the asker (unless they answered themselves)."""
    if not user_can_answer(user=author, question=question):
        raise PermissionDenied("Staff, mentors and the week's instructor answer questions.")
    body = _checked_body(body)
    answer = Answer.objects.create(
        author=author, question=question, body=body, body_html=render_markdown(body)
    )
    if question.author_id != author.pk:
        notify(
            user=question.author,
            kind=Kind.ANSWER,
            key=f"answer-{answer.pk}",
            subject=f"An answer to “{question.title}”",
            body=f"{author.display_name} answered your question:\n\n{body}",
            url=f"{question_path(question)}#answer-{answer.pk}",
        )
    return answer


@transaction.atomic
def answer_mark_helpful(*, user: User, answer: Answer) -> Answer:
    """The asker marks the answer that helped (one per question; marking it again unmarks)."""
    question = answer.question
    if question.author_id != user.pk:
        raise PermissionDenied("Only the person who asked marks the answer that helped.")
    helpful = not answer.helpful
    question.answers.exclude(pk=answer.pk).update(helpful=False)
    answer.helpful = helpful
    answer.save(update_fields=["helpful"])
    return answer


def me_too_toggle(*, user: User, question: Question) -> bool:
    """A classmate has the same question; pressing again takes it back. True when added."""
    if question.author_id == user.pk or not user_can_ask(user=user, lesson=question.lesson):
        raise PermissionDenied("Classmates add “me too” to each other's questions.")
    deleted, _ = MeToo.objects.filter(question=question, user=user).delete()
    if deleted:
        return False
    MeToo.objects.create(question=question, user=user)
    return True


def post_hide(*, moderator: User, post: Question | Answer, note: str) -> Question | Answer:
    """Staff hide a post with a note its author reads in its place."""
    if not user_can_moderate(user=moderator):
        raise PermissionDenied("Only staff hide posts.")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Tell the author why it is hidden."})
    post.hidden_at, post.hidden_by, post.hidden_note = timezone.now(), moderator, note[:2000]
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_note"])
    return post
