"""Who may post announcements, to whom, and who may read one, on the core role predicates."""

from courses.models import LessonPage, SyllabusPage, WeekPage
from courses.permissions import user_can_edit_page
from courses.selectors import page_visible_to
from lms.cohorts.models import Cohort
from lms.cohorts.permissions import user_is_alumnus
from lms.cohorts.selectors import cohort_for_resident
from lms.people.models import User
from lms.people.permissions import user_is_guest_instructor, user_is_staff

from .models import Announcement, Answer, Audience, Question


def cohorts_taught_by(*, user: User) -> list[Cohort]:
    """The cohorts whose weeks a guest instructor was given to write (every one for staff)."""
    if user_is_staff(user=user):
        return list(Cohort.objects.order_by("-start_date"))
    if not user_is_guest_instructor(user=user):
        return []
    cohort_ids = set()
    for syllabus in SyllabusPage.objects.select_related("cohort"):
        weeks = WeekPage.objects.child_of(syllabus)
        if user_can_edit_page(user=user, page=syllabus) or any(
            user_can_edit_page(user=user, page=week) for week in weeks
        ):
            cohort_ids.add(syllabus.cohort_id)
    return list(Cohort.objects.filter(pk__in=cohort_ids).order_by("-start_date"))


def audiences_for_author(*, user: User) -> list[str]:
    """Staff post to a cohort, to alumni or to everyone; guest instructors to a cohort only."""
    if user_is_staff(user=user):
        return list(Audience.values)
    if cohorts_taught_by(user=user):
        return [Audience.COHORT]
    return []


def user_can_post_announcements(*, user: User) -> bool:
    return user.is_authenticated and bool(audiences_for_author(user=user))


def user_can_read_announcement(*, user: User, announcement: Announcement) -> bool:
    """Its audience, its author and staff."""
    if not user.is_authenticated:
        return False
    if user_is_staff(user=user) or announcement.author_id == user.pk:
        return True
    if announcement.audience == Audience.EVERYONE:
        return True
    if announcement.audience == Audience.ALUMNI:
        return user_is_alumnus(user=user)
    own = cohort_for_resident(user=user)
    return (own is not None and own.pk == announcement.cohort_id) or (
        announcement.cohort is not None
        and announcement.cohort.pairings.filter(mentor=user).exists()
    )


def lesson_cohort(*, lesson: LessonPage) -> Cohort | None:
    syllabus = SyllabusPage.objects.ancestor_of(lesson).select_related("cohort").first()
    return syllabus.cohort if syllabus else None


def user_can_see_questions(*, user: User, lesson: LessonPage) -> bool:
    """Whoever may read the lesson: its cohort's residents and mentors, staff, instructors.
    Another cohort's residents may not, so they get a 404."""
    return user.is_authenticated and lesson.live and page_visible_to(user=user, page=lesson)


def user_can_ask(*, user: User, lesson: LessonPage) -> bool:
    """Residents of the lesson's cohort ask."""
    own = cohort_for_resident(user=user)
    return own is not None and own == lesson_cohort(lesson=lesson)


def user_can_answer(*, user: User, question: Question) -> bool:
    """Staff, the cohort's mentors and the guest instructor who teaches the lesson's week."""
    if not user.is_authenticated:
        return False
    if user_is_staff(user=user):
        return True
    if question.cohort.pairings.filter(mentor=user).exists():
        return True
    return user_is_guest_instructor(user=user) and user_can_edit_page(
        user=user, page=question.lesson.get_parent()
    )


def user_can_moderate(*, user: User) -> bool:
    """Staff hide posts."""
    return user_is_staff(user=user)


def user_sees_who_posted(*, user: User, post: Question | Answer) -> bool:
    """An anonymous question shows its asker to staff and to the asker only."""
    if isinstance(post, Question) and post.anonymous:
        return user_is_staff(user=user) or post.author_id == user.pk
    return True
