"""Reader search documents: the table on every database; on PostgreSQL also the GIN index on
the tsvector and the documents of the pages already published."""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

from samizdat.newsroom import search


def index_existing_articles(apps, schema_editor):
    # SQLite keeps a plain text column, and searches Wagtail's own index instead.
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        search.compress_vectors_with_lz4(cursor)
    search.rebuild()  # builds the GIN index too


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0003_related_picks_on_the_page"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArticleSearchDocument",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="newsroom.articlepage",
                    ),
                ),
                ("published_at", models.DateTimeField()),
                ("vector", django.contrib.postgres.search.SearchVectorField()),
                (
                    "locale",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="wagtailcore.locale",
                    ),
                ),
            ],
            options={
                "verbose_name": "article search document",
                "indexes": [
                    models.Index(fields=["locale", "-published_at"], name="newsroom_search_newest")
                ],
            },
        ),
        migrations.RunPython(index_existing_articles, migrations.RunPython.noop, elidable=True),
    ]
