from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "samizdat.newsroom"
    label = "newsroom"
    verbose_name = "Newsroom"
