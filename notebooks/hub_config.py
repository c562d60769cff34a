"""JupyterHub's configuration, built from the environment so it can be loaded and tested alike.

``jupyterhub_config.py`` calls :func:`configure`; tests call it with their own
environment and check the result. Every value has a default that works on one
machine beside ``make run``; the switches for growing past one machine are
``LMS_HUB_SPAWNER`` (local, docker, kubernetes) and ``HUB_DATABASE_URL``.
"""

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from jupyterhub.roles import get_default_roles

from common.datafolder import data_secret
from notebooks.hub_auth import LMS_TOKEN_SCOPE, LMS_TOKEN_SCOPE_DESCRIPTION
from notebooks.spawner import fork_server_prestart

PROJECT_DIR = Path(__file__).resolve().parent.parent
JUPYTER_CONFIG_DIR = PROJECT_DIR / "notebooks" / "jupyter_config"
JUPYTER_DATA_DIR = PROJECT_DIR / "notebooks" / "jupyter_data"
SPAWNERS = {
    "local": "notebooks.spawner.ResidentSpawner",
    "docker": "dockerspawner.DockerSpawner",
    "kubernetes": "kubespawner.KubeSpawner",
}


class HubSettings:
    """The environment, read once with the defaults the README documents."""

    def __init__(self, environ: Mapping[str, str]):
        get = environ.get
        self.data_dir = Path(get("LMS_DATA_DIR") or PROJECT_DIR / "var").resolve()
        self.hub_dir = self.data_dir / "hub"
        self.port = int(get("HUB_PORT", "8001"))
        self.public_url = (get("LMS_HUB_URL") or f"http://127.0.0.1:{self.port}").rstrip("/")
        self.bind_url = get("HUB_BIND_URL") or f"http://127.0.0.1:{self.port}/"
        self.hub_bind_url = get("HUB_INTERNAL_URL") or "http://127.0.0.1:8081"
        # Containers reach the hub over their network: "http://:8081" listens on every interface.
        self.container_hub_bind_url = get("HUB_INTERNAL_URL") or "http://:8081"
        self.proxy_api_url = get("HUB_PROXY_API_URL") or "http://127.0.0.1:8002"
        self.database_url = (
            get("HUB_DATABASE_URL") or f"sqlite:///{self.hub_dir / 'jupyterhub.sqlite'}"
        )
        lms_port = get("LMS_PORT", "8000")
        self.lms_url = (get("LMS_BASE_URL") or f"http://127.0.0.1:{lms_port}").rstrip("/")
        self.lms_internal_url = (get("LMS_INTERNAL_URL") or self.lms_url).rstrip("/")
        self.lms_url_for_servers = (get("LMS_URL_FOR_SERVERS") or self.lms_internal_url).rstrip("/")
        self.client_id = get("LMS_HUB_CLIENT_ID", "jupyterhub")
        self.client_secret = get("LMS_HUB_CLIENT_SECRET") or data_secret(
            self.data_dir, "hub-oauth-client-secret"
        )
        self.api_token = get("LMS_HUB_API_TOKEN") or data_secret(self.data_dir, "hub-api-token")
        self.crypt_key = get("JUPYTERHUB_CRYPT_KEY") or data_secret(self.hub_dir, "crypt-key")
        self.spawner = get("LMS_HUB_SPAWNER", "local")
        if self.spawner not in SPAWNERS:
            raise ValueError(
                f"LMS_HUB_SPAWNER must be one of {', '.join(SPAWNERS)}, not {self.spawner!r}"
            )
        self.image = get("LMS_NOTEBOOK_IMAGE", "ghcr.io/residency-lms/notebook:latest")
        self.mem_limit = get("LMS_NOTEBOOK_MEM_LIMIT", "3G")
        self.docker_network = get("LMS_DOCKER_NETWORK", "residency-lms")
        self.storage_capacity = get("LMS_NOTEBOOK_STORAGE", "2Gi")
        self.cpu_limit = float(get("LMS_NOTEBOOK_CPU_LIMIT", "1"))
        self.cull_idle_seconds = int(get("LMS_HUB_CULL_IDLE_SECONDS", "3600"))
        self.auth_refresh_seconds = int(get("LMS_HUB_AUTH_REFRESH_SECONDS", "300"))
        self.proxy_command = get("HUB_PROXY_COMMAND") or str(
            PROJECT_DIR / "node_modules" / ".bin" / "configurable-http-proxy"
        )
        self.log_level = get("HUB_LOG_LEVEL", "INFO").upper().replace("WARNING", "WARN")


def configure(c, environ: Mapping[str, str] | None = None) -> HubSettings:
    """Fill JupyterHub's config object ``c``; returns the settings it used."""
    s = HubSettings(os.environ if environ is None else environ)
    s.hub_dir.mkdir(mode=0o700, parents=True, exist_ok=True)

    c.JupyterHub.bind_url = s.bind_url
    c.JupyterHub.hub_bind_url = s.hub_bind_url
    c.JupyterHub.db_url = s.database_url
    c.JupyterHub.cookie_secret_file = str(s.hub_dir / "cookie-secret")
    c.JupyterHub.pid_file = str(s.hub_dir / "jupyterhub.pid")
    c.JupyterHub.log_level = s.log_level
    c.JupyterHub.default_url = "/hub/home"
    c.CryptKeeper.keys = [
        bytes.fromhex(s.crypt_key) if len(s.crypt_key) == 64 else s.crypt_key.encode()
    ]
    c.ConfigurableHTTPProxy.command = [s.proxy_command]
    c.ConfigurableHTTPProxy.api_url = s.proxy_api_url
    c.ConfigurableHTTPProxy.pid_file = str(s.hub_dir / "proxy.pid")

    _authenticator(c, s)
    _spawner(c, s)
    _services(c, s)
    _roles(c)
    return s


def _authenticator(c, s: HubSettings) -> None:
    c.JupyterHub.authenticator_class = "notebooks.hub_auth.LMSAuthenticator"
    a = c.LMSAuthenticator
    a.client_id = s.client_id
    a.client_secret = s.client_secret
    a.oauth_callback_url = f"{s.public_url}/hub/oauth_callback"
    a.authorize_url = f"{s.lms_url}/oauth/authorize/"
    a.token_url = f"{s.lms_internal_url}/oauth/token/"
    a.userdata_url = f"{s.lms_internal_url}/api/me"
    a.username_claim = "username"
    a.scope = ["profile", "exchange"]
    a.login_service = "the LMS"
    a.auto_login = True
    a.enable_auth_state = True
    a.manage_groups = True
    a.auth_state_groups_key = "oauth_user.groups"
    a.admin_groups = {"Staff"}
    # The LMS issues tokens to active accounts only, so everyone it vouches for may sign in.
    a.allow_all = True
    a.auth_refresh_age = s.auth_refresh_seconds
    a.refresh_pre_spawn = True
    a.logout_redirect_url = f"{s.lms_url}/"


def _spawner(c, s: HubSettings) -> None:
    c.JupyterHub.spawner_class = SPAWNERS[s.spawner]
    c.Spawner.default_url = "/lab"
    c.Spawner.mem_limit = s.mem_limit
    c.Spawner.cpu_limit = s.cpu_limit
    c.Spawner.start_timeout = 120
    c.Spawner.http_timeout = 60
    c.Spawner.environment = {"LMS_API_URL": s.lms_url_for_servers}
    if s.spawner == "local":
        c.ResidentSpawner.data_dir = str(s.data_dir)
        c.Spawner.environment.update(
            {
                "JUPYTER_CONFIG_PATH": str(JUPYTER_CONFIG_DIR),
                "JUPYTER_PATH": str(JUPYTER_DATA_DIR),
                "PYTHONPATH": str(PROJECT_DIR),
                "PATH": f"{Path(sys.prefix) / 'bin'}:/usr/local/bin:/usr/bin:/bin",
            }
        )
        fork_server_prestart(c.Spawner.environment)
    elif s.spawner == "docker":
        # The image carries the project's notebooks/ package and its jupyter_config.
        c.JupyterHub.hub_bind_url = s.container_hub_bind_url
        c.DockerSpawner.image = s.image
        c.DockerSpawner.network_name = s.docker_network
        c.DockerSpawner.remove = True
        c.DockerSpawner.notebook_dir = "/home/jovyan"
        c.DockerSpawner.volumes = {"residency-home-{username}": "/home/jovyan"}
        c.Spawner.environment["JUPYTER_CONFIG_PATH"] = "/etc/residency-lms/jupyter_config"
        c.Spawner.environment["JUPYTER_PATH"] = "/etc/residency-lms/jupyter_data"
    else:
        c.JupyterHub.hub_bind_url = s.container_hub_bind_url
        c.KubeSpawner.image = s.image
        c.KubeSpawner.mem_guarantee = "512M"
        c.KubeSpawner.cpu_guarantee = 0.25
        c.KubeSpawner.storage_pvc_ensure = True
        c.KubeSpawner.storage_capacity = s.storage_capacity
        c.KubeSpawner.pvc_name_template = "home-{user_server}"
        c.KubeSpawner.volumes = [
            {"name": "home", "persistentVolumeClaim": {"claimName": "home-{user_server}"}}
        ]
        c.KubeSpawner.volume_mounts = [{"name": "home", "mountPath": "/home/jovyan"}]
        c.Spawner.environment["JUPYTER_CONFIG_PATH"] = "/etc/residency-lms/jupyter_config"
        c.Spawner.environment["JUPYTER_PATH"] = "/etc/residency-lms/jupyter_data"


def _services(c, s: HubSettings) -> None:
    c.JupyterHub.services = [
        {
            "name": "idle-culler",
            "command": [
                sys.executable, "-m", "jupyterhub_idle_culler",
                f"--timeout={s.cull_idle_seconds}", "--cull-every=300",
            ],
        },
        {"name": "lms", "api_token": s.api_token},
    ]  # fmt: skip
    c.JupyterHub.load_roles = [
        {
            "name": "idle-culler",
            "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
            "services": ["idle-culler"],
        },
        {
            "name": "lms",
            "description": "The LMS stops and removes the servers of deactivated accounts.",
            "scopes": ["admin:users", "admin:servers", "list:users", "read:users"],
            "services": ["lms"],
        },
    ]


def _roles(c) -> None:
    """A resident's server may read its own user's LMS token, through a custom scope."""
    c.JupyterHub.custom_scopes = {LMS_TOKEN_SCOPE: {"description": LMS_TOKEN_SCOPE_DESCRIPTION}}
    own_token = f"{LMS_TOKEN_SCOPE}!user"
    defaults = {role["name"]: role for role in get_default_roles()}
    c.JupyterHub.load_roles.extend(
        [
            # A server's token gets only the scopes its user holds, so users hold this one for
            # themselves too; the token handler still refuses browser sessions. (Overriding the
            # role, unlike JupyterHub 6's extra_user_scopes, also works on the chart's JupyterHub 5.)
            {"name": "user", "scopes": [*defaults["user"]["scopes"], own_token]},
            # Overriding a default role replaces its scopes, so the defaults are kept.
            {
                "name": "server",
                "description": "Post activity, and read the LMS token of the server's own user.",
                "scopes": [*defaults["server"]["scopes"], own_token],
            },
        ]
    )
