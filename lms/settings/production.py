"""Production: DEBUG off unless asked for, and no fallback for secrets.

``SECRET_KEY`` must come from the environment; starting without it fails
loudly instead of running with a guessable key.
"""

from .base import *  # noqa: F403
from .env import env

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY")
