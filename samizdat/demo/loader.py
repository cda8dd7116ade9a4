"""The demo newsroom: "The Lantern", a bilingual paper with enough stories to look lived-in.

`load_demo()` builds it from the words in `samizdat.demo.content` (read from the files in
samizdat/demo/data/) the way the newsroom would: the English edition first, then each Russian page
as a translation of its English original. Pictures are drawn with Pillow, so loading needs no
network. Everything is keyed on slugs and titles: loading again adds only what is missing.
"""

from __future__ import annotations

import datetime
import hashlib
import zlib
from dataclasses import dataclass, field
from io import BytesIO
from types import ModuleType
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.files.images import ImageFile
from django.test.utils import override_settings
from django.utils import timezone
from wagtail.models import (
    Collection,
    Locale,
    Page,
    PageLogEntry,
    ReferenceIndex,
    Revision,
    Site,
)
from wagtail.signal_handlers import disable_reference_index_auto_update

from samizdat.demo import content as demo_content
from samizdat.demo.drawing import draw_photo, draw_portrait
from samizdat.demo.revenue import load_revenue
from samizdat.newsroom.models import (
    ArticleAuthor,
    ArticlePage,
    AuthorIndexPage,
    AuthorPage,
    HomePage,
    HomeTopStory,
    Photo,
    SectionPage,
)
from samizdat.reach.models import ReachPage
from samizdat.support.models import Appeal, Donation, DonationForm

DEMO_PASSWORD = "samizdat-demo"
LANGUAGES = ("en", "ru")
TOP_STORIES = 3
NO_MAIL = "django.core.mail.backends.dummy.EmailBackend"

# username, group (None: superuser), full name
STAFF = [
    ("admin", None, "Demo Admin"),
    ("reporter", "Reporters", "Demo Reporter"),
    ("editor", "Editors", "Demo Editor"),
]


@dataclass
class Login:
    username: str
    role: str
    created: bool


@dataclass
class Report:
    created: dict[str, int] = field(default_factory=dict)
    logins: list[Login] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, n: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + n

    @property
    def already_loaded(self) -> bool:
        return not any(self.created.values())


class DemoLoader:
    def __init__(self, content: ModuleType, now: datetime.datetime | None = None):
        self.content = content
        self.now = (now or timezone.now()).replace(second=0, microsecond=0)
        self.report = Report()
        self.locales: dict[str, Locale] = {}
        self.homes: dict[str, HomePage] = {}
        self.sections: dict[tuple[str, str], SectionPage] = {}
        self.authors: dict[tuple[str, str], AuthorPage] = {}
        self.users: dict[str, User] = {}
        self._pictures: dict[tuple, bytes] = {}
        self._new_objects: list = []

    def load(self) -> Report:
        # Wagtail re-indexes references on every save, and a page is saved three or four times
        # on its way to publication: index each new object once, at the end, instead.
        with disable_reference_index_auto_update():
            self.load_staff()
            self.load_locales()
            self.load_homes()
            self.load_sections()
            self.load_authors()
            self.load_articles()
            self.load_top_stories()
            self.load_reach_page()
            load_revenue(self.content, self.locales, self.now, self.report.add)
        for obj in self._new_objects:
            ReferenceIndex.create_or_update_for_object(obj)
        self.report.counts = demo_counts()
        return self.report

    # People

    def load_staff(self) -> None:
        for username, group, full_name in STAFF:
            user = User.objects.filter(username=username).first()
            created = user is None
            if created:
                first, last = full_name.split(" ", 1)
                email = f"{username}@lantern.example"
                if group is None:
                    user = User.objects.create_superuser(username, email, DEMO_PASSWORD)
                else:
                    user = User.objects.create_user(username, email, DEMO_PASSWORD)
                User.objects.filter(pk=user.pk).update(first_name=first, last_name=last)
                self.report.add("staff accounts")
            if group is not None:
                user.groups.add(Group.objects.get_or_create(name=group)[0])
            self.users[username] = user
            self.report.logins.append(Login(username, group or "superuser", created))

    # Editions

    def load_locales(self) -> None:
        for code in LANGUAGES:
            self.locales[code], created = Locale.objects.get_or_create(language_code=code)
            if created:
                self.report.add("languages")

    def load_homes(self) -> None:
        newsroom = self.content.NEWSROOM
        root = Page.get_first_root_node()
        home = HomePage.objects.child_of(root).filter(locale=self.locales["en"]).first()
        if home is None:
            self._clear_wagtail_welcome_page(root)
            home = HomePage(
                title=newsroom["en"]["name"],
                slug="home",
                tagline=newsroom["en"]["tagline"],
                locale=self.locales["en"],
                live=False,
            )
            root.add_child(instance=home)
            self._publish(home, at=self._days_ago(400))
            self.report.add("home pages")
        self.homes["en"] = home

        site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
        if site.root_page_id != home.pk:
            # The default site answers on any host name; this one only makes full URLs right.
            public = urlsplit(settings.WAGTAILADMIN_BASE_URL)
            site.hostname = public.hostname or "localhost"
            site.port = public.port or (443 if public.scheme == "https" else 80)
            site.root_page = home
            site.site_name = newsroom["en"]["name"]
            site.save()

        for code in LANGUAGES[1:]:
            translated = self._translation(home, code)
            if translated is None:
                translated = home.copy_for_translation(self.locales[code])
                translated.title = newsroom[code]["name"]
                translated.tagline = newsroom[code]["tagline"]
                self._publish(translated, at=self._days_ago(400))
                self.report.add("home pages")
            self.homes[code] = translated

    def _clear_wagtail_welcome_page(self, root: Page) -> None:
        """Remove the "Welcome to your new Wagtail site!" placeholder a fresh install has.

        Only bare, childless pages of Wagtail's base type: never a page somebody made.
        """
        placeholders = root.get_children().filter(content_type__model="page", numchild=0)
        placeholders = placeholders.filter(content_type__app_label="wagtailcore")
        # A Site is deleted with its root page: keep the default one, re-pointed later.
        for site in Site.objects.filter(root_page__in=placeholders, is_default_site=False):
            site.delete()
        default = Site.objects.filter(root_page__in=placeholders, is_default_site=True).first()
        if default is not None:
            default.root_page = root
            default.save()
        for page in placeholders:
            page.delete()

    def load_sections(self) -> None:
        for item in self.content.SECTIONS:
            for code in LANGUAGES:
                words = item[code]
                if code == "en":
                    parent = self.homes["en"]
                    section = SectionPage.objects.child_of(parent).filter(slug=item["slug"]).first()
                else:
                    section = self._translation(self.sections[(item["slug"], "en")], code)
                if section is None:
                    if code == "en":
                        section = SectionPage(slug=item["slug"], live=False)
                    else:
                        section = self.sections[(item["slug"], "en")].copy_for_translation(
                            self.locales[code]
                        )
                    section.title = words["title"]
                    section.description = words["description"]
                    section.show_in_menus = True
                    if code == "en":
                        self.homes["en"].add_child(instance=section)
                    self._publish(section, at=self._days_ago(400))
                    self.report.add("sections")
                self.sections[(item["slug"], code)] = section

    def load_authors(self) -> None:
        indexes: dict[str, AuthorIndexPage] = {}
        for code in LANGUAGES:
            if code == "en":
                index = AuthorIndexPage.objects.child_of(self.homes["en"]).first()
            else:
                index = self._translation(indexes["en"], code)
            if index is None:
                if code == "en":
                    index = AuthorIndexPage(slug="authors", live=False)
                    index.title = self.content.NEWSROOM[code]["authors_title"]
                    self.homes["en"].add_child(instance=index)
                else:
                    index = indexes["en"].copy_for_translation(self.locales[code])
                    index.title = self.content.NEWSROOM[code]["authors_title"]
                self._publish(index, at=self._days_ago(400))
            indexes[code] = index

        for item in self.content.AUTHORS:
            for code in LANGUAGES:
                words = item[code]
                if code == "en":
                    author = AuthorPage.objects.child_of(indexes["en"]).filter(slug=item["slug"])
                    author = author.first()
                else:
                    author = self._translation(self.authors[(item["slug"], "en")], code)
                if author is None:
                    if code == "en":
                        author = AuthorPage(slug=item["slug"], live=False)
                    else:
                        author = self.authors[(item["slug"], "en")].copy_for_translation(
                            self.locales[code]
                        )
                    author.title = words["name"]
                    author.role = words["role"]
                    author.bio = words["bio"]
                    author.photo = self._photo(
                        title=f"{words['name']} ({code})",
                        pixels=("portrait", tuple(item["photo_colour"]), item["slug"]),
                        alt=self.content.NEWSROOM[code]["portrait_alt"].format(name=words["name"]),
                        caption="",
                        credit=("", self.content.NEWSROOM["en"]["name"]),
                    )
                    if code == "en":
                        indexes["en"].add_child(instance=author)
                    self._publish(author, at=self._days_ago(400))
                    self.report.add("authors")
                self.authors[(item["slug"], code)] = author

    # Stories

    def load_articles(self) -> None:
        # Oldest first, so that Wagtail's own order of creation matches the publication dates.
        stories = sorted(
            self.content.ARTICLES,
            key=lambda story: (-story.get("days_ago", 0), -story.get("hours_ago", 0)),
        )
        submitted_one = False
        for story in stories:
            original = None
            for code in LANGUAGES:
                if original is None:
                    article = (
                        ArticlePage.objects.filter(locale=self.locales[code], slug=story["slug"])
                        .descendant_of(self.homes[code])
                        .first()
                    )
                else:
                    article = self._translation(original, code)
                if article is None:
                    article = self._write_article(story, code, original)
                    # The first draft's English text is with the editors; its translation is
                    # still being written.
                    submit = code == "en" and not submitted_one
                    self._file_article(story, article, code, submit=submit)
                    self.report.add(f"articles ({story['status']})")
                original = original or article
            submitted_one = submitted_one or story["status"] == "draft"

    def _write_article(self, story: dict, code: str, original: ArticlePage | None) -> ArticlePage:
        words = story[code]
        if original is None:
            article = ArticlePage(slug=story["slug"], live=False)
        else:
            # Wagtail copies the byline, tags and photos of the original: all replaced below.
            article = original.copy_for_translation(self.locales[code])
        article.title = words["title"]
        article.standfirst = words["standfirst"]
        article.owner = self.users["reporter"]
        article.lead_image = self._picture(story["picture"], f"{words['title']} ({code})", code)
        article.lead_caption = ""
        article.body = self._body(story, code)
        article.authors = [
            ArticleAuthor(author=self.authors[(slug, code)], sort_order=n)
            for n, slug in enumerate(story["authors"])
        ]
        article.tags.set(story["tags"][code])
        if original is None:
            self.sections[(story["section"], "en")].add_child(instance=article)
        else:
            article.save()
        return article

    def _body(self, story: dict, code: str) -> list:
        body = []
        for n, (kind, value) in enumerate(story[code]["body"]):
            if kind == "image":
                photo = self._picture(value, f"{story[code]['title']} ({code}, {n})", code)
                # The caption travels with the photo; the block's own caption is an override.
                body.append(("image", {"image": photo, "caption": ""}))
            elif kind in ("quote", "embed"):
                body.append((kind, dict(value)))
            else:
                body.append((kind, value))
        return body

    def _file_article(self, story: dict, article: ArticlePage, code: str, submit: bool) -> None:
        self._new_objects.append(article)
        reporter, editor = self.users["reporter"], self.users["editor"]
        status = story["status"]
        if status == "live":
            # Stories spread over the day they ran; the translation follows half an hour later.
            at = self._days_ago(story["days_ago"], hours=story["hours_ago"])
            if code != "en":
                at += datetime.timedelta(minutes=30)
            hours = story.get("updated_hours_after")
            if hours:
                article.updated_at = min(at + datetime.timedelta(hours=hours), self.now)
            revision = article.save_revision(user=reporter)
            revision.publish(user=editor, skip_permission_checks=True)
            self._backdate(article, revision, at, article.updated_at or at)
        elif status == "scheduled":
            article.go_live_at = self.now.replace(minute=0) + datetime.timedelta(
                days=story.get("days_ahead", 1), hours=7
            )
            revision = article.save_revision(user=reporter)
            # With go_live_at ahead, publishing only approves the revision for the scheduler.
            revision.publish(user=editor, skip_permission_checks=True)
        else:
            article.save_revision(user=reporter)
            workflow = article.get_workflow()
            if submit and workflow is not None:
                # Wagtail e-mails the reviewers on submission: not about demo content, not to
                # whoever else is on the staff of this install.
                with override_settings(EMAIL_BACKEND=NO_MAIL):
                    workflow.start(article, reporter)

    def load_top_stories(self) -> None:
        for code, home in self.homes.items():
            # Fresh from the database: translations were added under this page since it was
            # loaded, and publishing a stale copy would write back its stale tree fields.
            home = HomePage.objects.get(pk=home.pk)
            if home.top_stories.exists():
                continue
            latest = ArticlePage.objects.live().filter(locale=self.locales[code])
            latest = list(latest.order_by("-first_published_at", "-pk")[:TOP_STORIES])
            home.top_stories = [
                HomeTopStory(article=article, sort_order=n) for n, article in enumerate(latest)
            ]
            self._new_objects.append(home)
            home.save_revision(user=self.users["editor"]).publish(
                user=self.users["editor"], skip_permission_checks=True
            )
            self.report.add("top stories", len(latest))

    def load_reach_page(self) -> None:
        """The "How to reach us" page, under each edition's home."""
        english = None
        reach = self.content.REACH
        for code in LANGUAGES:
            words = reach[code]
            if code == "en":
                # Fresh from the database, like the homes in load_top_stories.
                home = HomePage.objects.get(pk=self.homes["en"].pk)
                page = ReachPage.objects.child_of(home).first()
            else:
                page = self._translation(english, code)
            if page is None:
                if code == "en":
                    page = ReachPage(slug=reach["slug"], live=False)
                else:
                    page = english.copy_for_translation(self.locales[code])
                page.title = words["title"]
                page.intro = words["intro"]
                page.onion_text = words["onion_text"]
                page.other_ways = words["other_ways"]
                page.mirrors = [
                    ("mirror", {"url": mirror["url"], "note": mirror[code]})
                    for mirror in reach["mirrors"]
                ]
                if code == "en":
                    home.add_child(instance=page)
                self._publish(page, at=self._days_ago(400))
                self.report.add("reach pages")
            english = english or page

    # Helpers

    def _days_ago(self, days: int, hours: int = 0) -> datetime.datetime:
        return self.now - datetime.timedelta(days=days, hours=hours)

    def _translation(self, page: Page, code: str):
        return (
            type(page)
            .objects.filter(translation_key=page.translation_key, locale=self.locales[code])
            .first()
        )

    def _publish(self, page: Page, at: datetime.datetime) -> None:
        self._new_objects.append(page)
        revision = page.save_revision(user=self.users["editor"])
        revision.publish(user=self.users["editor"], skip_permission_checks=True)
        self._backdate(page, revision, at, at)

    def _backdate(
        self, page: Page, revision: Revision, first: datetime.datetime, last: datetime.datetime
    ) -> None:
        """Make the history say the page ran when the story says it did."""
        Page.objects.filter(pk=page.pk).update(
            first_published_at=first, last_published_at=last, latest_revision_created_at=first
        )
        Revision.objects.filter(pk=revision.pk).update(created_at=first)
        PageLogEntry.objects.filter(page_id=page.pk).update(timestamp=first)
        page.first_published_at, page.last_published_at = first, last

    def _picture(self, key: str, title: str, code: str) -> Photo:
        """A story's picture from pictures.toml; the key is also the seed it is drawn from."""
        picture = self.content.PICTURES[key]
        return self._photo(
            title=title,
            pixels=("photo", tuple(picture["colour"]), key),
            alt=picture[code]["alt"],
            caption=picture[code]["caption"],
            credit=picture["credit"],
        )

    def _photo(
        self, title: str, pixels: tuple, alt: str, caption: str, credit: tuple[str, str]
    ) -> Photo:
        photo = Photo.objects.filter(title=title).first()
        if photo is not None:
            return photo
        kind, colour, seed = pixels
        if pixels not in self._pictures:
            draw = draw_portrait if kind == "portrait" else draw_photo
            self._pictures[pixels] = draw(colour, seed)
        data = self._pictures[pixels]
        photographer, agency = credit
        photo = Photo(
            title=title,
            description=alt,
            caption=caption,
            photographer=photographer,
            agency=agency,
            collection=Collection.get_first_root_node(),
            file_size=len(data),
            file_hash=hashlib.sha1(data, usedforsecurity=False).hexdigest(),
        )
        name = f"{kind}-{zlib.crc32(title.encode()):08x}.jpg"
        photo.file = ImageFile(BytesIO(data), name=name)
        photo.save()
        self._new_objects.append(photo)
        self.report.add("photos")
        return photo


def demo_counts() -> dict[str, int]:
    articles = ArticlePage.objects.all()
    now = timezone.now()
    return {
        "languages": Locale.objects.filter(language_code__in=LANGUAGES).count(),
        "sections": SectionPage.objects.count(),
        "authors": AuthorPage.objects.count(),
        "live articles": articles.live().count(),
        "scheduled articles": articles.not_live().filter(go_live_at__gt=now).count(),
        "draft articles": articles.not_live().filter(go_live_at__isnull=True).count(),
        "photos": Photo.objects.count(),
        "staff accounts": User.objects.filter(username__in=[s[0] for s in STAFF]).count(),
        "appeals": Appeal.objects.count(),
        "donation forms": DonationForm.objects.count(),
        "paid gifts": Donation.objects.paid().count(),
    }


def load_demo(content: ModuleType | None = None, now: datetime.datetime | None = None) -> Report:
    """Load the demo newsroom, or whatever part of it is missing. Call inside a transaction."""
    return DemoLoader(content or demo_content, now=now).load()
