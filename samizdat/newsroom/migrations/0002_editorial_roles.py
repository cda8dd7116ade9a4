"""Editorial roles: reporters write, editors approve and publish.

Reporters may add and edit pages anywhere but not publish; whatever they write goes through the
"Editorial review" workflow, whose one task ("Editor approval") belongs to the Editors group.
Editors extend Wagtail's own default "Editors" group with publishing, locking and collections.

The workflow is assigned to the tree root so it covers every page in every language, replacing
Wagtail's default "Moderators approval" assignment there.
"""

from django.db import migrations

REPORTERS = "Reporters"
EDITORS = "Editors"
WORKFLOW = "Editorial review"
TASK = "Editor approval"
DEFAULT_WORKFLOW = "Moderators approval"

REPORTER_PAGE_PERMISSIONS = ["add_page", "change_page"]
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
REPORTER_IMAGE_PERMISSIONS = ["add_image", "choose_image"]
EDITOR_IMAGE_PERMISSIONS = ["add_image", "change_image", "choose_image"]
EDITOR_COLLECTION_PERMISSIONS = ["add_collection", "change_collection", "delete_collection"]

# Permissions Wagtail's default Editors group does not have; removed again on reverse.
EDITOR_EXTRA_PAGE_PERMISSIONS = ["publish_page", "lock_page", "unlock_page"]

PERMISSION_NAMES = {
    "access_admin": "Can access Wagtail admin",
    "add_page": "Can add page",
    "change_page": "Can change page",
    "publish_page": "Publish any page",
    "lock_page": "Lock/unlock pages you've locked",
    "unlock_page": "Unlock any page",
    "add_image": "Can add image",
    "change_image": "Can change image",
    "choose_image": "Can choose image",
    "add_collection": "Can add collection",
    "change_collection": "Can change collection",
    "delete_collection": "Can delete collection",
}


def _permission(apps, app_label, model, codename):
    # Django creates model permissions only after all migrations have run (post_migrate), so on
    # a fresh database they may not exist yet: create them the way Wagtail's own migrations do.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": PERMISSION_NAMES[codename]},
    )
    return permission


def _page_permission(apps, codename):
    return _permission(apps, "wagtailcore", "page", codename)


def _image_permission(apps, codename):
    # Wagtail checks image permissions against wagtailimages.Image even with a custom image model.
    return _permission(apps, "wagtailimages", "image", codename)


def _collection_permission(apps, codename):
    return _permission(apps, "wagtailcore", "collection", codename)


def _roots(apps):
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    return (
        Page.objects.filter(depth=1).order_by("path").first(),
        Collection.objects.filter(depth=1).order_by("path").first(),
    )


def _grant(apps, group, root_page, root_collection, page_codenames, collection_permissions):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    group.permissions.add(_permission(apps, "wagtailadmin", "admin", "access_admin"))
    if root_page is not None:
        for codename in page_codenames:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root_page, permission=_page_permission(apps, codename)
            )
    if root_collection is not None:
        for permission in collection_permissions:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission
            )


def create_editorial_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    root_page, root_collection = _roots(apps)

    reporters, _ = Group.objects.get_or_create(name=REPORTERS)
    _grant(
        apps,
        reporters,
        root_page,
        root_collection,
        REPORTER_PAGE_PERMISSIONS,
        [_image_permission(apps, c) for c in REPORTER_IMAGE_PERMISSIONS],
    )

    editors, _ = Group.objects.get_or_create(name=EDITORS)
    _grant(
        apps,
        editors,
        root_page,
        root_collection,
        EDITOR_PAGE_PERMISSIONS,
        [_image_permission(apps, c) for c in EDITOR_IMAGE_PERMISSIONS]
        + [_collection_permission(apps, c) for c in EDITOR_COLLECTION_PERMISSIONS],
    )

    # Historical models do not fill in the specific content type the way Task.save() does.
    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task, _ = GroupApprovalTask.objects.get_or_create(
        name=TASK, defaults={"content_type": task_type, "active": True}
    )
    task.groups.add(editors)

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})

    if root_page is not None:
        WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})


def remove_editorial_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    WorkflowState = apps.get_model("wagtailcore", "WorkflowState")
    TaskState = apps.get_model("wagtailcore", "TaskState")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    root_page, _root_collection = _roots(apps)

    # Hand the tree back to Wagtail's default workflow, if it is still there.
    default = Workflow.objects.filter(name=DEFAULT_WORKFLOW).first()
    if root_page is not None:
        if default is not None:
            WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": default})
        else:
            WorkflowPage.objects.filter(page=root_page, workflow__name=WORKFLOW).delete()

    # Deleting a workflow that has been used would cascade into the pages' moderation history:
    # keep those, deactivated.
    for workflow in Workflow.objects.filter(name=WORKFLOW):
        if WorkflowState.objects.filter(workflow=workflow).exists():
            workflow.active = False
            workflow.save(update_fields=["active"])
        else:
            workflow.delete()
    for task in GroupApprovalTask.objects.filter(name=TASK):
        if TaskState.objects.filter(task_id=task.pk).exists():
            task.active = False
            task.save(update_fields=["active"])
        else:
            task.delete()

    Group.objects.filter(name=REPORTERS).delete()

    # Wagtail's own Editors group stays, with its default rights.
    editors = Group.objects.filter(name=EDITORS).first()
    if editors is not None:
        GroupPagePermission.objects.filter(
            group=editors,
            permission__content_type__app_label="wagtailcore",
            permission__codename__in=EDITOR_EXTRA_PAGE_PERMISSIONS,
        ).delete()
        GroupCollectionPermission.objects.filter(
            group=editors,
            permission__content_type__app_label="wagtailcore",
            permission__codename__in=EDITOR_COLLECTION_PERMISSIONS,
        ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        # Runs after wagtaildocs hands document permissions to every admin group, so that
        # Reporters get exactly the rights listed here whatever order the apps migrate in.
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_editorial_roles, remove_editorial_roles),
    ]
