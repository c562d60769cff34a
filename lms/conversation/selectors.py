"""Reads: the announcements a person may see, what is still unread, and whom one reaches."""

import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from courses.models import LessonPage
from lms.cohorts.models import Cohort, Phase
from lms.cohorts.selectors import cohort_for_resident, cohort_phase
from lms.people.models import User
from lms.people.permissions import user_is_staff

from .models import Announcement, AnnouncementRead, Answer, Audience, MeToo, Question
from .permissions import user_can_moderate, user_sees_who_posted

GRADUATED = (Phase.POST_RESIDENCY, Phase.ALUMNI)
HOME_CARD_LENGTH = 3


def _graduated_cohort_ids() -> list[int]:
    return [c.pk for c in Cohort.objects.all() if cohort_phase(cohort=c) in GRADUATED]


def _addressed_to(*, user: User) -> Q:
    """The announcements whose audience includes ``user``."""
    addressed = Q(audience=Audience.EVERYONE) | Q(
        audience=Audience.COHORT, cohort__pairings__mentor=user
    )
    own = cohort_for_resident(user=user)
    if own is not None:
        addressed |= Q(audience=Audience.COHORT, cohort=own)
        if cohort_phase(cohort=own) in GRADUATED:
            addressed |= Q(audience=Audience.ALUMNI)
    return addressed


def _with_read(queryset: QuerySet[Announcement], user: User) -> QuerySet[Announcement]:
    return queryset.select_related("author", "cohort").annotate(
        is_read=Exists(AnnouncementRead.objects.filter(announcement=OuterRef("pk"), user=user))
    )


def announcements_for(*, user: User) -> QuerySet[Announcement]:
    """The announcements page: every one for staff; for others those addressed to them and
    their own, newest first, each with ``is_read``."""
    if not user.is_authenticated:
        return Announcement.objects.none()
    if user_is_staff(user=user):
        queryset = Announcement.objects.all()
    else:
        ids = Announcement.objects.filter(_addressed_to(user=user) | Q(author=user)).values("pk")
        queryset = Announcement.objects.filter(pk__in=ids)
    return _with_read(queryset, user)


def unread_announcements_for(*, user: User) -> QuerySet[Announcement]:
    """What the home page shows until it is read: addressed to ``user``, not theirs, unread."""
    ids = (
        Announcement.objects.filter(_addressed_to(user=user))
        .exclude(author=user)
        .exclude(reads__user=user)
        .values("pk")
    )
    return _with_read(Announcement.objects.filter(pk__in=ids), user)


def announcement_recipients(*, announcement: Announcement) -> list[User]:
    """Everyone an announcement is addressed to (the author aside), for e-mail."""
    people = User.objects.filter(is_active=True)
    if announcement.audience == Audience.COHORT:
        people = people.filter(
            Q(enrollment__cohort=announcement.cohort) | Q(mentees__cohort=announcement.cohort)
        )
    elif announcement.audience == Audience.ALUMNI:
        people = people.filter(enrollment__cohort__in=_graduated_cohort_ids())
    return list(people.exclude(pk=announcement.author_id).distinct().order_by("pk"))


def home_card(*, name: str, page, user: User) -> dict:
    """The home page's card: unread announcements, newest first; once all are read, a link to
    the announcements page (nothing at all for someone who has never had one)."""
    if not user.is_authenticated:
        return {}
    unread = list(unread_announcements_for(user=user)[: HOME_CARD_LENGTH + 1])
    if not unread and not announcements_for(user=user).exists():
        return {}
    return {
        "template": "conversation/home_card.html",
        "announcements": unread[:HOME_CARD_LENGTH],
        "more": len(unread) > HOME_CARD_LENGTH,
    }


ANONYMOUS_NAME = "A classmate"


def _label(post, viewer: User) -> None:
    """Who a viewer sees as the author: the name, or "A classmate" for an anonymous question
    (its asker and staff see the name, marked anonymous)."""
    post.shown_name = (
        post.author.display_name if user_sees_who_posted(user=viewer, post=post) else ANONYMOUS_NAME
    )
    post.is_mine = post.author_id == viewer.pk
    post.shown_hidden_note = post.hidden_at is not None and (
        post.is_mine or user_can_moderate(user=viewer)
    )


def questions_for_lesson(*, lesson: LessonPage, viewer: User) -> list[Question]:
    """A lesson's questions, newest first, with answer and "me too" counts; hidden ones only to
    their author and staff."""
    questions = (
        Question.objects.filter(lesson=lesson)
        .select_related("author")
        .annotate(
            answer_count=Count("answers", filter=Q(answers__hidden_at__isnull=True), distinct=True),
            me_too_count=Count("me_toos", distinct=True),
            answered=Exists(Answer.objects.filter(question=OuterRef("pk"), helpful=True)),
        )
    )
    if not user_can_moderate(user=viewer):
        questions = questions.filter(Q(hidden_at__isnull=True) | Q(author=viewer))
    questions = list(questions)
    for question in questions:
        _label(question, viewer)
    return questions


def question_detail(*, question: Question, viewer: User) -> Question:
    """One question with its answers (hidden ones only to their author and staff), each
    labelled for the viewer, and whether the viewer said "me too"."""
    answers = Answer.objects.select_related("author").order_by("-helpful", "created_at", "id")
    question = (
        Question.objects.select_related("author", "cohort", "lesson")
        .prefetch_related(Prefetch("answers", queryset=answers, to_attr="all_answers"))
        .annotate(me_too_count=Count("me_toos"))
        .get(pk=question.pk)
    )
    _label(question, viewer)
    moderator = user_can_moderate(user=viewer)
    question.shown_answers = [
        answer
        for answer in question.all_answers
        if moderator or answer.hidden_at is None or answer.author_id == viewer.pk
    ]
    for answer in question.shown_answers:
        _label(answer, viewer)
    question.viewer_me_too = MeToo.objects.filter(question=question, user=viewer).exists()
    return question


def lesson_questions_card(*, name: str, page, user: User) -> dict:
    """The lesson page's card: how many questions, the latest few, and where to ask."""
    if not user.is_authenticated or not isinstance(page, LessonPage):
        return {}
    questions = questions_for_lesson(lesson=page, viewer=user)
    return {
        "template": "conversation/lesson_card.html",
        "lesson": page,
        "questions": questions[:3],
        "count": len(questions),
    }


UNANSWERED_AFTER = datetime.timedelta(days=1)


def unanswered_questions(*, now: datetime.datetime | None = None) -> QuerySet[Question]:
    """Shown questions with no shown answer, asked more than a day ago, oldest first."""
    now = now or timezone.now()
    return (
        Question.objects.filter(hidden_at__isnull=True, created_at__lte=now - UNANSWERED_AFTER)
        .exclude(Exists(Answer.objects.filter(question=OuterRef("pk"), hidden_at__isnull=True)))
        .select_related("cohort", "lesson")
        .order_by("created_at", "id")
    )


def staff_home_card(*, name: str, page, user: User) -> dict:
    """Staff's home: questions waiting more than a day for an answer."""
    if not user.is_authenticated or not user_can_moderate(user=user):
        return {}
    waiting = list(unanswered_questions()[:6])
    if not waiting:
        return {}
    return {"template": "conversation/staff_home_card.html", "questions": waiting}
