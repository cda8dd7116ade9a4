from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "samizdat.imports"
    label = "imports"
    verbose_name = "Imports"
