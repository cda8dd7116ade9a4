from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "samizdat.newsletters"
    label = "newsletters"
    verbose_name = "Newsletters"

    def ready(self) -> None:
        # Erasure and access requests (support/donors/privacy.py) reach the subscriptions from here.
        from samizdat.core import personal_data

        from . import subscriptions

        personal_data.register(
            personal_data.PersonalStore(
                name="newsletter_subscriptions",
                export=subscriptions.export,
                count=subscriptions.count,
                forget=subscriptions.forget,
            )
        )
