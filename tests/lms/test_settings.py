"""Settings come from the environment, and production refuses to start without its secrets."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HTTPS_ONLY_CHECKS = {"security.W004", "security.W008", "security.W012", "security.W016"}

PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "debug": settings.DEBUG, "secret_key": settings.SECRET_KEY, "allowed_hosts": settings.ALLOWED_HOSTS,
    "engine": db["ENGINE"], "name": str(db["NAME"]), "host": db.get("HOST", ""), "port": str(db.get("PORT", "")),
    "media_root": str(settings.MEDIA_ROOT), "lms_port": settings.LMS_PORT, "email": settings.EMAIL_BACKEND,
}))
"""


def _run(code_or_args, settings_module, extra_env, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG"}}
    env.update(
        {"DJANGO_SETTINGS_MODULE": settings_module, "LMS_DATA_DIR": str(tmp_path)}, **extra_env
    )
    args = (
        [sys.executable, "-c", code_or_args]
        if isinstance(code_or_args, str)
        else [sys.executable, *code_or_args]
    )
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def _settings(settings_module, tmp_path, **env):
    result = _run(PRINT_SETTINGS, settings_module, env, tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_defaults_keep_data_in_the_data_folder(tmp_path):
    """With nothing set, is the database an SQLite file and media a folder inside LMS_DATA_DIR?"""
    values = _settings("lms.settings.dev", tmp_path)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(tmp_path / "lms.sqlite3")
    assert values["media_root"] == str(tmp_path / "media")
    assert values["debug"] is False, "make run shows no debug pages unless DEBUG=true"
    assert values["lms_port"] == 8000
    assert values["email"].endswith("console.EmailBackend")
    assert (tmp_path / "secret_key").read_text().strip() == values["secret_key"]


def test_environment_overrides_every_setting(tmp_path):
    """Are SECRET_KEY, DEBUG, ALLOWED_HOSTS, DATABASE_URL and LMS_PORT read from the environment?"""
    values = _settings(
        "lms.settings.production",
        tmp_path,
        SECRET_KEY="s" * 60,
        DEBUG="false",
        ALLOWED_HOSTS="lms.example.org,www.lms.example.org",
        DATABASE_URL="postgres://lms:pw@db.internal:6543/residency",
        LMS_PORT="9000",
    )
    assert values["secret_key"] == "s" * 60
    assert values["debug"] is False
    assert values["allowed_hosts"] == ["lms.example.org", "www.lms.example.org"]
    assert values["engine"] == "django.db.backends.postgresql"
    assert (values["host"], values["port"], values["name"]) == ("db.internal", "6543", "residency")
    assert values["lms_port"] == 9000


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    """Does production fail loudly instead of running with a guessable key?"""
    result = _run(PRINT_SETTINGS, "lms.settings.production", {}, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_production_debug_defaults_off(tmp_path):
    """Is DEBUG off in production unless someone turns it on?"""
    assert _settings("lms.settings.production", tmp_path, SECRET_KEY="k" * 60)["debug"] is False


@pytest.mark.parametrize("https", ["false", "true"])
def test_deploy_check_is_clean_but_for_https(tmp_path, https):
    """Does `check --deploy` only raise what HTTPS fixes, and nothing once LMS_HTTPS is on?"""
    result = _run(
        ["manage.py", "check", "--deploy"],
        "lms.settings.production",
        {"SECRET_KEY": secrets.token_urlsafe(50), "LMS_HTTPS": https},
        tmp_path,
    )
    output = result.stdout + result.stderr
    raised = {
        word.rstrip(")").strip("(") for word in output.split() if word.startswith("(security.")
    }
    if https == "true":
        assert raised == set(), output
    else:
        assert raised <= HTTPS_ONLY_CHECKS, output
