"""JupyterHub beside the LMS: everything comes from notebooks.hub_config and the environment."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from notebooks.hub_config import configure  # noqa: E402

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file
configure(c)
