"""Development (``make run``): a generated key kept in the data folder, mail to the console, and
uploaded media served by Django. DEBUG stays off unless ``DEBUG=true`` is set, so people trying
the demo see the site's own error pages, never Django's debug pages listing every URL."""

from common.datafolder import data_secret

from .base import *  # noqa: F403
from .env import DATA_DIR, env

DEBUG = env.bool("DEBUG", default=False)
LMS_SERVE_MEDIA = env.bool("LMS_SERVE_MEDIA", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="") or data_secret(DATA_DIR, "secret_key")
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
