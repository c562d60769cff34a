"""JupyterHub configuration: declarations only, values from the environment.

Hosted notebooks are not wired in yet; this binds the hub beside the LMS so
the layout is in place.
"""

import os

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

c.JupyterHub.bind_url = f"http://127.0.0.1:{os.environ.get('HUB_PORT', '8001')}/"
