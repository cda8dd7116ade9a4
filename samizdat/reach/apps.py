from django.apps import AppConfig


class ReachConfig(AppConfig):
    name = "samizdat.reach"
    label = "reach"
    verbose_name = "Reach under censorship"

    def ready(self) -> None:
        from . import pagefiles

        pagefiles.connect()
