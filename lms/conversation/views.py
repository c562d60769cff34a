"""Views: announcements (the page, one, posting, marking read) and questions under a lesson
(asking, answering, marking the answer that helped, "me too", hiding). Thin by design."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from courses.models import LessonPage
from lms.people.permissions import deny_unless, role_required

from .forms import AnnouncementForm, AnswerForm, HideForm, QuestionForm
from .models import Announcement, Answer, Question
from .permissions import (
    audiences_for_author,
    cohorts_taught_by,
    user_can_answer,
    user_can_ask,
    user_can_moderate,
    user_can_post_announcements,
    user_can_read_announcement,
    user_can_see_questions,
)
from .selectors import announcements_for, question_detail, questions_for_lesson
from .services import (
    announcement_mark_read,
    announcement_post,
    answer_mark_helpful,
    answer_post,
    lesson_problem_sets,
    me_too_toggle,
    post_hide,
    question_ask,
    question_path,
)


def _readable(request, announcement_id: int) -> Announcement:
    """An announcement this person may read; others get a 404, so titles do not leak."""
    announcement = get_object_or_404(
        Announcement.objects.select_related("author", "cohort"), pk=announcement_id
    )
    if not user_can_read_announcement(user=request.user, announcement=announcement):
        raise Http404("No such announcement.")
    return announcement


@login_required
def announcements(request):
    return TemplateResponse(
        request,
        "conversation/announcements.html",
        {
            "announcements": announcements_for(user=request.user)[:100],
            "can_post": user_can_post_announcements(user=request.user),
        },
    )


@login_required
def announcement(request, announcement_id: int):
    item = _readable(request, announcement_id)
    announcement_mark_read(announcement=item, user=request.user)
    return TemplateResponse(request, "conversation/announcement.html", {"announcement": item})


@login_required
@require_POST
def announcement_read(request, announcement_id: int):
    item = _readable(request, announcement_id)
    announcement_mark_read(announcement=item, user=request.user)
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("conversation:announcements")


@login_required
@role_required(
    user_can_post_announcements,
    message="Only staff and guest instructors post announcements.",
)
def announcement_new(request):
    audiences = audiences_for_author(user=request.user)
    cohorts = cohorts_taught_by(user=request.user)
    form = AnnouncementForm(request.POST or None, audiences=audiences, cohorts=cohorts)
    if request.method == "POST" and form.is_valid():
        try:
            posted = announcement_post(author=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Posted “{posted.title}”.")
            return redirect("conversation:announcement", posted.pk)
    return TemplateResponse(request, "conversation/announcement_form.html", {"form": form})


def _add_errors(form, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)


def _visible_lesson(request, lesson_id: int) -> LessonPage:
    lesson = get_object_or_404(LessonPage, pk=lesson_id)
    if not user_can_see_questions(user=request.user, lesson=lesson):
        raise Http404("No such lesson.")
    return lesson


def _visible_question(request, question_id: int) -> Question:
    """A question of a lesson this person may read; a hidden one only to its author and staff."""
    question = get_object_or_404(
        Question.objects.select_related("cohort", "lesson"), pk=question_id
    )
    if not user_can_see_questions(user=request.user, lesson=question.lesson):
        raise Http404("No such question.")
    if question.hidden_at and not (
        question.author_id == request.user.pk or user_can_moderate(user=request.user)
    ):
        raise Http404("No such question.")
    return question


@login_required
def lesson_questions(request, lesson_id: int):
    lesson = _visible_lesson(request, lesson_id)
    can_ask = user_can_ask(user=request.user, lesson=lesson)
    form = None
    if can_ask:
        form = QuestionForm(request.POST or None, problem_sets=lesson_problem_sets(lesson=lesson))
    if request.method == "POST":
        deny_unless(can_ask, "Only residents of this lesson's cohort ask here.")
        if form.is_valid():
            try:
                question = question_ask(author=request.user, lesson=lesson, **form.cleaned_data)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, "Your question is posted.")
                return redirect(question_path(question))
    return TemplateResponse(
        request,
        "conversation/lesson_questions.html",
        {
            "lesson": lesson,
            "questions": questions_for_lesson(lesson=lesson, viewer=request.user),
            "form": form,
        },
    )


@login_required
def question(request, question_id: int):
    item = _visible_question(request, question_id)
    can_answer = user_can_answer(user=request.user, question=item)
    form = AnswerForm(request.POST or None) if can_answer else None
    if request.method == "POST":
        deny_unless(can_answer, "Staff, mentors and the week's instructor answer questions.")
        if form.is_valid():
            try:
                answer = answer_post(
                    author=request.user, question=item, body=form.cleaned_data["body"]
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, "Your answer is posted; the asker is told.")
                return redirect(f"{question_path(item)}#answer-{answer.pk}")
    return TemplateResponse(
        request,
        "conversation/question.html",
        {
            "question": question_detail(question=item, viewer=request.user),
            "form": form,
            "can_me_too": user_can_ask(user=request.user, lesson=item.lesson)
            and item.author_id != request.user.pk,
            "can_moderate": user_can_moderate(user=request.user),
        },
    )


@login_required
@require_POST
def answer_helpful(request, answer_id: int):
    answer = get_object_or_404(Answer.objects.select_related("question"), pk=answer_id)
    item = _visible_question(request, answer.question_id)
    answer = answer_mark_helpful(user=request.user, answer=answer)
    messages.success(
        request, "Marked as the answer that helped." if answer.helpful else "Unmarked."
    )
    return redirect(f"{question_path(item)}#answer-{answer.pk}")


@login_required
@require_POST
def me_too(request, question_id: int):
    item = _visible_question(request, question_id)
    added = me_too_toggle(user=request.user, question=item)
    messages.success(request, "Added your “me too”." if added else "Took back your “me too”.")
    return redirect(question_path(item))


def _hide(request, post, back: str):
    deny_unless(user_can_moderate(user=request.user), "Only staff hide posts.")
    form = HideForm(request.POST)
    if form.is_valid():
        post_hide(moderator=request.user, post=post, note=form.cleaned_data["note"])
        messages.success(request, "Hidden; its author sees your note.")
    else:
        messages.error(request, form.errors["note"][0])
    return redirect(back)


@login_required
@require_POST
def question_hide(request, question_id: int):
    item = _visible_question(request, question_id)
    return _hide(request, item, question_path(item))


@login_required
@require_POST
def answer_hide(request, answer_id: int):
    answer = get_object_or_404(Answer, pk=answer_id)
    item = _visible_question(request, answer.question_id)
    return _hide(request, answer, question_path(item))
