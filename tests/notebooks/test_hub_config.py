"""JupyterHub's configuration, loaded as the hub loads it, for each way of running notebook servers."""

import copy
import hashlib
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from jupyterhub.crypto import CryptKeeper
from oauth2_provider.models import Application
from traitlets import HasTraits, TraitError
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader
from traitlets.utils.importstring import import_item

from lms.hub.services import HUB_CALLBACK_PATH
from notebooks.hub_auth import LMS_TOKEN_SCOPE, LMSAuthenticator
from notebooks.hub_config import JUPYTER_CONFIG_DIR, JUPYTER_DATA_DIR, PROJECT_DIR, configure
from notebooks.spawner import SYSTEM_NAME_LIMIT, system_user_name

# The class each section of the config object configures.
SECTIONS = {
    "JupyterHub": "jupyterhub.app.JupyterHub",
    "CryptKeeper": "jupyterhub.crypto.CryptKeeper",
    "ConfigurableHTTPProxy": "jupyterhub.proxy.ConfigurableHTTPProxy",
    "Spawner": "jupyterhub.spawner.Spawner",
    "ResidentSpawner": "notebooks.spawner.ResidentSpawner",
    "DockerSpawner": "dockerspawner.DockerSpawner",
    "KubeSpawner": "kubespawner.KubeSpawner",
    "LMSAuthenticator": "notebooks.hub_auth.LMSAuthenticator",
}
SPAWNERS = ["local", "docker", "kubernetes"]
# useradd's default NAME_REGEX.
LINUX_NAME = re.compile(r"^[a-z_][a-z0-9_-]*$")


def _configure(tmp_path, **environ) -> Config:
    c = Config()
    configure(c, {"LMS_DATA_DIR": str(tmp_path), **environ})
    return c


def test_default_runs_servers_as_local_resident_processes(tmp_path):
    """On one machine, does the hub start servers with the LMS's own spawner and config?"""
    c = _configure(tmp_path)
    assert c.JupyterHub.spawner_class == "notebooks.spawner.ResidentSpawner"
    assert c.ResidentSpawner.data_dir == str(tmp_path.resolve())
    assert c.JupyterHub.hub_bind_url == "http://127.0.0.1:8081"
    environment = c.Spawner.environment
    assert environment["LMS_API_URL"] == "http://127.0.0.1:8000"
    assert environment["JUPYTER_CONFIG_PATH"] == str(JUPYTER_CONFIG_DIR)
    assert (JUPYTER_CONFIG_DIR / "nbgrader_config.py").is_file()
    assert environment["JUPYTER_PATH"] == str(JUPYTER_DATA_DIR)
    assert (
        JUPYTER_DATA_DIR / "labextensions" / "@residency-lms" / "lab" / "package.json"
    ).is_file()
    assert environment["PYTHONPATH"] == str(PROJECT_DIR)
    assert "DockerSpawner" not in c and "KubeSpawner" not in c


def test_authenticator_signs_in_through_the_lms(tmp_path):
    """Is the hub an OAuth client of the LMS, browsers sent to its public URL, the hub calling inside?"""
    c = _configure(
        tmp_path,
        LMS_BASE_URL="https://lms.example.org/",
        LMS_INTERNAL_URL="http://lms:8000",
        LMS_HUB_URL="https://hub.example.org",
        LMS_HUB_CLIENT_SECRET="s3cret",
    )
    assert c.JupyterHub.authenticator_class == "notebooks.hub_auth.LMSAuthenticator"
    a = c.LMSAuthenticator
    assert a.authorize_url == "https://lms.example.org/oauth/authorize/"
    assert a.token_url == "http://lms:8000/oauth/token/"
    assert a.userdata_url == "http://lms:8000/api/me"
    assert a.oauth_callback_url == "https://hub.example.org" + HUB_CALLBACK_PATH
    assert a.logout_redirect_url == "https://lms.example.org/"
    assert (a.client_id, a.client_secret) == ("jupyterhub", "s3cret")
    assert set(a.scope) == {"profile", "exchange"}
    assert a.username_claim == "username"
    assert a.admin_groups == {"Staff"}
    assert a.auth_state_groups_key == "oauth_user.groups"
    assert a.enable_auth_state is True
    assert c.Spawner.environment["LMS_API_URL"] == "http://lms:8000"


def test_hub_asks_for_the_callback_the_lms_allows(tmp_path, settings):
    """Does the hub's callback match the redirect URI the LMS registered for it?"""
    c = _configure(tmp_path, LMS_HUB_URL=settings.LMS_HUB_URL)
    redirect = Application(redirect_uris=settings.LMS_HUB_URL + HUB_CALLBACK_PATH)
    assert redirect.redirect_uri_allowed(c.LMSAuthenticator.oauth_callback_url)


def test_secrets_are_shared_through_the_data_folder(tmp_path):
    """On one machine, do the hub and LMS share the client secret and API token without copying?"""
    c = _configure(tmp_path)
    secret = (tmp_path / "hub-oauth-client-secret").read_text().strip()
    token = (tmp_path / "hub-api-token").read_text().strip()
    assert c.LMSAuthenticator.client_secret == secret and len(secret) == 64
    [_culler, lms_service] = c.JupyterHub.services
    assert lms_service == {"name": "lms", "api_token": token}
    again = _configure(tmp_path)
    assert again.LMSAuthenticator.client_secret == secret


def test_cookie_secret_and_crypt_key_live_in_the_hub_folder(tmp_path):
    """Are the hub's own secrets kept in <data>/hub, owner-only?"""
    c = _configure(tmp_path)
    hub = tmp_path.resolve() / "hub"
    assert c.JupyterHub.cookie_secret_file == str(hub / "cookie-secret")
    key = (hub / "crypt-key").read_text().strip()
    assert c.CryptKeeper["keys"] == [bytes.fromhex(key)]
    CryptKeeper(config=c).check_available()  # auth state can be encrypted with it
    assert hub.stat().st_mode & 0o777 == 0o700
    assert (hub / "crypt-key").stat().st_mode & 0o777 == 0o600
    assert c.JupyterHub.db_url == f"sqlite:///{hub / 'jupyterhub.sqlite'}"


def test_crypt_key_from_the_environment_wins(tmp_path):
    """When the crypt key is set in the environment, is it used as given?"""
    c = _configure(tmp_path, JUPYTERHUB_CRYPT_KEY="ab" * 32)
    assert c.CryptKeeper["keys"] == [bytes.fromhex("ab" * 32)]
    assert not (tmp_path / "hub" / "crypt-key").exists()


def test_postgres_database_url_is_used(tmp_path):
    """Past one machine, does the hub keep its state in the given database?"""
    url = "postgresql://hub:pw@db:5432/jupyterhub"
    assert _configure(tmp_path, HUB_DATABASE_URL=url).JupyterHub.db_url == url


def test_docker_spawner_runs_the_notebook_image(tmp_path):
    """With LMS_HUB_SPAWNER=docker, do servers run in the notebook image and reach the hub?"""
    c = _configure(tmp_path, LMS_HUB_SPAWNER="docker", LMS_NOTEBOOK_IMAGE="registry.example/nb:1.2")
    assert c.JupyterHub.spawner_class == "dockerspawner.DockerSpawner"
    assert c.DockerSpawner.image == "registry.example/nb:1.2"
    bind = urlsplit(c.JupyterHub.hub_bind_url)
    assert bind.hostname in (None, "0.0.0.0") and bind.port == 8081  # every interface
    assert c.DockerSpawner.volumes == {"residency-home-{username}": "/home/jovyan"}
    assert c.Spawner.environment["JUPYTER_CONFIG_PATH"] == "/etc/residency-lms/jupyter_config"
    assert c.Spawner.environment["JUPYTER_PATH"] == "/etc/residency-lms/jupyter_data"
    assert "PYTHONPATH" not in c.Spawner.environment
    assert "ResidentSpawner" not in c


def test_kubernetes_spawner_runs_the_notebook_image(tmp_path):
    """With LMS_HUB_SPAWNER=kubernetes, do servers run as pods of the image with a home volume?"""
    c = _configure(tmp_path, LMS_HUB_SPAWNER="kubernetes", LMS_NOTEBOOK_IMAGE="nb:2")
    assert c.JupyterHub.spawner_class == "kubespawner.KubeSpawner"
    assert c.KubeSpawner.image == "nb:2"
    assert urlsplit(c.JupyterHub.hub_bind_url).port == 8081
    assert c.KubeSpawner.volume_mounts == [{"name": "home", "mountPath": "/home/jovyan"}]


def test_an_unknown_spawner_lists_the_choices(tmp_path):
    """Does a typo in LMS_HUB_SPAWNER stop the hub with a message naming the choices?"""
    with pytest.raises(ValueError) as error:
        _configure(tmp_path, LMS_HUB_SPAWNER="swarm")
    assert (
        str(error.value) == "LMS_HUB_SPAWNER must be one of local, docker, kubernetes, not 'swarm'"
    )


def test_docker_network_comes_from_the_given_environment(tmp_path, monkeypatch):
    """Is the docker network taken from the environment the configuration is built from?"""
    monkeypatch.delenv("LMS_DOCKER_NETWORK", raising=False)
    c = _configure(tmp_path, LMS_HUB_SPAWNER="docker", LMS_DOCKER_NETWORK="campus-net")
    assert c.DockerSpawner.network_name == "campus-net"


@pytest.mark.parametrize("spawner", SPAWNERS)
def test_every_setting_is_a_real_trait_with_a_valid_value(tmp_path, spawner):
    """Would a misspelt or mistyped setting, which JupyterHub silently ignores, be caught?"""
    c = _configure(tmp_path, LMS_HUB_SPAWNER=spawner)
    assert set(c) <= set(SECTIONS), f"unexpected sections: {set(c) - set(SECTIONS)}"
    for section, values in c.items():
        cls = import_item(SECTIONS[section])
        traits = cls.class_traits(config=True)
        for name, value in values.items():
            assert name in cls.class_trait_names(config=True), f"{section}.{name} is not a trait"
            # Assign the value to a lone copy of the trait, so traitlets validates it.
            probe = type("Probe", (HasTraits,), {name: copy.deepcopy(traits[name])})()
            setattr(probe, name, value)


def test_the_trait_check_catches_a_bad_value():
    """Does the trait check above really reject a value of the wrong kind?"""
    trait = import_item(SECTIONS["Spawner"]).class_traits(config=True)["cpu_limit"]
    probe = type("Probe", (HasTraits,), {"cpu_limit": copy.deepcopy(trait)})()
    with pytest.raises(TraitError):
        probe.cpu_limit = "lots"


def test_the_real_config_file_loads(tmp_path, monkeypatch):
    """Does jupyterhub_config.py itself load, as JupyterHub loads it, into the expected hub?"""
    for name in ("LMS_HUB_SPAWNER", "HUB_DATABASE_URL", "JUPYTERHUB_CRYPT_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LMS_DATA_DIR", str(tmp_path))
    loader = PyFileConfigLoader("jupyterhub_config.py", path=str(PROJECT_DIR))
    c = loader.load_config()
    assert c.JupyterHub.spawner_class == "notebooks.spawner.ResidentSpawner"
    assert c.JupyterHub.authenticator_class == "notebooks.hub_auth.LMSAuthenticator"
    assert c.JupyterHub.db_url == f"sqlite:///{tmp_path.resolve() / 'hub' / 'jupyterhub.sqlite'}"
    assert (tmp_path / "hub" / "crypt-key").is_file()


def test_the_real_config_file_honours_the_spawner_switch(tmp_path, monkeypatch):
    """Does the switch in the hub's environment reach the real config file?"""
    monkeypatch.setenv("LMS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("LMS_HUB_SPAWNER", "docker")
    c = PyFileConfigLoader("jupyterhub_config.py", path=str(PROJECT_DIR)).load_config()
    assert c.JupyterHub.spawner_class == "dockerspawner.DockerSpawner"


def test_only_servers_and_their_own_user_may_read_the_lms_token(tmp_path):
    """Is the LMS token's custom scope defined, and held by servers (and users) for themselves only?"""
    c = _configure(tmp_path)
    assert LMS_TOKEN_SCOPE.startswith("custom:")
    assert c.JupyterHub.custom_scopes[LMS_TOKEN_SCOPE]["description"]
    roles = {role["name"]: role for role in c.JupyterHub.load_roles}
    own = f"{LMS_TOKEN_SCOPE}!user"
    assert roles["server"]["scopes"] == ["users:activity!user", "access:servers!server", own]
    assert roles["user"]["scopes"] == ["self", own]
    for name in ("lms", "idle-culler"):
        assert not any(scope.startswith(LMS_TOKEN_SCOPE) for scope in roles[name]["scopes"])


def test_kubernetes_values_grant_the_same_lms_token_scope(tmp_path):
    """Would a hub deployed with the Helm chart define and grant the scope as the local hub does?"""
    values = yaml.safe_load((PROJECT_DIR / "deploy" / "z2jh-values.yaml").read_text())
    local = _configure(tmp_path)
    assert values["hub"]["config"]["JupyterHub"]["custom_scopes"] == local.JupyterHub.custom_scopes
    local_roles = {role["name"]: role["scopes"] for role in local.JupyterHub.load_roles}
    for name in ("user", "server"):
        assert values["hub"]["loadRoles"][name]["scopes"] == local_roles[name]


# System account names for residents' servers


def test_plain_names_keep_their_name():
    """Is an ordinary user name readable in the system account name?"""
    assert system_user_name("rosa") == "jh-rosa"
    assert system_user_name("kai_2") == "jh-kai_2"
    assert system_user_name("rosa", prefix="lms-") == "lms-rosa"


@pytest.mark.parametrize(
    "username",
    [
        "rosa.delgado@example.org",
        "Rosa",
        "rosa+test",
        "ñandú",
        "x" * 150,
        "a-very-long-but-otherwise-plain-user-name",
    ],
)
def test_awkward_names_become_valid_linux_names(username):
    """Do names with '@', '.', capitals or great length become valid account names?"""
    name = system_user_name(username)
    assert len(name) <= SYSTEM_NAME_LIMIT
    assert LINUX_NAME.match(name), name
    assert name.startswith("jh-")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("rosa.d", "rosa-d"),
        ("Rosa", "rosa"),
        ("rosa@x", "rosa.x"),
        ("x" * 40 + "a", "x" * 40 + "b"),
        ("a-very-long-but-otherwise-plain-user-name", "a-very-long-but-otherwise-plain-user-nam"),
    ],
)
def test_different_names_never_share_an_account(first, second):
    """Would two residents whose names clean up alike be given two different accounts?"""
    assert system_user_name(first) != system_user_name(second)


def test_a_plain_name_cannot_imitate_a_hashed_one():
    """Could someone named like another resident's hashed account name share that account?"""
    imitation = "a-b-" + hashlib.sha256(b"a.b").hexdigest()[:6]
    assert system_user_name(imitation) != system_user_name("a.b")


def test_config_module_lives_beside_the_project():
    """Is the project folder the hub adds to servers' PYTHONPATH the one holding notebooks/?"""
    assert (PROJECT_DIR / "notebooks" / "spawner.py").is_file()
    assert Path(PROJECT_DIR / "jupyterhub_config.py").is_file()


def test_zero_to_jupyterhub_values_name_real_classes_and_settings(tmp_path):
    """Would the Kubernetes values file configure the same sign-in and roles as the local hub?"""
    values = yaml.safe_load((Path(__file__).parents[2] / "deploy" / "z2jh-values.yaml").read_text())
    hub_config = values["hub"]["config"]
    authenticator = import_item(hub_config["JupyterHub"]["authenticator_class"])
    assert authenticator is LMSAuthenticator
    traits = set(authenticator.class_trait_names(config=True))
    for section in ("Authenticator", "LMSAuthenticator"):
        unknown = set(hub_config[section]) - traits
        assert not unknown, f"{section} sets settings that do not exist: {unknown}"
    assert hub_config["LMSAuthenticator"]["userdata_url"].endswith("/api/me")

    local = Config()
    configure(
        local,
        {"LMS_DATA_DIR": str(tmp_path), "LMS_HUB_CLIENT_SECRET": "x", "LMS_HUB_API_TOKEN": "y"},
    )
    local_roles = {role["name"]: role["scopes"] for role in local.JupyterHub.load_roles}
    assert values["hub"]["loadRoles"]["lms"]["scopes"] == local_roles["lms"]
    dockerfile = (Path(__file__).parents[2] / "deploy" / "notebook.Dockerfile").read_text()
    assert values["singleuser"]["extraEnv"]["JUPYTER_CONFIG_PATH"] in dockerfile
    assert values["singleuser"]["extraEnv"]["JUPYTER_PATH"] in dockerfile
