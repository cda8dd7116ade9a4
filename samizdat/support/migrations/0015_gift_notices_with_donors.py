"""Gift notices moved from giving to donors: tasks queued under the old path still run."""

from functools import partial
from importlib import import_module

from django.db import migrations

MOVED = {
    "samizdat.support.giving.gift_notices.send_gift_changed": (
        "samizdat.support.donors.gift_notices.send_gift_changed"
    ),
    "samizdat.support.giving.gift_notices.send_gift_cancelled": (
        "samizdat.support.donors.gift_notices.send_gift_cancelled"
    ),
}

# The previous move's step, given this move's paths.
_point = import_module("samizdat.support.migrations.0014_queued_tasks_new_paths").point_queued_tasks
point_queued_tasks = partial(_point, moved=MOVED)
point_back = partial(_point, moved={new: old for old, new in MOVED.items()})


class Migration(migrations.Migration):
    dependencies = [("support", "0014_queued_tasks_new_paths")]

    operations = [migrations.RunPython(point_queued_tasks, point_back)]
