"""Questions under lessons: who asks and answers, the answer that helped, "me too", anonymity
to classmates, hiding with a note, other cohorts' 404, and the asker told of new answers."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from courses.models import LessonPage, WeekPage
from courses.services import authoring_grant
from lms.conversation.models import Answer, Question
from lms.conversation.services import (
    POST_MAX,
    answer_mark_helpful,
    answer_post,
    me_too_toggle,
    post_hide,
    question_ask,
)
from lms.notifications.models import Kind, Notification
from lms.people.models import User
from tests.factories import mentor_of, resident_in, syllabus_for

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 11, 15, 0, tzinfo=datetime.UTC)

TRACEBACK = """My cell fails:

```
Traceback (most recent call last):
  File "<stdin>", line 1, in <module>
KeyError: 'zip'
```

<script>alert(1)</script><img src=x onerror=alert(2)>"""


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def lesson(home, cohort):
    syllabus = syllabus_for(cohort)
    return LessonPage.objects.descendant_of(syllabus).live().order_by("path").first()


@pytest.fixture
def ana(cohort):
    return resident_in(cohort, username="ana")


@pytest.fixture
def bo(cohort):
    return resident_in(cohort, username="bo")


def _ask(author, lesson, **kwargs):
    fields = {"title": "Why a KeyError?", "body": TRACEBACK, **kwargs}
    return question_ask(author=author, lesson=lesson, **fields)


def test_a_resident_asks_a_mentor_answers_the_asker_is_told_and_marks_it(client, lesson, ana):
    mentor = mentor_of(ana, username="mo")
    question = _ask(ana, lesson)
    assert "<pre" in question.body_html and "KeyError: 'zip'" in question.body_html
    assert "<script" not in question.body_html and "onerror" not in question.body_html
    answer = answer_post(author=mentor, question=question, body="Use `.get('zip')`.")
    note = Notification.objects.get(user=ana, kind=Kind.ANSWER)
    assert note.url == f"/conversation/questions/{question.pk}/#answer-{answer.pk}"
    client.force_login(ana)
    response = client.post(f"/conversation/answers/{answer.pk}/helpful/", follow=True)
    assert "Marked as the answer that helped." in response.content.decode()
    answer.refresh_from_db()
    assert answer.helpful
    page = client.get(f"/conversation/lessons/{lesson.pk}/questions/").content.decode()
    assert "Why a KeyError?" in page and "Answered" in page


def test_only_the_asker_marks_and_only_answerers_answer(client, lesson, ana, bo, staff):
    question = _ask(ana, lesson)
    with pytest.raises(PermissionDenied):
        answer_post(author=bo, question=question, body="I think…")
    answer = answer_post(author=staff, question=question, body="Look at line 1.")
    with pytest.raises(PermissionDenied):
        answer_mark_helpful(user=bo, answer=answer)
    client.force_login(bo)
    assert client.post(f"/conversation/answers/{answer.pk}/helpful/").status_code == 403
    response = client.post(f"/conversation/questions/{question.pk}/", {"body": "Sneaky"})
    assert response.status_code == 403
    assert Answer.objects.count() == 1


def test_the_weeks_guest_instructor_answers_and_another_does_not(lesson, ana, guest_instructor):
    question = _ask(ana, lesson)
    with pytest.raises(PermissionDenied):
        answer_post(author=guest_instructor, question=question, body="Hi")
    authoring_grant(user=guest_instructor, page=WeekPage.objects.get(pk=lesson.get_parent().pk))
    guest_instructor = User.objects.get(pk=guest_instructor.pk)  # as the next request loads them
    answer_post(author=guest_instructor, question=question, body="Hi")


def test_me_too_from_classmates_only(client, lesson, ana, bo):
    question = _ask(ana, lesson)
    assert me_too_toggle(user=bo, question=question) is True
    with pytest.raises(PermissionDenied):
        me_too_toggle(user=ana, question=question)
    client.force_login(bo)
    page = client.get(f"/conversation/questions/{question.pk}/").content.decode()
    assert "1 me too" in page and "Take back" in page
    client.post(f"/conversation/questions/{question.pk}/me-too/")
    assert question.me_toos.count() == 0


def test_an_anonymous_question_hides_the_name_from_classmates_not_staff(
    client, lesson, ana, bo, staff
):
    ana.first_name, ana.last_name = "Ana", "Zamora"
    ana.save()
    question = _ask(ana, lesson, anonymous=True)
    client.force_login(bo)
    for url in (f"/conversation/questions/{question.pk}/", lesson.url):
        page = client.get(url).content.decode()
        assert "Zamora" not in page and "A classmate" in page, url
    client.force_login(staff)
    page = client.get(f"/conversation/questions/{question.pk}/").content.decode()
    assert "Ana Zamora" in page and "anonymous to classmates" in page
    client.force_login(ana)
    assert "(you)" in client.get(f"/conversation/questions/{question.pk}/").content.decode()


def test_staff_hide_a_post_with_a_note_its_author_reads(client, lesson, ana, bo, staff):
    question = _ask(ana, lesson, title="Off-topic rant")
    with pytest.raises(PermissionDenied):
        post_hide(moderator=bo, post=question, note="no")
    with pytest.raises(ValidationError):
        post_hide(moderator=staff, post=question, note="  ")
    client.force_login(staff)
    client.post(f"/conversation/questions/{question.pk}/hide/", {"note": "Please keep it kind."})
    question.refresh_from_db()
    assert question.hidden_at is not None
    client.force_login(bo)
    assert client.get(f"/conversation/questions/{question.pk}/").status_code == 404
    assert "Off-topic rant" not in client.get(lesson.url).content.decode()
    client.force_login(ana)
    page = client.get(f"/conversation/questions/{question.pk}/").content.decode()
    assert "Hidden by staff." in page and "Please keep it kind." in page
    client.force_login(bo)
    assert (
        client.post(f"/conversation/questions/{question.pk}/hide/", {"note": "x"}).status_code
        == 404
    )


def test_other_cohorts_get_a_404(client, lesson, ana, other_cohort):
    question = _ask(ana, lesson)
    olu = resident_in(other_cohort, username="olu")
    client.force_login(olu)
    assert client.get(f"/conversation/questions/{question.pk}/").status_code == 404
    assert client.get(f"/conversation/lessons/{lesson.pk}/questions/").status_code == 404
    assert client.post(f"/conversation/questions/{question.pk}/me-too/").status_code == 404
    with pytest.raises(PermissionDenied):
        _ask(olu, lesson)


def test_empty_and_huge_posts_get_a_clear_message(client, lesson, ana):
    client.force_login(ana)
    url = f"/conversation/lessons/{lesson.pk}/questions/"
    page = client.post(url, {"title": "Help", "body": "   "}).content.decode()
    assert "Write your message first." in page
    page = client.post(url, {"title": "Help", "body": "x" * (POST_MAX + 1)}).content.decode()
    assert "Keep it under 10,000 characters" in page
    assert not Question.objects.exists()
    response = client.post(url, {"title": "Help", "body": "Line 3 fails", "anonymous": "on"})
    question = Question.objects.get()
    assert response["Location"] == f"/conversation/questions/{question.pk}/" and question.anonymous


def test_the_lesson_page_shows_its_questions(client, lesson, ana):
    _ask(ana, lesson, title="What is a dict?")
    client.force_login(ana)
    page = client.get(lesson.url).content.decode()
    assert "Questions on this lesson" in page and "What is a dict?" in page


def test_unanswered_questions_older_than_a_day_show_on_the_staff_home(client, lesson, ana, staff):
    old = _ask(ana, lesson, title="Still stuck on loops")
    answered = _ask(ana, lesson, title="Answered one")
    answer_post(author=staff, question=answered, body="Here you go.")
    with time_machine.travel(NOW + datetime.timedelta(hours=25), tick=False):
        _ask(ana, lesson, title="Asked just now")
        client.force_login(staff)
        page = client.get("/").content.decode()
        assert "Questions waiting for an answer" in page and "Still stuck on loops" in page
        assert "Answered one" not in page and "Asked just now" not in page
        client.force_login(ana)
        assert "Questions waiting for an answer" not in client.get("/").content.decode()
    assert old.pk
