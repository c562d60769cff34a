from django.conf import settings
from django.db import models

from lms.cohorts.models import Cohort


class Audience(models.TextChoices):
    COHORT = "cohort", "One cohort"
    ALUMNI = "alumni", "Alumni (graduated cohorts)"
    EVERYONE = "everyone", "Everyone"


class Announcement(models.Model):
    """A message from staff (or a guest instructor, to the cohorts they teach) to an audience.

    ``body`` is the author's Markdown; ``body_html`` is it rendered and sanitized once, when
    posted, by the lesson renderer.
    """

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="announcements"
    )
    audience = models.CharField(max_length=10, choices=Audience.choices)
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, null=True, blank=True, related_name="announcements"
    )
    title = models.CharField(max_length=140)
    body = models.TextField()
    body_html = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(audience="cohort", cohort__isnull=False)
                | (~models.Q(audience="cohort") & models.Q(cohort__isnull=True)),
                name="announcement_cohort_only_for_cohort_audience",
            )
        ]

    def __str__(self) -> str:
        return self.title


class AnnouncementRead(models.Model):
    """A person has read an announcement: it leaves their home page."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="announcement_reads"
    )
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["announcement", "user"], name="one_read_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} read {self.announcement}"


class Post(models.Model):
    """What questions and answers share: Markdown rendered once, and staff's hiding with a note."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    body_html = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_note = models.TextField(blank=True)

    class Meta:
        abstract = True


class Question(Post):
    """A resident's question under a lesson, or under a problem set whose card is on it."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="questions")
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.CASCADE, related_name="questions"
    )
    problem_set = models.CharField(max_length=100, blank=True)
    title = models.CharField(max_length=140)
    anonymous = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Answer(Post):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    helpful = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Answer to {self.question}"


class MeToo(models.Model):
    """A classmate has the same question."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="me_toos")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "user"], name="one_me_too_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} too: {self.question}"
