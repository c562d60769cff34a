"""Start residents' notebook servers by forking a process that has Jupyter already imported.

A single-user server spends about 2.5 of its 4 seconds of start-up importing
jupyter_server, JupyterLab and nbgrader's extensions. This process imports
them once, as the hub's user, then serves ``common.forkserver``'s protocol:
each child confines itself (its own session, the limits, the resident's
account, the request's environment and folder; the network stays, a
notebook server needs it), answers with its pid and runs
``jupyterhub-singleuser``'s ``main``.

The hub starts it and closes its standard input to stop it; servers already
running keep running, as they do when the hub restarts.
"""

import os
import sys

from jupyterhub.singleuser import main as singleuser_main
from jupyterlab.commands import get_user_settings_dir, get_workspaces_dir

from common import confinement, forkserver

PROCESS_NAME = "jupyter-server"  # what ps shows for a forked server
PRELOAD = (
    "jupyterhub.singleuser",
    "jupyter_server.serverapp",
    "jupyterlab.labapp",
    "jupyter_server_terminals",
    "jupyterlab_server",
    "notebook_shim",
    "nbgrader.server_extensions.assignment_list",
    "nbgrader.server_extensions.validate_assignment",
    "notebooks.server_extension",
    "notebooks.exchange",
    # JupyterLab asks /api/nbconvert for its export formats while the notebook loads; importing
    # nbconvert there held the notebook's own request back.
    "nbconvert",
    "jupyter_server.nbconvert.handlers",
)


def become_server(request: dict, reply: forkserver.Reply) -> int:
    """In the forked child: become the resident's notebook server until it stops."""
    forkserver.name_process(PROCESS_NAME)
    confinement.confine({**request, "isolate_network": False})
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    reply.started()
    sys.argv = [*request["argv"], *lab_folders_args()]
    return singleuser_main() or 0


def lab_folders_args() -> list[str]:
    """JupyterLab's settings and workspaces folders, found from the resident's environment.

    JupyterLab computes their defaults when it is imported, which here happened in
    the hub's environment: left alone, a resident's server would try to save their
    layout and settings in the hub user's home, and fail.
    """
    return [
        f"--LabApp.user_settings_dir={get_user_settings_dir()}",
        f"--LabApp.workspaces_dir={get_workspaces_dir()}",
    ]


if __name__ == "__main__":
    forkserver.preload(PRELOAD)
    forkserver.serve(sys.argv[1], become_server)
