"""Static mirror export: pages per second for a 2,000-article archive, and one change re-exported.

    .venv/bin/python bench/mirror.py [--articles 2000] [--jobs N] [--keep DIR] [--profile FILE]

Builds a throwaway SQLite database (the demo newsroom, topped up in bulk with archive stories in
both languages, and the image renditions its pages use), then prints:

- the full export (render, rewrite, write, copy images and assets): pages per second, and the
  CPU time a page costs (a figure that other processes on the machine do not distort);
- one article's headline changed and republished, then the incremental export's time;
- the reference: the same pages through Django's test client, without rewriting or writing.

Targets: at least 200 pages/s for the full export; one changed article re-exported in under 1 s.
--jobs N renders with N processes. --keep DIR keeps the database (and its images) in DIR and
reuses it next time, which skips the minutes it takes to build. --profile FILE writes cProfile
stats of the full export.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Rendition specs the reader templates ask for, generated before timing anything: a live site
# has them already, and Pillow's resizing is not what this measures.
RENDITION_SPECS = [
    *(f"format-{f}|width-{w}" for f in ("webp", "jpeg") for w in (480, 960, 1440)),
    *(f"format-{f}|fill-{s}" for f in ("webp", "jpeg") for s in ("480x270", "960x540")),
    *(f"format-{f}|fill-{s}" for f in ("webp", "jpeg") for s in ("320x180", "640x360")),
    "fill-1200x630|format-jpeg",
    "fill-1200x675|format-jpeg",
    "fill-1200x900|format-jpeg",
    "fill-1200x1200|format-jpeg",
    "width-960|format-jpeg",
]
PORTRAIT_SPECS = ["fill-160x160|format-webp", "fill-96x96|format-webp"]


def configure(data_dir: Path) -> None:
    os.environ["SAMIZDAT_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samizdat.settings")
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
    os.environ["SAMIZDAT_TASKS_BACKEND"] = "immediate"
    os.environ["SAMIZDAT_PLAIN_STATIC"] = "1"  # no collectstatic manifest in a scratch folder
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    import django
    from django.conf import settings

    django.setup()
    # Production keeps its caches in Redis (README); without REDIS_URL Django's local-memory
    # cache holds 300 entries, fewer than a 2,000-article archive has "Read more" lists and
    # teasers, and culling it would measure the cache's size rather than the export.
    settings.CACHES["default"].setdefault("OPTIONS", {})["MAX_ENTRIES"] = 100_000


def say(text: str) -> None:
    print(text, flush=True)


def build_archive(total_articles: int) -> None:
    """The demo newsroom, then archive stories in bulk until there are `total_articles`."""
    import io
    from contextlib import redirect_stdout

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone
    from wagtail.models import Locale, Page

    from samizdat.demo.loader import load_demo
    from samizdat.newsroom.models import (
        ArticleAuthor,
        ArticlePage,
        ArticleTag,
        AuthorPage,
        Photo,
        SectionPage,
    )

    started = time.perf_counter()
    with redirect_stdout(io.StringIO()):
        call_command("migrate", verbosity=0, interactive=False)
        load_demo()
    say(f"  migrate + demo newsroom: {time.perf_counter() - started:.0f} s")

    started = time.perf_counter()
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    languages = [code for code in ("en", "ru") if code in locales]
    existing = ArticlePage.objects.count()
    per_language = max(0, (total_articles - existing) // len(languages))
    template_articles = list(ArticlePage.objects.filter(locale=locales["en"]).order_by("pk"))
    photos = list(Photo.objects.filter(title__startswith="photo").values_list("pk", flat=True))
    photos = photos or list(Photo.objects.values_list("pk", flat=True))
    tags = list(ArticleTag.objects.values_list("tag_id", flat=True).distinct())
    content_type_id = ArticlePage.objects.first().content_type_id
    sections = {
        code: list(SectionPage.objects.filter(locale=locales[code]).order_by("path"))
        for code in languages
    }
    authors = {
        code: list(AuthorPage.objects.filter(locale=locales[code]).order_by("path"))
        for code in languages
    }
    now = timezone.now()
    with transaction.atomic():
        children: dict[int, int] = {}
        for section in Page.objects.filter(pk__in=[s.pk for v in sections.values() for s in v]):
            children[section.pk] = section.numchild
        pages, details, bylines, tagged = [], [], [], []
        for number in range(per_language):
            key = uuid.uuid4()
            model = template_articles[number % len(template_articles)]
            published = now - timezone.timedelta(hours=6 + number * 3)
            for code in languages:
                section_list = sections[code]
                section = section_list[number % len(section_list)]
                children[section.pk] += 1
                slug = f"archive-story-{number:05d}"
                title = (
                    f"{model.title} (archive {number})"
                    if code == "en"
                    else f"Архив {number}: {model.title}"
                )
                pages.append(
                    Page(
                        path=Page._get_path(section.path, section.depth + 1, children[section.pk]),
                        depth=section.depth + 1,
                        numchild=0,
                        title=title,
                        draft_title=title,
                        slug=slug,
                        content_type_id=content_type_id,
                        live=True,
                        has_unpublished_changes=False,
                        url_path=f"{section.url_path}{slug}/",
                        locale=locales[code],
                        translation_key=key,
                        first_published_at=published,
                        last_published_at=published,
                        latest_revision_created_at=published,
                    )
                )
                details.append(
                    (
                        model.standfirst,
                        photos[number % len(photos)],
                        model.body.raw_data,
                        number,
                        code,
                    )
                )
        Page.objects.bulk_create(pages, batch_size=500)
        created = {
            (p.translation_key, p.locale_id): p.pk
            for p in Page.objects.filter(slug__startswith="archive-story-").only(
                "pk", "translation_key", "locale_id"
            )
        }
        import json

        rows = []
        for page, (standfirst, photo, body, number, code) in zip(pages, details, strict=True):
            pk = created[(page.translation_key, page.locale_id)]
            rows.append((pk, standfirst, "", None, json.dumps(list(body)), photo, "[]"))
            people = authors[code]
            bylines.append(
                ArticleAuthor(page_id=pk, author_id=people[number % len(people)].pk, sort_order=0)
            )
            for offset in range(3):
                tagged.append(
                    ArticleTag(content_object_id=pk, tag_id=tags[(number * 7 + offset) % len(tags)])
                )
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO newsroom_articlepage (page_ptr_id, standfirst, lead_caption, "
                "updated_at, body, lead_image_id, related_picks) VALUES (%s,%s,%s,%s,%s,%s,%s)",
                rows,
            )
        ArticleAuthor.objects.bulk_create(bylines, batch_size=1000)
        ArticleTag.objects.bulk_create(tagged, batch_size=1000)
        for pk, numchild in children.items():
            Page.objects.filter(pk=pk).update(numchild=numchild)
    say(
        f"  {len(pages)} archive articles added in {time.perf_counter() - started:.1f} s "
        f"({ArticlePage.objects.count()} in all)"
    )

    started = time.perf_counter()
    for photo in Photo.objects.all():
        # A square picture can be a portrait and a story's lead photo: it gets both sets.
        portrait = photo.title.lower().startswith("portrait") or photo.width == photo.height
        photo.get_renditions(*RENDITION_SPECS, *(PORTRAIT_SPECS if portrait else ()))
    say(f"  image renditions generated in {time.perf_counter() - started:.0f} s")


def reference(keys: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds to render `keys` through the test client, as the export asks."""
    from samizdat.reach.mirror import MirrorBuilder, MirrorOptions, make_plan

    builder = MirrorBuilder(MirrorOptions("https://mirror.example", out=Path("/nonexistent")))
    builder._start_client(make_plan())
    started, cpu = time.perf_counter(), time.process_time()
    for key in keys:
        builder.fetch(key)
    return time.perf_counter() - started, time.process_time() - cpu


def cpu_seconds() -> float:
    """CPU time of this process and of the rendering processes it forked and waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=1, help="rendering processes (default 1)")
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the database in this folder")
    parser.add_argument("--profile", type=Path, help="write cProfile stats of the full export")
    args = parser.parse_args()

    scratch = tempfile.TemporaryDirectory(prefix="samizdat-bench-")
    data_dir = args.keep or Path(scratch.name) / "data"
    reuse = bool(args.keep and (data_dir / "samizdat.sqlite3").exists())
    data_dir.mkdir(parents=True, exist_ok=True)
    configure(data_dir)

    from samizdat.newsroom.models import ArticlePage
    from samizdat.reach.mirror import MirrorOptions, build_mirror

    say(f"Archive in {data_dir}{' (reused)' if reuse else ''}, {os.cpu_count()} cores")
    if not reuse:
        build_archive(args.articles)
        # As `samizdat mirror` starts, in a process of its own: the rendering processes would
        # otherwise inherit the teasers, 'Read more' lists and renditions the build cached.
        from django.core.cache import caches

        for cache in caches.all():
            cache.clear()
    out = Path(scratch.name) / "mirror"
    options = MirrorOptions(
        base_url="https://mirror.example/",
        out=out,
        checkout_url="https://give.example",
        jobs=args.jobs,
    )

    say(f"Full export ({args.jobs} rendering process{'es' if args.jobs > 1 else ''})")
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    cpu = cpu_seconds()
    report = build_mirror(options)
    cpu = cpu_seconds() - cpu
    if args.profile:
        profiler.disable()
        profiler.dump_stats(args.profile)
        say(f"  profile written to {args.profile}")
    export_seconds, keys = report.seconds, list(report.rendered_keys)
    say(f"  {report.summary()}")
    say(
        f"  {export_seconds:.1f} s: {report.rendered / export_seconds:.0f} pages/s "
        f"(target: 300); {1000 * cpu / report.rendered:.1f} ms of CPU a page"
    )

    # Right away: any change to the code or templates (a fingerprint of the site) in between
    # would make the next run a full one.
    # Twice: the first run after a full export links the whole tree afresh; every later one
    # starts from the build kept beside the mirror, as a cron job's runs do.
    article = ArticlePage.objects.filter(locale__language_code="en").order_by("-pk")[50]
    for run in ("first after the full export", "the next, from the build kept beside"):
        say(f"One article changed and republished, then the incremental export ({run})")
        # Toggled, so that a database kept with --keep changes again on every run.
        mark = " (corrected)"
        if article.title.endswith(mark):
            article.title = article.title.removesuffix(mark)
        else:
            article.title = f"{article.title}{mark}"
        article.save_revision().publish()
        report = build_mirror(options)
        full = " (full: the code changed meanwhile)" if report.full else ""
        say(f"  {report.summary()}{full}")
        target = "(target: under 1 s)" if run.startswith("the next") else "(the whole tree linked)"
        say(f"  {report.seconds:.2f} s {target}")

    say("Reference: the same pages through the test client in one process, no files written")
    seconds, cpu = reference(keys)
    say(
        f"  {len(keys)} pages in {seconds:.1f} s: {len(keys) / seconds:.0f} pages/s; "
        f"{1000 * cpu / len(keys):.1f} ms of CPU a page"
    )
    say(f"  export time / reference time: {export_seconds / seconds:.2f}")
    load = os.getloadavg()[0]
    say(f"Load average at the end: {load:.1f} on {os.cpu_count()} cores")
    scratch.cleanup()


if __name__ == "__main__":
    main()
