from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "samizdat.newsletters"
    label = "newsletters"
    verbose_name = "Newsletters"
