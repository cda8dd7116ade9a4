"""`load_demo` never runs on a public site: its staff logins have a published password."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from bench.common import ROOT
from tests.test_settings import KEYS


@pytest.mark.django_db
def test_load_demo_refuses_a_public_site_and_creates_no_login(settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "news.example.org"]

    with pytest.raises(CommandError, match="refuses to run on a public site"):
        call_command("load_demo", stdout=StringIO())

    assert not User.objects.exists()


def test_load_demo_on_a_public_host_exits_with_the_reason(tmp_path):
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    env.update(ALLOWED_HOSTS="news.example.org", SECRET_KEY="x" * 50, **KEYS)
    env.update(SAMIZDAT_DATA_DIR=str(tmp_path))

    result = subprocess.run(
        [sys.executable, "manage.py", "load_demo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 1
    assert "load_demo refuses to run on a public site" in result.stderr
    assert "news.example.org" in result.stderr
