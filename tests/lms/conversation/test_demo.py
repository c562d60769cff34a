"""The demo's announcements: on a resident's home page and under the bell, safe to load twice."""

import pytest
from django.core.management import call_command

from lms.conversation.models import Announcement
from lms.notifications.models import Kind, Notification
from lms.people.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_announces_to_cohort_7_and_alumni_once(client):
    call_command("load_demo")
    call_command("load_demo")
    assert Announcement.objects.count() == 3
    aisha = User.objects.get(username="aisha")
    assert Notification.objects.filter(user=aisha, kind=Kind.ANNOUNCEMENT).count() == 2
    assert (
        Notification.objects.filter(user__username="tanisha", kind=Kind.ANNOUNCEMENT).count() == 1
    )
    client.force_login(aisha)
    page = client.get("/").content.decode()
    assert "session moves to 2 PM" in page and "Before civic-tech week" in page
    assert "Judges wanted" not in page
