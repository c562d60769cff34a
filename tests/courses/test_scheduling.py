"""Lessons go live on their day, at 8 a.m. program time, through Wagtail's scheduled publishing."""

import datetime

import time_machine
from django.core.management import call_command
from django.utils import timezone

from courses.models import LessonPage, WeekPage
from courses.selectors import dashboard_for
from courses.services import lesson_release_time, lesson_schedule_release
from tests.factories import CohortFactory, resident_in, syllabus_for


def _future_cohort_lesson(home):
    start = timezone.localdate() + datetime.timedelta(days=14 - timezone.localdate().weekday())
    cohort = CohortFactory(start_date=start)
    syllabus = syllabus_for(cohort, weeks=1, lessons_per_week=2)
    week = WeekPage.objects.child_of(syllabus).get()
    lesson = LessonPage.objects.child_of(week).get(weekday=1)
    lesson.unpublish()
    return cohort, lesson


def test_lesson_waits_for_its_day_then_goes_live(client, home):
    """Is a scheduled lesson hidden until 8 a.m. on its day, and live after the scheduler runs?"""
    cohort, lesson = _future_cohort_lesson(home)
    lesson_schedule_release(lesson=lesson)
    lesson.refresh_from_db()
    release_at = lesson_release_time(lesson=lesson)
    assert timezone.localtime(release_at).time() == datetime.time(8, 0)
    assert timezone.localtime(release_at).date() == cohort.start_date + datetime.timedelta(days=1)
    assert not lesson.live

    resident = resident_in(cohort)
    client.force_login(resident)
    url = lesson.get_url()
    call_command("publish_scheduled", verbosity=0)
    lesson.refresh_from_db()
    assert not lesson.live, "published before its day"
    assert client.get(url).status_code == 404

    with time_machine.travel(release_at + datetime.timedelta(minutes=1), tick=False):
        call_command("publish_scheduled", verbosity=0)
    lesson.refresh_from_db()
    assert lesson.live
    assert client.get(url).status_code == 200


def test_scheduled_lessons_are_announced_without_a_link(client, home):
    """Does the week page list a scheduled lesson with its opening time but no link to it?"""
    cohort, lesson = _future_cohort_lesson(home)
    lesson_schedule_release(lesson=lesson)
    client.force_login(resident_in(cohort))
    week = lesson.get_parent()
    content = client.get(week.url).content.decode()
    assert lesson.title in content
    assert "Opens" in content
    assert f'href="{lesson.get_url()}"' not in content


def test_lesson_whose_day_has_passed_is_published_at_once(home, cohort):
    """Does scheduling a lesson whose day is behind us publish it right away?"""
    syllabus = syllabus_for(cohort, weeks=1, lessons_per_week=1)
    lesson = LessonPage.objects.descendant_of(syllabus).get()
    lesson.unpublish()
    lesson_schedule_release(lesson=lesson)
    lesson.refresh_from_db()
    assert lesson.live


def test_dashboard_shows_this_week_and_todays_lessons(client, home):
    """On a Tuesday of week 2, does a resident's home show week 2 and Tuesday's lesson?"""
    tuesday = datetime.date(2026, 3, 10)
    cohort = CohortFactory(start_date=tuesday - datetime.timedelta(days=8))
    syllabus_for(cohort, weeks=3, lessons_per_week=3)
    resident = resident_in(cohort, first_name="Rosa", last_name="Delgado")
    with time_machine.travel(
        datetime.datetime(2026, 3, 10, 10, 0, tzinfo=timezone.get_current_timezone())
    ):
        dashboard = dashboard_for(user=resident)
        assert dashboard.week.number == 2
        assert [item.page.title for item in dashboard.todays_lessons] == ["Lesson 2.2"]
        assert [item.page.title for item in dashboard.later_this_week] == ["Lesson 2.3"]
        client.force_login(resident)
        content = client.get("/").content.decode()
    assert "Welcome, Rosa Delgado" in content
    assert "Week 2 title" in content
    assert "Lesson 2.2" in content


def test_dashboard_on_a_weekend_looks_at_the_coming_week(home):
    """On a Sunday, does the home page show the week that starts tomorrow?"""
    sunday = datetime.date(2026, 3, 15)
    cohort = CohortFactory(start_date=datetime.date(2026, 3, 2))
    syllabus_for(cohort, weeks=3)
    resident = resident_in(cohort)
    with time_machine.travel(
        datetime.datetime.combine(sunday, datetime.time(12), tzinfo=timezone.get_current_timezone())
    ):
        dashboard = dashboard_for(user=resident)
    assert dashboard.week.number == 3
    assert dashboard.todays_lessons == []
