"""Production settings: strict about what must be chosen, and `check --deploy` clean."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "frontwelfare.settings.production",
    "SECRET_KEY": "k8#Qz!v2Lr@p9Xw$Tb4&Nm7^Hc1*Yd6(Fs3)Gj5_Ue0+Ai8=Ro2" * 2,
    "ALLOWED_HOSTS": "mttq.example.vn",
    "DATABASE_URL": "postgres://frontwelfare:secret@db:5432/frontwelfare",
    "REDIS_URL": "redis://redis:6379/0",
}


def _manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and not k.endswith("_FILE")}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env},
        capture_output=True, text=True, timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("variable", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without_a_required_variable(variable):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != variable}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert f"The environment variable {variable} is required" in result.stderr


def test_malformed_boolean_names_the_variable():
    result = _manage("check", env={**PRODUCTION_ENV, "DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be true or false, not 'maybe'" in result.stderr


def test_secret_can_come_from_a_file(tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text(PRODUCTION_ENV["SECRET_KEY"] + "\n")
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env={**env, "SECRET_KEY_FILE": str(secret_file)})
    assert result.returncode == 0, result.stderr


def test_debug_is_off_in_production_unless_asked():
    code = "from django.conf import settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
    result = _manage("shell", "-c", code, env=PRODUCTION_ENV)
    assert result.stdout.strip().splitlines()[-1].split() == ["False", "True", "31536000"], result.stderr


def test_production_refuses_to_start_with_debug_on():
    result = _manage("check", env={**PRODUCTION_ENV, "DEBUG": "true"})
    assert result.returncode != 0
    assert "DEBUG must be false in production" in result.stderr


@pytest.mark.parametrize("secret", ["build", "a" * 60, "django-insecure-" + "k8#Qz!v2Lr@p9Xw$Tb4&Nm7^Hc1*Yd6(Fs3)Gj5"])
def test_production_refuses_to_start_with_a_weak_secret_key(secret):
    result = _manage("check", env={**PRODUCTION_ENV, "SECRET_KEY": secret})
    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50 random characters" in result.stderr


@pytest.mark.parametrize(("behind_proxy", "expected"), [
    ("false", "None"), ("true", "('HTTP_X_FORWARDED_PROTO', 'https')"),
])
def test_django_trusts_the_forwarded_scheme_only_behind_a_tls_proxy(behind_proxy, expected):
    code = "from django.conf import settings as s; print(s.SECURE_PROXY_SSL_HEADER)"
    result = _manage("shell", "-c", code, env={**PRODUCTION_ENV, "BEHIND_TLS_PROXY": behind_proxy})
    assert result.stdout.strip().splitlines()[-1] == expected, result.stderr


def _gunicorn_config(env) -> dict[str, str]:
    """gunicorn's resolved settings, read from gunicorn.conf.py in the checkout's top folder."""
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and k != "BEHIND_TLS_PROXY"}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "gunicorn"), "--print-config", "frontwelfare.wsgi:application"],
        cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return dict(line.split(" = ", 1) for line in result.stdout.splitlines() if " = " in line)


def test_gunicorn_ignores_forwarded_scheme_headers_unless_behind_a_tls_proxy():
    config = {k.strip(): v.strip() for k, v in _gunicorn_config({}).items()}
    assert config["secure_scheme_headers"] == "{}"
    assert config["forwarded_allow_ips"] == "[]"


def test_gunicorn_behind_a_tls_proxy_trusts_only_x_forwarded_proto():
    config = {k.strip(): v.strip() for k, v in _gunicorn_config({"BEHIND_TLS_PROXY": "true"}).items()}
    # Not X-Forwarded-Ssl nor X-Forwarded-Protocol, which the proxy may pass through from a client.
    assert config["secure_scheme_headers"] == "{'X-FORWARDED-PROTO': 'https'}"
    assert config["forwarded_allow_ips"] == "['*']"
