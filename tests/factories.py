"""Factories for a small bilingual newsroom, written like an editor would build one."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory
from wagtail.models import Collection, Locale, Page, Site

from samizdat.newsroom.models import (
    ArticleAuthor,
    ArticlePage,
    AuthorIndexPage,
    AuthorPage,
    HomePage,
    Photo,
    SectionPage,
)


class PhotoFactory(DjangoModelFactory):
    class Meta:
        model = Photo

    title = factory.Sequence(lambda n: f"Photo {n}")
    description = "A ferry crossing a grey river at dawn"
    caption = "The morning ferry leaves the north pier."
    photographer = "Ida Test"
    agency = "Test Agency"
    file = factory.django.ImageField(width=1600, height=900, color="steelblue")
    collection = factory.LazyFunction(Collection.get_first_root_node)


def paragraph(text: str) -> tuple[str, str]:
    return ("paragraph", f"<p>{text}</p>")


def default_body(headline: str) -> list:
    return [
        paragraph(f"The first paragraph of {headline}, told plainly."),
        ("subhead", "What happened next"),
        paragraph("The second paragraph, with the facts a reader needs."),
        ("quote", {"text": "We will keep publishing.", "attribution": "The editor"}),
        paragraph("The closing paragraph."),
    ]


def publish(page: Page, at: datetime.datetime | None = None) -> Page:
    page.save_revision().publish()
    if at is not None:
        type(page).objects.filter(pk=page.pk).update(first_published_at=at, last_published_at=at)
        page.refresh_from_db()
    return page


@dataclass
class Newsroom:
    site: Site
    homes: dict[str, HomePage]
    sections: dict[tuple[str, str], SectionPage] = field(default_factory=dict)
    author_indexes: dict[str, AuthorIndexPage] = field(default_factory=dict)

    def locale(self, language: str) -> Locale:
        return self.homes[language].locale

    def section(self, slug: str, language: str = "en") -> SectionPage:
        if (slug, language) not in self.sections:
            if language == "en":
                section = SectionPage(title=slug.title(), slug=slug, description=f"All {slug}")
                self.homes["en"].add_child(instance=section)
            else:
                section = self.section(slug).copy_for_translation(self.locale(language))
                section.title = f"{slug.title()} ({language})"
            self.sections[(slug, language)] = publish(section)
        return self.sections[(slug, language)]

    def author(self, name: str, language: str = "en") -> AuthorPage:
        index = self.author_indexes.get(language)
        if index is None:
            index = AuthorIndexPage(title="Authors", slug="authors")
            self.homes[language].add_child(instance=index)
            self.author_indexes[language] = index = publish(index)
        author = AuthorPage(title=name, role="Reporter", bio=f"<p>{name} writes.</p>")
        index.add_child(instance=author)
        return publish(author)

    def article(
        self,
        title: str,
        section: str = "news",
        language: str = "en",
        authors: list[AuthorPage] | None = None,
        tags: list[str] = (),
        lead_image: Photo | None = None,
        body: list | None = None,
        published_at: datetime.datetime | None = None,
        live: bool = True,
        translation_of: ArticlePage | None = None,
        **fields,
    ) -> ArticlePage:
        parent = self.section(section, language)
        if translation_of is not None:
            article = translation_of.copy_for_translation(self.locale(language))
            article.title = title
            article.slug = translation_of.slug
            for name, value in fields.items():
                setattr(article, name, value)
        else:
            article = ArticlePage(
                title=title, body=body or default_body(title), live=False, **fields
            )
            article.lead_image = lead_image
            parent.add_child(instance=article)
        for position, author in enumerate(authors or []):
            article.authors.add(ArticleAuthor(author=author, sort_order=position))
        if tags:
            article.tags.set(tags)
        article.save()
        if live:
            publish(article, published_at or timezone.now())
        return article


def build_newsroom(languages: tuple[str, ...] = ("en", "ru")) -> Newsroom:
    """A site whose root is the English home page, translated into the other languages."""
    locales = {code: Locale.objects.get_or_create(language_code=code)[0] for code in languages}
    root = Page.get_first_root_node()
    for child in root.get_children():
        if not isinstance(child.specific, HomePage):
            child.delete()
    home = HomePage(
        title="The Test Gazette", slug="home", tagline="News you can test", locale=locales["en"]
    )
    root.add_child(instance=home)
    publish(home)
    site, _ = Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Gazette"},
    )
    homes = {"en": home}
    for code in languages[1:]:
        translated = home.copy_for_translation(locales[code])
        translated.title = f"The Test Gazette ({code})"
        homes[code] = publish(translated)
    return Newsroom(site=site, homes=homes)
