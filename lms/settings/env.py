"""The one place settings read the process environment.

Every value the LMS takes from outside comes through ``env`` so the settings
modules read as declarations. ``data_dir`` is where the database, uploaded
notebooks and media live unless the environment points elsewhere.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DATA_DIR = Path(env.str("LMS_DATA_DIR", default=str(BASE_DIR / "var"))).resolve()
