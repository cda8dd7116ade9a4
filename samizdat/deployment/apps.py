from django.apps import AppConfig


class DeploymentConfig(AppConfig):
    name = "samizdat.deployment"
    label = "deployment"
    verbose_name = "Deployment checks"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the checks)
