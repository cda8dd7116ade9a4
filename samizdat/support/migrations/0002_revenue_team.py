"""The "Revenue team" group: reads donations and the reports, writes campaigns and appeals.

Donor data is for this group only: the reports require support.view_donation, which Reporters
and Editors do not have. Add a person to the group in Settings → Users to give them access.
"""

from django.db import migrations

GROUP = "Revenue team"

# Everything the revenue team reads: gifts, donors, recurring gifts, the appeal counters.
VIEW_MODELS = [
    "campaign",
    "appeal",
    "appealvariant",
    "donationform",
    "donor",
    "recurringdonation",
    "donation",
    "appealstat",
]
# What it writes: the goal, the appeals and their variants, the form settings. Gifts and donors
# only ever change through the payment provider, so nobody edits them by hand.
EDIT_MODELS = ["campaign", "appeal", "appealvariant", "donationform"]

MODEL_NAMES = {
    "campaign": "campaign",
    "appeal": "appeal",
    "appealvariant": "appeal variant",
    "donationform": "donation form",
    "donor": "donor",
    "recurringdonation": "recurring donation",
    "donation": "donation",
    "appealstat": "appeal stat",
}


def _permission(apps, app_label, model, codename, name):
    # Django creates model permissions after all migrations have run (post_migrate), so on a
    # fresh database they may not exist yet: create them as it would.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def _permissions(apps):
    permissions = [
        _permission(apps, "wagtailadmin", "admin", "access_admin", "Can access Wagtail admin"),
        # Appeals are written in every language: Wagtail's "Translate" action.
        _permission(
            apps,
            "simple_translation",
            "simpletranslation",
            "submit_translation",
            "Can submit translations",
        ),
    ]
    for model in VIEW_MODELS:
        permissions.append(
            _permission(apps, "support", model, f"view_{model}", f"Can view {MODEL_NAMES[model]}")
        )
    for model in EDIT_MODELS:
        for action in ("add", "change", "delete"):
            permissions.append(
                _permission(
                    apps,
                    "support",
                    model,
                    f"{action}_{model}",
                    f"Can {action} {MODEL_NAMES[model]}",
                )
            )
    return permissions


def create_revenue_team(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(*_permissions(apps))


def remove_revenue_team(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("support", "0001_initial"),
        ("wagtailadmin", "0006_formstate"),
        ("simple_translation", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_revenue_team, remove_revenue_team),
    ]
