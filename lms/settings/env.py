"""The one place settings read the process environment.

Every value the LMS takes from outside comes through ``env`` so the settings
modules read as declarations. ``data_dir`` is where the database, uploaded
notebooks and media live unless the environment points elsewhere.
"""

import secrets
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DATA_DIR = Path(env.str("LMS_DATA_DIR", default=str(BASE_DIR / "var"))).resolve()


def secret_key_from_data_dir(data_dir: Path) -> str:
    """Return a key kept in the data folder, creating it on first use.

    Development and tests get a stable random key without one ever being
    committed; production settings never call this and demand ``SECRET_KEY``.
    """
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()
