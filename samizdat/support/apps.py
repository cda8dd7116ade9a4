from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "samizdat.support"
    label = "support"
    verbose_name = "Reader revenue"
