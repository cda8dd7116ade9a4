"""The demo newsroom: "The Lantern", a bilingual paper with enough stories to look lived-in.

`load_demo()` builds it from the words in `samizdat.demo.content` the way the newsroom would: the
English edition first, then each Russian page as a translation of its English original. Pictures
are drawn here with Pillow, so loading needs no network. Everything is keyed on slugs and titles:
loading again adds only what is missing.
"""

from __future__ import annotations

import datetime
import hashlib
import math
import random
import zlib
from dataclasses import dataclass, field
from functools import cache
from io import BytesIO
from types import ModuleType
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.files.images import ImageFile
from django.test.utils import override_settings
from django.utils import timezone
from PIL import Image, ImageChops, ImageDraw, ImageFilter
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
AUTHOR_INDEX = {"en": "Authors", "ru": "Авторы"}
PORTRAIT_ALT = {"en": "Portrait of {name}", "ru": "{name}, портрет"}

# "How to reach us", in each language. The mirrors are made up (example.net/.org are reserved).
REACH_MIRRORS = [
    (
        "https://lantern-mirror.example.net/",
        {"en": "Updated every hour", "ru": "Обновляется каждый час"},
    ),
    ("https://fonar.example.org/", {"en": "Updated every day", "ru": "Обновляется раз в сутки"}),
]
REACH_PAGE = {
    "en": {
        "title": "How to reach us",
        "slug": "how-to-reach-us",
        "intro": "<p>If our site will not open where you are, it has probably been blocked. "
        "We keep publishing, and there is always another way to read us: below are the "
        "addresses that work today. Save this page, or write the addresses down.</p>",
        "onion_text": "<p>Tor Browser is free and opens the site even where every mirror is "
        "blocked. Download it only from the Tor Project or from an app store you trust.</p>",
        "other_ways": "<p>Mirrors get blocked too. To get the newest addresses, write to "
        "<b>mirrors@lantern.example</b> with any subject: an automatic reply lists the ones "
        "that work today. Our newsletter carries them at the end of every issue.</p>",
    },
    "ru": {
        "title": "Как нас читать",
        "intro": "<p>Если сайт не открывается, скорее всего, его заблокировали. Мы продолжаем "
        "работать, и прочитать нас можно всегда: ниже собраны адреса, которые открываются "
        "сегодня. Сохраните эту страницу или перепишите адреса.</p>",
        "onion_text": "<p>Tor Browser бесплатный и открывает сайт, даже когда заблокированы "
        "все зеркала. Скачивайте его только с сайта Tor Project или из магазина приложений, "
        "которому доверяете.</p>",
        "other_ways": "<p>Зеркала тоже блокируют. Чтобы получить свежие адреса, напишите на "
        "<b>mirrors@lantern.example</b> письмо с любой темой: в ответ придёт список тех, что "
        "работают сегодня. Их же мы публикуем в конце каждого выпуска рассылки.</p>",
    },
}

# username, group (None: superuser), full name
STAFF = [
    ("admin", None, "Demo Admin"),
    ("reporter", "Reporters", "Demo Reporter"),
    ("editor", "Editors", "Demo Editor"),
]

Colour = tuple[int, int, int]


# Pictures ----------------------------------------------------------------------------------------
# Abstract scenes rather than flat fills: a sky gradient, a low light, a skyline, hills or a crowd,
# then lens blur, vignette and grain, so the pages look the way a paper with photographs looks.


def _mix(a: Colour, b: Colour, t: float) -> Colour:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _gradient(size: tuple[int, int], top: Colour, bottom: Colour) -> Image.Image:
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


@cache
def _vignette(size: tuple[int, int]) -> Image.Image:
    return Image.radial_gradient("L").resize(size).point(lambda v: min(110, int(v * 0.5)))


@cache
def _grain(size: tuple[int, int]) -> Image.Image:
    noise = Image.effect_noise(size, 40).convert("RGB")
    return Image.blend(Image.new("RGB", size, (128, 128, 128)), noise, 0.3)


def _glow(image: Image.Image, centre: tuple[int, int], radius: int, colour: Colour) -> None:
    mask = Image.new("L", image.size, 0)
    x, y = centre
    ImageDraw.Draw(mask).ellipse((x - radius, y - radius, x + radius, y + radius), fill=255)
    mask = mask.filter(ImageFilter.GaussianBlur(radius * 1.2)).point(lambda v: int(v * 0.8))
    image.paste(Image.new("RGB", image.size, colour), (0, 0), mask)


def _develop(sketch: Image.Image, size: tuple[int, int]) -> bytes:
    """Blow the small sketch up to size and give it a lens and film, as a JPEG."""
    image = sketch.filter(ImageFilter.GaussianBlur(0.6)).resize(size, Image.Resampling.BICUBIC)
    image = Image.composite(Image.new("RGB", size, (8, 8, 12)), image, _vignette(size))
    image = ImageChops.overlay(image, _grain(size))
    out = BytesIO()
    image.save(out, "JPEG", quality=82)
    return out.getvalue()


def draw_photo(colour: Colour, seed: str, size: tuple[int, int] = (1600, 900)) -> bytes:
    """An abstract news photograph in the given colour; the same seed draws the same picture."""
    rng = random.Random(zlib.crc32(seed.encode()))
    w, h = size[0] // 4, size[1] // 4
    light = _mix(colour, (250, 244, 230), 0.6)
    ground = _mix(colour, (8, 8, 12), 0.72)
    horizon = int(h * rng.uniform(0.58, 0.72))
    sky_top = light if rng.random() < 0.5 else _mix(colour, (255, 255, 255), 0.35)
    image = _gradient((w, h), sky_top, _mix(colour, (255, 255, 255), 0.1))

    radius = rng.randint(h // 14, h // 8)
    sun = (rng.randint(w // 5, 4 * w // 5), rng.randint(horizon - 3 * radius, horizon - radius))
    _glow(image, sun, radius * 3, _mix(light, (255, 250, 235), 0.5))
    draw = ImageDraw.Draw(image, "RGBA")
    x, y = sun
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(*light, 235))

    composition = rng.choice(("skyline", "hills", "crowd"))
    if composition == "skyline":
        x = -rng.randint(0, 10)
        while x < w:
            width, height = rng.randint(w // 30, w // 10), rng.randint(h // 12, int(h * 0.42))
            draw.rectangle(
                (x, horizon - height, x + width, h), fill=_mix(ground, colour, rng.uniform(0, 0.3))
            )
            for wy in range(horizon - height + 4, h - 4, 6):
                for wx in range(x + 3, x + width - 3, 5):
                    if rng.random() < 0.22:
                        draw.rectangle((wx, wy, wx + 1, wy + 2), fill=(*light, 190))
            x += width + rng.randint(0, 4)
    elif composition == "hills":
        for layer in range(3):
            base = horizon + layer * h // 10
            points = [(0, h)]
            phase, amplitude = rng.uniform(0, 6.3), rng.randint(h // 20, h // 8)
            for i in range(0, w + 8, 8):
                wave = (1 + _wave(i / w * rng.uniform(3, 6) + phase)) / 2
                points.append((i, base - int(amplitude * wave)))
            points.append((w, h))
            draw.polygon(points, fill=_mix(ground, colour, 0.45 - layer * 0.18))
    else:
        draw.rectangle((0, horizon, w, h), fill=_mix(ground, colour, 0.3))
        people = sorted(
            (rng.uniform(0.6, 1.4), rng.randint(0, w)) for _ in range(rng.randint(12, 22))
        )
        for scale, px in people:  # far figures first, near ones over them
            height = h * 0.34 * scale
            feet = horizon + h * 0.3 * (scale - 0.6)
            head = height * 0.075
            neck = feet - height + 2 * head
            shoulders = height * 0.13
            shade = _mix(ground, colour, 0.3 - 0.25 * (scale - 0.6))
            draw.ellipse((px - head, neck - 2 * head, px + head, neck + head * 0.2), fill=shade)
            draw.rounded_rectangle(
                (px - shoulders, neck + head * 0.4, px + shoulders, feet),
                radius=max(1, int(head)),
                fill=shade,
            )
            draw.rectangle(
                (px - shoulders * 0.7, feet - height * 0.45, px + shoulders * 0.7, h), fill=shade
            )

    if rng.random() < 0.6:  # a shaft of light across the frame
        x0 = rng.randint(w // 4, w)
        draw.polygon(
            [(x0, 0), (x0 + w // 6, 0), (x0 - w // 3, h), (x0 - w // 2, h)], fill=(*light, 20)
        )
    return _develop(image, size)


def _wave(x: float) -> float:
    # Two sines make a less regular ridge line than one.
    return 0.7 * math.sin(x) + 0.3 * math.sin(2.7 * x + 1.3)


def draw_portrait(colour: Colour, seed: str, size: tuple[int, int] = (600, 600)) -> bytes:
    """A head-and-shoulders silhouette against a studio backdrop in the given colour."""
    rng = random.Random(zlib.crc32(seed.encode()))
    w, h = size[0] // 3, size[1] // 3
    light = _mix(colour, (250, 244, 230), 0.5)
    image = _gradient((w, h), light, colour)
    _glow(image, (w // 2 + rng.randint(-w // 5, w // 5), h // 3), w // 4, light)
    draw = ImageDraw.Draw(image, "RGBA")
    figure = _mix(colour, (15, 15, 20), 0.75)
    cx = w // 2 + rng.randint(-w // 12, w // 12)
    head_w, head_h = w * rng.uniform(0.15, 0.18), h * rng.uniform(0.2, 0.23)
    draw.ellipse((cx - w * 0.42, h * 0.7, cx + w * 0.42, h * 1.4), fill=figure)
    draw.rectangle((cx - w * 0.07, h * 0.5, cx + w * 0.07, h * 0.76), fill=figure)
    draw.ellipse((cx - head_w, h * 0.42 - head_h, cx + head_w, h * 0.42 + head_h), fill=figure)
    side = rng.choice((-1, 1))
    draw.arc(
        (cx - head_w + side * 2, h * 0.42 - head_h, cx + head_w + side * 2, h * 0.42 + head_h),
        start=-60 if side > 0 else 120,
        end=60 if side > 0 else 240,
        fill=(*_mix(light, (255, 255, 255), 0.5), 110),
        width=2,
    )
    return _develop(image, size)


# Loading -----------------------------------------------------------------------------------------


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
                    index.title = AUTHOR_INDEX[code]
                    self.homes["en"].add_child(instance=index)
                else:
                    index = indexes["en"].copy_for_translation(self.locales[code])
                    index.title = AUTHOR_INDEX[code]
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
                        alt=PORTRAIT_ALT[code].format(name=words["name"]),
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
        stories = self.content.ARTICLES
        # Oldest first, so that Wagtail's own order of creation matches the publication dates.
        order = sorted(range(len(stories)), key=lambda i: (-stories[i]["days_ago"], i))
        submitted_one = False
        for position in order:
            story = stories[position]
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
                    self._file_article(story, article, position, code, submit=submit)
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
        article.title = words["headline"]
        article.standfirst = words.get("standfirst", "")
        article.owner = self.users["reporter"]
        lead = story["lead_photo"]
        article.lead_image = self._photo(
            title=f"{words['headline']} ({code})",
            pixels=("photo", tuple(lead["colour"]), story["slug"]),
            alt=lead[code]["alt"],
            caption=lead[code]["caption"],
            credit=self.content.PHOTOGRAPHERS[lead["photographer"]],
        )
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
                photo = self._photo(
                    title=f"{story[code]['headline']} ({code}, {n})",
                    pixels=("photo", tuple(value["colour"]), f"{story['slug']}/{n}"),
                    alt=value["alt"],
                    caption=value.get("caption", ""),
                    credit=self.content.PHOTOGRAPHERS[value["photographer"]],
                )
                # The caption travels with the photo; the block's own caption is an override.
                body.append(("image", {"image": photo, "caption": ""}))
            elif kind in ("quote", "embed"):
                body.append((kind, dict(value)))
            else:
                body.append((kind, value))
        return body

    def _file_article(
        self, story: dict, article: ArticlePage, position: int, code: str, submit: bool
    ) -> None:
        self._new_objects.append(article)
        reporter, editor = self.users["reporter"], self.users["editor"]
        status = story["status"]
        if status == "live":
            # Stories spread over the day they ran; the translation follows half an hour later.
            at = self._days_ago(story["days_ago"], hours=2 + (position * 5) % 11)
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
        for code in LANGUAGES:
            words = REACH_PAGE[code]
            if code == "en":
                # Fresh from the database, like the homes in load_top_stories.
                home = HomePage.objects.get(pk=self.homes["en"].pk)
                page = ReachPage.objects.child_of(home).first()
            else:
                page = self._translation(english, code)
            if page is None:
                if code == "en":
                    page = ReachPage(slug=words["slug"], live=False)
                else:
                    page = english.copy_for_translation(self.locales[code])
                page.title = words["title"]
                page.intro = words["intro"]
                page.onion_text = words["onion_text"]
                page.other_ways = words["other_ways"]
                page.mirrors = [
                    ("mirror", {"url": url, "note": notes[code]}) for url, notes in REACH_MIRRORS
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
        "paid gifts": Donation.objects.filter(status=Donation.Status.PAID).count(),
    }


def load_demo(content: ModuleType | None = None, now: datetime.datetime | None = None) -> Report:
    """Load the demo newsroom, or whatever part of it is missing. Call inside a transaction."""
    if content is None:
        from samizdat.demo import content
    return DemoLoader(content, now=now).load()
