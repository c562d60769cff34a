from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    """The four roles of a residency; each is a Django group of the same name.

    Groups, not a single field, because one person can hold several roles:
    an alumna who mentors new residents is both a resident of a graduated
    cohort and a mentor. Wagtail's page permissions are granted to groups too.
    """

    RESIDENT = "Residents", "Resident"
    MENTOR = "Mentors", "Mentor"
    GUEST_INSTRUCTOR = "Guest instructors", "Guest instructor"
    STAFF = "Staff", "Staff"


class User(AbstractUser):
    """A person using the platform; the user name is also their JupyterHub name."""

    preferred_name = models.CharField(
        max_length=150, blank=True, help_text="What the person likes to be called."
    )
    pronouns = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.username})" if self.get_full_name() else self.username

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.get_full_name() or self.username
