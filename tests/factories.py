"""Factories for people, cohorts and a small syllabus, built through the project's own services."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from courses.models import LessonPage, SeminarIndexPage, SeminarPage, SyllabusPage, WeekPage
from courses.services import site_ensure
from lms.cohorts.models import Cohort
from lms.cohorts.services import mentor_pair, resident_enroll
from lms.people.models import Role, User
from lms.people.services import role_group

PASSWORD = "correct-horse-battery"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or ():
            self.groups.add(role_group(role=role))
        self.save()


class CohortFactory(DjangoModelFactory):
    class Meta:
        model = Cohort

    name = factory.Sequence(lambda n: f"Cohort {n}")
    slug = factory.Sequence(lambda n: f"cohort-{n}")
    start_date = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday() + 14)
    )


def resident_in(cohort: Cohort, **kwargs) -> User:
    user = UserFactory(roles=[Role.RESIDENT], **kwargs)
    resident_enroll(cohort=cohort, resident=user)
    return user


def mentor_of(resident: User, **kwargs) -> User:
    mentor = UserFactory(roles=[Role.MENTOR], **kwargs)
    mentor_pair(cohort=resident.enrollment.cohort, mentor=mentor, resident=resident)
    return mentor


def home_page():
    return site_ensure(program_name="Test Residency")


def syllabus_for(cohort: Cohort, weeks: int = 3, lessons_per_week: int = 2) -> SyllabusPage:
    """A published syllabus with ``weeks`` weeks, each with lessons Monday, Tuesday, ..."""
    home = home_page()
    syllabus = home.add_child(
        instance=SyllabusPage(title=f"{cohort.name} syllabus", slug=cohort.slug, cohort=cohort)
    )
    for number in range(1, weeks + 1):
        week = syllabus.add_child(
            instance=WeekPage(
                title=f"Week {number} title",
                slug=f"week-{number}",
                number=number,
                theme=f"Theme of week {number}",
                objectives=[("objective", f"Objective {number}")],
            )
        )
        for weekday in range(lessons_per_week):
            week.add_child(
                instance=LessonPage(
                    title=f"Lesson {number}.{weekday + 1}",
                    slug=f"lesson-{number}-{weekday + 1}",
                    weekday=weekday,
                    summary=f"Summary of lesson {number}.{weekday + 1}",
                    body=[("markdown", f"## Lesson {number}.{weekday + 1}\n\nSome **teaching**.")],
                )
            )
    return syllabus


def seminar(audience: str, days_from_now: int = 5, title: str | None = None) -> SeminarPage:
    index = SeminarIndexPage.objects.get()
    starts_at = timezone.now() + datetime.timedelta(days=days_from_now)
    return index.add_child(
        instance=SeminarPage(
            title=title or f"Seminar for {audience}",
            slug=f"seminar-{audience}-{days_from_now}",
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=1),
            speaker_name="A Speaker",
            audience=audience,
            location="Room 1",
        )
    )
