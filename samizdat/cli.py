"""`samizdat …`: the project's management commands, runnable from anywhere once installed."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samizdat.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["samizdat", *sys.argv[1:]])


if __name__ == "__main__":
    main()
