"""Tests: fast hashing, in-memory mail, tasks run inline unless a test asks for the queue."""

import os

from .base import *  # noqa: F403
from .env import env

DEBUG = False
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
SECRET_KEY = env.str("SECRET_KEY", default="test-only-key-not-secret-0123456789abcdefghijklmnop")
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "lms.hub.hashers.ClientSecretHasher",
]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": TASK_QUEUES,  # noqa: F405
    }
}
WAGTAILEMBEDS_FINDERS = [{"class": "courses.embed_finders.PrivacyVideoFinder"}]

# Playwright's sync API keeps an event loop in the test thread; the ORM calls
# made by fixtures in that thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# No hub unless a test starts one: deactivations then fail fast instead of reaching a developer's hub.
LMS_HUB_API_URL = "http://127.0.0.1:9/hub/api"
