"""`samizdat nginx_config`: print the nginx configuration for this instance (README, "Running in
production"), from the settings it runs with: host names, media and page folders, language
editions and the headers every reader page carries. Run it again after changing any of them.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from samizdat.reach import nginxconf


class Command(BaseCommand):
    help = "Print the nginx configuration in front of this instance."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--app",
            default=nginxconf.APP_ADDRESS,
            help=f"Where gunicorn listens (default {nginxconf.APP_ADDRESS}).",
        )
        parser.add_argument(
            "--cache-dir",
            default=nginxconf.CACHE_DIR,
            help=f"nginx's folder for the micro-cache (default {nginxconf.CACHE_DIR}).",
        )

    def handle(self, *args, app: str, cache_dir: str, **options) -> None:
        self.stdout.write(nginxconf.render(app_address=app, cache_dir=cache_dir), ending="")
