"""The resident's JupyterLab side of the LMS: open an assignment from a lesson, plain error messages.

``/lms/open/<assignment>`` fetches the assignment if it is not in the home
folder yet and opens its first notebook in JupyterLab; the LMS's "Open in
JupyterLab" button points here through the hub, which starts the server first.
"""

import asyncio
import html
from pathlib import Path

from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_escape, url_path_join
from nbgrader.exchange.abc.exchange import ExchangeError
from tornado import web

from .lms_client import ExchangeRefused, LMSRefused, LMSUnreachable

# nbgrader's assignment list hands back only a formatted traceback; its last line names the
# exception's class, so the classes whose message is meant for the resident are known by name.
REFUSALS = (ExchangeRefused, LMSRefused, LMSUnreachable, ExchangeError)
REFUSAL_PREFIXES = tuple(f"{cls.__module__}.{cls.__qualname__}: " for cls in REFUSALS)


def plain_error(result: dict) -> dict:
    """Replace a traceback from the exchange with the sentence meant for the resident."""
    value = result.get("value")
    if result.get("success") is False and isinstance(value, str) and value.strip():
        last = value.strip().splitlines()[-1]
        for prefix in REFUSAL_PREFIXES:
            if last.startswith(prefix):
                result["value"] = last[len(prefix) :]
    return result


def times_as_shown(result: dict) -> dict:
    """Show each submission's time as the LMS writes it, in the program's time zone.

    The panel prints ``timestamp`` as it is; nbgrader sorts submissions by it first,
    and feedback folders are named after it, so it is swapped only for showing.
    """
    if result.get("success") is True:
        for assignment in result["value"]:
            for submission in assignment.get("submissions", []):
                submission["timestamp"] = submission.pop("shown_at", submission["timestamp"])
    return result


def _friendly(manager_class):
    class FriendlyAssignmentList(manager_class):
        """nbgrader's manager, reporting the LMS's own words instead of a traceback."""

        def list_released_assignments(self, course_id=None):
            return plain_error(super().list_released_assignments(course_id=course_id))

        def list_submitted_assignments(self, course_id=None):
            return plain_error(
                times_as_shown(super().list_submitted_assignments(course_id=course_id))
            )

        def fetch_assignment(self, course_id, assignment_id):
            return plain_error(super().fetch_assignment(course_id, assignment_id))

        def fetch_feedback(self, course_id, assignment_id):
            return plain_error(super().fetch_feedback(course_id, assignment_id))

        def submit_assignment(self, course_id, assignment_id):
            return plain_error(super().submit_assignment(course_id, assignment_id))

    return FriendlyAssignmentList


class OpenAssignmentHandler(JupyterHandler):
    @web.authenticated
    async def get(self, name: str):
        manager = self.settings.get("assignment_list_manager")
        root = Path(self.settings["server_root_dir"]).expanduser()
        folder = root / name
        if not folder.is_dir():
            if manager is None:
                raise web.HTTPError(500, "nbgrader's assignment list is not loaded.")
            result = await asyncio.get_running_loop().run_in_executor(
                None, manager.fetch_assignment, "", name
            )
            if not result.get("success"):
                self.set_status(400)
                self.finish(_error_page(self.base_url, name, plain_error(result)["value"]))
                return
        notebooks = sorted(folder.glob("*.ipynb"))
        target = f"{name}/{notebooks[0].name}" if notebooks else name
        self.redirect(url_path_join(self.base_url, "lab", "tree", url_escape(target)))


def _error_page(base_url: str, name: str, message: str) -> str:
    lab = html.escape(url_path_join(base_url, "lab"))
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>Could not open {html.escape(name)}</title>"
        "<style>body{font:17px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;"
        "padding:0 1rem;color:#1f2933}a{color:#0b5cad}</style></head><body>"
        f"<h1>Could not open {html.escape(name)}</h1><p>{html.escape(message)}</p>"
        f"<p><a href='{lab}'>Go to JupyterLab</a></p></body></html>"
    )


def _jupyter_server_extension_points():
    return [{"module": "notebooks.server_extension"}]


def _load_jupyter_server_extension(serverapp):
    web_app = serverapp.web_app
    manager = web_app.settings.get("assignment_list_manager")
    if manager is not None:
        friendly = _friendly(type(manager))(parent=serverapp)
        friendly.root_dir = manager.root_dir
        web_app.settings["assignment_list_manager"] = friendly
    web_app.add_handlers(
        ".*$",
        [
            (
                url_path_join(web_app.settings["base_url"], r"/lms/open/([A-Za-z0-9][\w-]*)"),
                OpenAssignmentHandler,
            )
        ],
    )
