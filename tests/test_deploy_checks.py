"""`samizdat check --deploy` reviews a production configuration: quiet on the README's, and
naming each weakness of a careless one."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from bench.common import ROOT, readme_production_env
from tests.test_settings import KEYS

# Django's own deploy warnings that README's environment leaves on purpose (README, "Running
# in production", says why).
DJANGO_BY_DESIGN = {"security.W005", "security.W008", "security.W021"}


def check_deploy(tmp_path, **env: str) -> set[str]:
    """The ids `manage.py check --deploy` reports in this environment (and nothing else of
    the test run's)."""
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    clean.update(env, SAMIZDAT_DATA_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    return set(re.findall(r"\(([a-z_]+\.[EW]\d+)\)", output))


def test_the_readmes_production_environment_passes_samizdats_checks(tmp_path):
    env = readme_production_env()

    found = check_deploy(tmp_path, **env)

    assert found == DJANGO_BY_DESIGN


def test_a_careless_public_configuration_is_named_point_by_point(tmp_path):
    """It starts (each secret is set), but: a short SECRET_KEY, lookups keyed with it, no
    client-address header behind the proxy, mail sent inside the request."""
    found = check_deploy(
        tmp_path, ALLOWED_HOSTS="news.example.org", SECRET_KEY="short-but-set-0123456789", **KEYS
    )

    ours = {i for i in found if i.startswith("samizdat.")}
    assert ours == {"samizdat.W002", "samizdat.W004", "samizdat.W005", "samizdat.W007"}


def test_the_demos_stand_in_secrets_are_errors_for_a_deployment(tmp_path):
    found = check_deploy(tmp_path)

    # The demo's Stripe keys and SECRET_KEY, and donor data keyed from SECRET_KEY.
    assert {"samizdat.E001", "samizdat.E002", "samizdat.E003"} <= found


def test_a_client_address_header_as_nginx_spells_it_is_named(tmp_path):
    env = {**readme_production_env(), "SAMIZDAT_CLIENT_IP_HEADER": "X-Real-IP"}

    assert "samizdat.W006" in check_deploy(tmp_path, **env)
