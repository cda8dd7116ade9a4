"""Tasks queued before support/ was split into giving, donors and revenue name their functions
by the old module paths; point them at the new ones so that the worker still runs them."""

from django.db import migrations

MOVED = {
    "samizdat.support.selfservice.send_manage_link": (
        "samizdat.support.donors.selfservice.links.send_manage_link"
    ),
    "samizdat.support.dunning.send_notice": "samizdat.support.giving.dunning.send_notice",
    "samizdat.support.gift_notices.send_gift_changed": (
        "samizdat.support.giving.gift_notices.send_gift_changed"
    ),
    "samizdat.support.gift_notices.send_gift_cancelled": (
        "samizdat.support.giving.gift_notices.send_gift_cancelled"
    ),
    "samizdat.support.receipts.send_receipt": "samizdat.support.giving.receipts.send_receipt",
    "samizdat.support.reminders.send_due_reminders": (
        "samizdat.support.giving.reminders.send_due_reminders"
    ),
}


def point_queued_tasks(apps, schema_editor, moved=MOVED):
    task_result = apps.get_model("django_tasks_database", "DBTaskResult")
    for old, new in moved.items():
        task_result.objects.filter(task_path=old).update(task_path=new)


def point_back(apps, schema_editor):
    point_queued_tasks(apps, schema_editor, {new: old for old, new in MOVED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("support", "0013_donor_notices"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(point_queued_tasks, point_back)]
