from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "samizdat.demo"
    label = "demo"
    verbose_name = "Demo newsroom"
