from django.apps import AppConfig


class PlainWagtailConfig(AppConfig):
    name = "bench.plainwagtail"
    label = "plainwagtail"
    default_auto_field = "django.db.models.BigAutoField"
