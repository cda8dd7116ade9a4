"""Writing an export's archive into the site: what readers and editors find afterwards."""

from __future__ import annotations

import datetime
import zipfile
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from PIL import Image
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Revision

from samizdat.imports.run import Options, run
from samizdat.imports.source import Archive, Author, Picture, Story, Term
from samizdat.newsroom.models import (
    ArticlePage,
    AuthorPage,
    HomePage,
    InfoPage,
    Photo,
    SectionPage,
)
from tests.imports.conftest import counts

SITE = "https://old.example.org"
UPLOADS = f"{SITE}/wp-content/uploads/"
UTC = datetime.UTC


def jpeg(colour: str = "teal", size: tuple[int, int] = (800, 500)) -> bytes:
    out = BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def uploads(tmp_path) -> Path:
    folder = tmp_path / "uploads"
    (folder / "2024" / "03").mkdir(parents=True)
    (folder / "2024" / "03" / "harbour.jpg").write_bytes(jpeg("teal"))
    (folder / "2024" / "03" / "harbour-1024x640.jpg").write_bytes(jpeg("teal", (1024, 640)))
    (folder / "2024" / "03" / "crane.jpg").write_bytes(jpeg("orange"))
    return folder


def story(source_id: str = "101", **fields) -> Story:
    values = {
        "kind": "article",
        "title": "Ferry strike ends after nine days",
        "slug": "ferry-strike-ends",
        "html": "<p>The ferries sail again from Monday.</p><p>Crews won a shorter week.</p>",
        "excerpt": "Crews won a shorter week.",
        "status": "live",
        "published_at": datetime.datetime(2024, 3, 5, 9, 30, tzinfo=UTC),
        "modified_at": datetime.datetime(2024, 3, 6, 12, 0, tzinfo=UTC),
        "authors": ["ida"],
        "sections": ["7"],
        "tags": ["20", "21"],
        "old_urls": [f"{SITE}/2024/03/05/ferry-strike-ends/", f"{SITE}/?p={source_id}"],
    }
    values.update(fields)
    return Story(source_id=source_id, **values)


def archive(*stories: Story, **fields) -> Archive:
    values = {
        "source": "wordpress",
        "version": "1.2",
        "site_url": SITE,
        "language": "en",
        "authors": [
            Author(source_id="ida", name="Ida Lund", slug="ida-lund", bio="Covers the port.")
        ],
        "sections": [Term(source_id="7", name="City", slug="city")],
        "tags": [
            Term(source_id="20", name="Ferries", slug="ferries"),
            Term(source_id="21", name="Strikes", slug="strikes"),
        ],
        "stories": list(stories) or [story()],
        "media_prefixes": [UPLOADS],
    }
    values.update(fields)
    return Archive(**values)


def test_a_published_post_becomes_a_live_article_with_its_byline_section_dates_and_tags(
    newsroom, client
):
    run(archive())

    article = ArticlePage.objects.get(slug="ferry-strike-ends")
    assert article.live
    assert article.first_published_at == datetime.datetime(2024, 3, 5, 9, 30, tzinfo=UTC)
    assert article.standfirst == "Crews won a shorter week."
    assert isinstance(article.get_parent().specific, SectionPage)
    assert article.get_parent().slug == "city"
    assert [a.title for a in article.byline] == ["Ida Lund"]
    assert sorted(t.name for t in article.tags.all()) == ["Ferries", "Strikes"]
    # An export's modified date is no editorial "Updated".
    assert article.updated_at is None

    html = client.get("/en/city/ferry-strike-ends/").content.decode()
    assert "The ferries sail again from Monday." in html
    assert "Ida Lund" in html
    assert "Updated" not in html
    assert AuthorPage.objects.get(title="Ida Lund").live


def test_imported_stories_sit_in_the_page_tree_and_history_as_published_ones_do(newsroom, client):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    stories = [
        story("1", slug="one"),
        story("2", slug="two", status="draft"),
        story("3", slug="three"),
        story("4", kind="page", slug="about", title="About us", sections=[]),
    ]
    run(archive(*stories))

    out = StringIO()
    call_command("fixtree", stdout=out)
    assert "No problems found." in out.getvalue()
    city = SectionPage.objects.get(slug="city")
    assert [p.slug for p in city.get_children()] == ["one", "two", "three"]
    three = ArticlePage.objects.get(slug="three")
    assert three.live and not three.has_unpublished_changes
    assert three.live_revision == three.latest_revision == three.revisions.get()
    assert three.get_latest_revision_as_object().title == three.title
    assert InfoPage.objects.get(slug="about").live

    editor = get_user_model().objects.create_superuser("chief", "chief@example.org", "pw-1")
    client.force_login(editor)
    explorer = client.get(f"/admin/pages/{city.pk}/").content.decode()
    assert "Ferry strike ends after nine days" in explorer
    history = client.get(f"/admin/pages/{three.pk}/history/").content.decode()
    assert "Created" in history and "Published" in history
    assert client.get(f"/admin/pages/{three.pk}/edit/").status_code == 200


def test_old_permalinks_answer_301_to_the_new_page_even_after_a_404_was_seen(newsroom, client):
    assert client.get("/2024/03/05/ferry-strike-ends/").status_code in (302, 404)
    assert client.get("/?p=101").status_code in (302, 404)

    run(archive())

    for old in ("/2024/03/05/ferry-strike-ends/", "/?p=101"):
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == "/en/city/ferry-strike-ends/"
    # Served from the page cache the second time, and the same.
    assert client.get("/en/city/ferry-strike-ends/").status_code == 200
    assert client.get("/en/city/ferry-strike-ends/")["X-Cache"] == "hit"
    assert client.get("/2024/03/05/ferry-strike-ends/").status_code == 301


def test_a_second_run_of_the_same_export_changes_nothing(newsroom, uploads):
    export = archive(story(lead_picture=Picture(url=f"{UPLOADS}2024/03/harbour.jpg", alt="Pier")))
    run(export, Options(pictures=uploads))
    before = counts()

    report = run(export, Options(pictures=uploads))

    assert counts() == before
    assert report.counts["stories"]["unchanged"] == 1
    assert report.counts["stories"]["created"] == 0


def test_a_changed_story_gets_a_new_revision_and_the_change_is_shown(newsroom, client):
    run(archive())
    article = ArticlePage.objects.get(slug="ferry-strike-ends")
    revisions = article.revisions.count()

    changed = story(title="Ferry strike ends after ten days", html="<p>A correction.</p>")
    report = run(archive(changed))

    article.refresh_from_db()
    assert article.revisions.count() == revisions + 1
    assert article.title == "Ferry strike ends after ten days"
    assert report.counts["stories"]["updated"] == 1
    assert "A correction." in client.get("/en/city/ferry-strike-ends/").content.decode()
    assert ArticlePage.objects.count() == 1


def test_pictures_come_from_the_uploads_folder_once_each_and_the_original_size_is_used(
    newsroom, uploads, client
):
    lead = Picture(
        url=f"{UPLOADS}2024/03/harbour-1024x640.jpg",
        alt="The harbour at dawn",
        caption="Boats wait at the pier.",
        credit="Ida Lund",
    )
    first = story(lead_picture=lead)
    second = story("102", slug="second", lead_picture=Picture(url=f"{UPLOADS}2024/03/harbour.jpg"))
    run(archive(first, second), Options(pictures=uploads))

    assert Photo.objects.count() == 1
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (800, 500)  # the original, not the 1024x640 copy
    assert photo.description == "The harbour at dawn"
    assert photo.credit == "Ida Lund"
    html = client.get("/en/city/ferry-strike-ends/").content.decode()
    assert "Boats wait at the pier." in html
    assert "The harbour at dawn" in html


def test_pictures_are_read_from_a_zip_of_the_uploads(newsroom, uploads, tmp_path):
    archive_file = tmp_path / "uploads.zip"
    with zipfile.ZipFile(archive_file, "w") as zipped:
        for file in uploads.rglob("*.jpg"):
            zipped.write(file, f"wp-content/uploads/{file.relative_to(uploads)}")
    lead = Picture(url=f"{UPLOADS}2024/03/crane.jpg", alt="A crane")
    run(archive(story(lead_picture=lead)), Options(pictures=archive_file))

    assert ArticlePage.objects.get().lead_image.description == "A crane"


def test_a_missing_picture_is_reported_and_the_story_still_imported(newsroom, uploads):
    lead = Picture(url=f"{UPLOADS}2019/01/lost.jpg", alt="Lost")
    report = run(archive(story(lead_picture=lead)), Options(pictures=uploads))

    assert ArticlePage.objects.get().lead_image is None
    text = report.render()
    assert "Missing pictures" in text
    assert f"{UPLOADS}2019/01/lost.jpg" in text
    assert "Ferry strike ends after nine days" in text


def test_drafts_private_and_members_only_posts_stay_unpublished_and_are_listed(newsroom):
    stories = [
        story("1", slug="draft", status="draft"),
        story("2", slug="secret", status="private", title="A private note"),
        story("3", slug="paid", status="members", title="For members"),
    ]
    report = run(archive(*stories))

    assert ArticlePage.objects.count() == 3
    assert not ArticlePage.objects.live().exists()
    text = report.render()
    assert "Private posts" in text and "A private note" in text
    assert "Members-only posts" in text and "For members" in text


def test_a_scheduled_post_is_approved_to_go_live_at_its_time(newsroom):
    when = datetime.datetime.now(UTC) + datetime.timedelta(days=2)
    run(archive(story(status="scheduled", published_at=when)))

    article = ArticlePage.objects.get()
    assert not article.live
    assert article.go_live_at == when
    assert article.latest_revision.approved_go_live_at == when


def translated_story() -> tuple[Story, Story]:
    """One story in the English and the Russian edition."""
    english = story("1", language="en", translation_group="g1")
    russian = story(
        "2",
        language="ru",
        translation_group="g1",
        title="Забастовка паромщиков закончилась",
        slug="ferry-strike-ends",
    )
    return english, russian


def test_translations_share_a_translation_key_and_live_in_their_editions(newsroom, client):
    english, russian = translated_story()
    run(archive(english, russian))

    en = ArticlePage.objects.get(locale__language_code="en")
    ru = ArticlePage.objects.get(locale__language_code="ru")
    assert en.translation_key == ru.translation_key
    assert ru.get_parent().get_parent().locale.language_code == "ru"
    html = client.get("/ru/city/ferry-strike-ends/").content.decode()
    assert "Забастовка паромщиков закончилась" in html
    assert 'hreflang="en"' in html


def test_an_author_writing_in_another_edition_gets_a_page_there_listing_those_stories(
    newsroom, client
):
    english, russian = translated_story()
    report = run(archive(english, russian))

    html = client.get("/ru/city/ferry-strike-ends/").content.decode()
    assert 'href="/ru/authors/ida-lund/"' in html
    author = client.get("/ru/authors/ida-lund/")
    assert author.status_code == 200
    assert "Ida Lund" in author.content.decode()
    assert "Забастовка паромщиков закончилась" in author.content.decode()
    assert "Ida Lund (ru)" in report.render()
    en, ru = (AuthorPage.objects.get(locale__language_code=code) for code in ("en", "ru"))
    assert en.translation_key == ru.translation_key

    again = run(archive(english, russian))
    assert AuthorPage.objects.count() == 2
    assert again.counts["authors"]["created"] == 0


def test_a_wordpress_page_becomes_an_information_page_under_the_home(newsroom, client):
    about = story(
        "9", kind="page", title="About us", slug="about", sections=[], tags=[], old_urls=[]
    )
    run(archive(about))

    page = InfoPage.objects.get()
    assert page.get_parent().pk == newsroom.homes["en"].pk
    assert "The ferries sail again" in client.get("/en/about/").content.decode()


def test_a_dry_run_counts_and_writes_nothing(newsroom, uploads):
    lead = Picture(url=f"{UPLOADS}2024/03/harbour.jpg")
    before = counts()
    report = run(archive(story(lead_picture=lead)), Options(pictures=uploads, dry_run=True))

    assert counts() == before
    assert report.counts["stories"]["created"] == 1
    assert "would create" in report.render()


def test_an_interrupted_run_is_resumed_by_running_again(newsroom, monkeypatch):
    from samizdat.imports import run as runner

    export = archive(story("1", slug="one"), story("2", slug="two"))
    real = runner.Importer._redirects
    calls = []

    def interrupted(self, story, page, parent):
        calls.append(story.source_id)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real(self, story, page, parent)

    monkeypatch.setattr(runner.Importer, "_redirects", interrupted)
    monkeypatch.setattr(runner, "BATCH", 1)  # the first story's batch is committed
    with pytest.raises(KeyboardInterrupt):
        run(export)
    assert list(ArticlePage.objects.values_list("slug", flat=True)) == ["one"]

    monkeypatch.setattr(runner.Importer, "_redirects", real)
    report = run(export)
    assert sorted(ArticlePage.objects.values_list("slug", flat=True)) == ["one", "two"]
    assert report.counts["stories"]["unchanged"] == 1
    assert report.counts["stories"]["created"] == 1


def test_a_story_that_fails_leaves_nothing_and_the_next_one_gets_the_same_new_tags(
    newsroom, monkeypatch
):
    from samizdat.imports import run as runner

    real = runner.Importer._redirects

    def failing(self, story, page, parent):
        if story.source_id == "1":
            raise ValueError("the old address is unreadable")
        real(self, story, page, parent)

    monkeypatch.setattr(runner.Importer, "_redirects", failing)
    report = run(archive(story("1", slug="one"), story("2", slug="two")))

    assert list(ArticlePage.objects.values_list("slug", flat=True)) == ["two"]
    assert "the old address is unreadable" in report.render()
    two = ArticlePage.objects.get(slug="two")
    assert sorted(t.name for t in two.tags.all()) == ["Ferries", "Strikes"]


def test_sections_are_mapped_and_stories_without_one_go_to_the_default(newsroom):
    newsroom.section("news")
    no_section = story("2", slug="loose", sections=[])
    run(archive(story(), no_section), Options(sections={"city": "news"}, default_section="news"))

    assert set(ArticlePage.objects.values_list("slug", flat=True)) == {
        "ferry-strike-ends",
        "loose",
    }
    assert {a.get_parent().slug for a in ArticlePage.objects.all()} == {"news"}
    assert not SectionPage.objects.filter(slug="city").exists()


def test_articles_without_a_section_go_to_each_editions_archive_named_in_the_report(
    newsroom, client
):
    english = story("1", slug="loose", sections=[])
    russian = story("2", slug="svobodnaya", title="Паром снова ходит", sections=[], language="ru")
    report = run(archive(english, russian))

    loose = ArticlePage.objects.get(slug="loose")
    assert loose.live
    assert (loose.get_parent().slug, loose.get_parent().title) == ("archive", "Archive")
    ru = ArticlePage.objects.get(slug="svobodnaya")
    assert (ru.get_parent().slug, ru.get_parent().title) == ("archive", "Архив")
    assert ru.get_parent().locale.language_code == "ru"
    assert client.get("/en/archive/loose/").status_code == 200
    assert report.counts["stories"]["created"] == 2
    assert "Archive section" in report.render()
    assert '"Паром снова ходит"' in report.render()


def test_an_old_slug_taken_under_the_section_gets_a_suffix(newsroom):
    newsroom.article("Already here", section="city", slug="ferry-strike-ends")
    run(archive())

    assert ArticlePage.objects.filter(slug="ferry-strike-ends-2").exists()


def test_a_section_renamed_by_the_editors_still_receives_its_stories(newsroom):
    run(archive(story("1", slug="one")))
    section = SectionPage.objects.get(slug="city")
    section.slug = "our-city"
    section.save_revision().publish()

    run(archive(story("1", slug="one"), story("2", slug="two")))

    assert not SectionPage.objects.filter(slug="city").exists()
    assert {a.get_parent().pk for a in ArticlePage.objects.all()} == {section.pk}


def test_imported_articles_are_in_search_feeds_and_the_sitemap(newsroom, client):
    run(archive())

    found = client.get("/en/search/?q=ferries+sail").content.decode()
    assert "Ferry strike ends after nine days" in found
    feed = client.get("/en/feed/rss/").content.decode()
    assert "Ferry strike ends after nine days" in feed
    sitemap = b"".join(client.get("/sitemap.xml").streaming_content).decode()
    assert "/en/city/ferry-strike-ends/" in sitemap


def test_a_picture_missing_at_first_is_attached_once_the_uploads_have_it(newsroom, tmp_path):
    uploads = tmp_path / "late-uploads"
    uploads.mkdir()
    lead = Picture(url=f"{UPLOADS}2024/03/late.jpg", alt="A late picture")
    export = archive(story(lead_picture=lead))
    run(export, Options(pictures=uploads))
    revisions = Revision.objects.count()
    run(export, Options(pictures=uploads))  # still missing: nothing to do
    assert Revision.objects.count() == revisions

    (uploads / "2024" / "03").mkdir(parents=True)
    (uploads / "2024" / "03" / "late.jpg").write_bytes(jpeg("gold"))
    report = run(export, Options(pictures=uploads))

    assert ArticlePage.objects.get().lead_image.description == "A late picture"
    assert report.counts["stories"]["updated"] == 1


def test_a_front_page_cached_before_the_import_shows_the_imported_stories(newsroom, client):
    run(archive(story("1", slug="one")))  # its author and section are there from now on
    client.get("/en/")
    assert client.get("/en/")["X-Cache"] == "hit"

    run(archive(story("1", slug="one"), story("2", slug="two", title="The second crossing")))

    front = client.get("/en/")
    assert "The second crossing" in front.content.decode()


def test_a_gallery_naming_its_pictures_by_id_shows_them_from_the_uploads(newsroom, uploads, client):
    crane = Picture(url=f"{UPLOADS}2024/03/crane.jpg", alt="A crane over the quay", source_id="31")
    body = '<p>The quay this week.</p>\n\n[gallery ids="31,32"]'
    imported = archive(story(html=body, body_format="wordpress"), pictures={"31": crane})
    report = run(imported, Options(pictures=uploads)).render()

    html = client.get("/en/city/ferry-strike-ends/").content.decode()
    assert "A crane over the quay" in html
    assert "picture 32, not in the export" in report


@pytest.mark.django_db
def test_a_new_installation_gets_a_newsroom_home_and_the_stories_under_it(client):
    # A site just migrated: Wagtail's own welcome page is still its root.
    assert not Page.objects.type(HomePage).exists()
    report = run(archive(story()), Options())

    assert "could not be imported" not in report.render()
    article = ArticlePage.objects.live().get()
    assert client.get(article.url).status_code == 200
    assert client.get("/2024/03/05/ferry-strike-ends/").status_code == 301


def test_a_batch_of_stories_is_found_by_readers_and_editors_and_its_authors_show_their_use(
    newsroom, client, monkeypatch
):
    from wagtail.models import ReferenceIndex

    from samizdat.imports import run as runner

    monkeypatch.setattr(runner, "BATCH", 2)  # a full batch, then a batch of one
    stories = [
        story(str(n), slug=f"harbour-{n}", title=f"Harbour dredging report {n}", html=f"<p>{w}</p>")
        for n, w in enumerate(["Silt", "Gravel", "Eelgrass"], start=1)
    ]
    run(archive(*stories))

    for n, word in enumerate(["silt", "gravel", "eelgrass"], start=1):
        found = client.get(f"/en/search/?q={word}").content.decode()
        assert f"Harbour dredging report {n}" in found, word
    editors = Page.objects.search("dredging")
    assert {p.title for p in editors} >= {f"Harbour dredging report {n}" for n in (1, 2, 3)}
    ida = AuthorPage.objects.get(title="Ida Lund")
    using = {ref.object_id for ref in ReferenceIndex.get_references_to(ida)}
    assert using == {str(p.pk) for p in ArticlePage.objects.all()}

    # A story changed at the old site is found by its new words, and no longer by its old ones.
    stories[1] = story("2", slug="harbour-2", title="Harbour dredging report 2", html="<p>Kelp</p>")
    run(archive(*stories))
    assert "Harbour dredging report 2" in client.get("/en/search/?q=kelp").content.decode()
    assert "Harbour dredging report 2" not in client.get("/en/search/?q=gravel").content.decode()


def test_a_run_stopped_inside_a_batch_leaves_none_of_it_and_the_next_run_makes_it_all(
    newsroom, monkeypatch
):
    from samizdat.imports import run as runner

    real = runner.Importer._redirects

    def interrupted(self, story, page, parent):
        if story.source_id == "3":
            raise KeyboardInterrupt
        real(self, story, page, parent)

    monkeypatch.setattr(runner.Importer, "_redirects", interrupted)
    export = archive(*(story(str(n), slug=f"s{n}") for n in (1, 2, 3)))
    with pytest.raises(KeyboardInterrupt):
        run(export)
    assert not ArticlePage.objects.exists()
    assert not Redirect.objects.exists()

    monkeypatch.setattr(runner.Importer, "_redirects", real)
    report = run(export)
    assert sorted(ArticlePage.objects.values_list("slug", flat=True)) == ["s1", "s2", "s3"]
    assert report.counts["stories"]["created"] == 3


def test_an_old_address_that_is_already_the_new_one_gets_no_redirect(newsroom, client):
    report = run(
        archive(
            story(
                old_urls=[
                    f"{SITE}/en/city/ferry-strike-ends/",
                    f"{SITE}/2024/03/05/ferry-strike-ends/",
                ]
            )
        )
    )

    assert [r.old_path for r in Redirect.objects.all()] == ["/2024/03/05/ferry-strike-ends"]
    assert report.counts["redirects"]["created"] == 1
    assert client.get("/en/city/ferry-strike-ends/").status_code == 200


def test_a_story_given_another_section_at_the_source_moves_there_and_its_address_follows(
    newsroom, client
):
    run(archive(story()))
    moved = archive(
        story(sections=["port"]),
        sections=[Term(source_id="port", name="Port", slug="port")],
    )
    report = run(moved)

    article = ArticlePage.objects.get()
    assert article.get_parent().slug == "port"
    assert ArticlePage.objects.count() == 1
    assert client.get("/en/port/ferry-strike-ends/").status_code == 200
    old_section = client.get("/en/city/ferry-strike-ends/")
    assert old_section.status_code == 301
    assert old_section["Location"].endswith("/en/port/ferry-strike-ends/")
    old_site = client.get("/2024/03/05/ferry-strike-ends/")
    assert old_site.status_code == 301
    assert old_site["Location"].endswith("/en/port/ferry-strike-ends/")
    assert "moved to the section" in report.render() and "to 'Port'" in report.render()
    assert run(moved).counts["stories"]["unchanged"] == 1
