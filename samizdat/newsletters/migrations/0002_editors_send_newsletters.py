"""Editors see the newsletter's subscribers and sends, and may send a story as breaking news.

They see counts, and one subscriber at a time by exact address; nobody can list addresses.
"""

from django.db import migrations

GROUP = "Editors"
PERMISSIONS = [
    ("subscriber", "view_subscriber", "Can view subscriber"),
    ("subscriber", "change_subscriber", "Can change subscriber"),
    ("send", "view_send", "Can view send"),
    ("send", "add_send", "Can add send"),
]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=GROUP).first()
    if group is None:
        return
    # Model permissions are created after all migrations ran (post_migrate): on a fresh
    # database they may not exist yet, so create them as Django would.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for model, codename, name in PERMISSIONS:
        content_type, _ = ContentType.objects.get_or_create(app_label="newsletters", model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="newsletters",
                codename__in=[codename for _model, codename, _name in PERMISSIONS],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("newsletters", "0001_initial"),
        ("newsroom", "0002_editorial_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
