"""A real JupyterHub, with its real proxy, started beside the live test server."""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

PROJECT_DIR = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RunningHub:
    def __init__(self, url: str, api_url: str, api_token: str, data_dir: Path, log: Path):
        self.url, self.api_url, self.api_token = url, api_url, api_token
        self.data_dir, self.log = data_dir, log

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"Authorization": f"token {self.api_token}"}
        return requests.request(
            method, f"{self.api_url}{path}", headers=headers, timeout=30, **kwargs
        )

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


@contextlib.contextmanager
def running_hub(
    *, lms_url: str, client_secret: str, api_token: str, extra_env=None, extra_config: str = ""
):
    """Start ``jupyterhub -f jupyterhub_config.py`` on free ports; stop it and its servers after.

    ``extra_config`` is config code run after the project's file, as a deployment would add it.
    """
    data_dir = Path(tempfile.mkdtemp(prefix="lms-hub-test-"))
    data_dir.chmod(0o711)  # residents' servers pass through it to their homes
    config_file = PROJECT_DIR / "jupyterhub_config.py"
    if extra_config:
        config_file = data_dir / "jupyterhub_config.py"
        project_config = str(PROJECT_DIR / "jupyterhub_config.py")
        config_file.write_text(f"load_subconfig({project_config!r})\n{extra_config}\n")
    port, api_port, proxy_api_port = free_port(), free_port(), free_port()
    env = {
        **os.environ,
        "LMS_DATA_DIR": str(data_dir),
        "HUB_PORT": str(port),
        "HUB_INTERNAL_URL": f"http://127.0.0.1:{api_port}",
        "HUB_PROXY_API_URL": f"http://127.0.0.1:{proxy_api_port}",
        "LMS_BASE_URL": lms_url,
        "LMS_HUB_CLIENT_SECRET": client_secret,
        "LMS_HUB_API_TOKEN": api_token,
        "HUB_LOG_LEVEL": "INFO",
        **(extra_env or {}),
    }
    log = data_dir / "hub.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [str(Path(sys.prefix) / "bin" / "jupyterhub"), "-f", str(config_file)],
            cwd=PROJECT_DIR, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    hub = RunningHub(url, f"{url}/hub/api", api_token, data_dir, log)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"JupyterHub exited early:\n{hub.log_tail()}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{url}/hub/api/", timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"JupyterHub did not start in 60 s:\n{hub.log_tail()}")
            time.sleep(0.2)
        yield hub
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(data_dir, ignore_errors=True)
