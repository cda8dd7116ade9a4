"""Reading a WordPress export (WXR) into plain records, before anything is written."""

import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from samizdat.imports import wordpress
from samizdat.imports.source import ExportError

FIXTURES = Path(__file__).parent / "fixtures" / "wordpress"


@pytest.fixture(scope="module")
def newsroom():
    return wordpress.read(FIXTURES / "newsroom.xml")


def story(archive, source_id):
    return next(item for item in archive.stories if item.source_id == source_id)


def section_names(archive, ids):
    names = {term.source_id: term.name for term in archive.sections}
    return [names[source_id] for source_id in ids]


# The archive


def test_the_archive_names_its_format_version_and_the_old_sites_address(newsroom):
    assert (newsroom.source, newsroom.version) == ("wordpress", "1.2")
    assert newsroom.site_url == "https://courier.example.org"


def test_the_channels_regional_language_becomes_a_language_code(newsroom):
    assert newsroom.language == "en"


def test_a_language_given_to_the_reader_overrides_the_channels():
    archive = wordpress.read(FIXTURES / "newsroom.xml", language="ru")

    assert archive.language == "ru"


def test_authors_come_with_their_names_but_not_their_email_addresses(newsroom):
    authors = {author.source_id: author for author in newsroom.authors}

    assert authors["anna"].name == "Anna Kalnina"
    assert authors["boris"].name == "Boris Ozols"  # no display name: first and last name
    assert "@" not in repr(newsroom.authors)


def test_nested_categories_become_sections_that_name_their_parent(newsroom):
    sections = {term.slug: term for term in newsroom.sections}

    assert sections["courts"].parent == sections["city-hall"].source_id
    assert sections["city-hall"].description == "Councils, budgets & mayors"


def test_a_category_listed_twice_in_a_wxr_1_2_file_is_one_section(newsroom):
    assert [term.slug for term in newsroom.sections].count("city-hall") == 1


def test_a_percent_encoded_category_slug_is_decoded(newsroom):
    assert "общество" in [term.slug for term in newsroom.sections]


def test_media_prefixes_cover_both_site_addresses_over_http_and_https(newsroom):
    assert {
        "https://example.org/wp-content/uploads/",
        "http://example.org/wp-content/uploads/",
        "https://courier.example.org/wp-content/uploads/",
        "http://courier.example.org/wp-content/uploads/",
    } <= set(newsroom.media_prefixes)


def test_pictures_served_from_elsewhere_add_their_own_prefix(newsroom):
    assert "https://cdn.example.net/courier/" in newsroom.media_prefixes


def test_menu_items_revisions_and_blocks_are_skipped_and_counted(newsroom):
    assert "2 nav_menu_item, 1 revision, 1 wp_block" in " ".join(newsroom.notes)
    assert not {"301", "302", "303", "304"} & {item.source_id for item in newsroom.stories}


def test_trashed_posts_are_skipped_and_counted(newsroom):
    assert "107" not in [item.source_id for item in newsroom.stories]
    assert "trashed posts or pages skipped: 1" in newsroom.notes


def test_comments_are_counted_not_imported(newsroom):
    assert "2 comments not imported" in newsroom.notes


# Stories


def test_a_published_post_is_a_live_article_published_at_its_utc_time(newsroom):
    post = story(newsroom, "101")

    assert (post.kind, post.status, post.slug) == ("article", "live", "council-budget-ferry")
    assert post.published_at == datetime(2024, 3, 12, 12, 30, tzinfo=UTC)
    assert post.modified_at == datetime(2024, 3, 13, 7, 0, tzinfo=UTC)


def test_html_entities_in_a_title_are_decoded(newsroom):
    assert story(newsroom, "101").title == "The council\u2019s budget & the ferry"


def test_the_excerpt_becomes_plain_text(newsroom):
    assert story(newsroom, "101").excerpt == "Why the ferry lost its subsidy"


def test_the_body_is_kept_as_written_with_nested_cdata_and_backslashes(newsroom):
    body = story(newsroom, "101").html

    assert body.startswith("<p>The vote ran late.")
    assert "<code><![CDATA[x]]></code>" in body
    assert 'C:\\budget\\2024 and the clerk wrote \\"final\\"' in body
    assert story(newsroom, "101").body_format == "wordpress"


def test_the_author_login_makes_the_byline(newsroom):
    assert story(newsroom, "101").authors == ["anna"]


def test_an_unknown_author_login_stays_in_the_byline(newsroom):
    assert story(newsroom, "109").authors[0] == "guest-writer"
    assert "guest-writer" not in [author.source_id for author in newsroom.authors]


def test_co_authors_follow_in_byline_order(newsroom):
    assert story(newsroom, "109").authors == ["guest-writer", "boris"]


def test_categories_become_sections_with_the_primary_one_first(newsroom):
    assert section_names(newsroom, story(newsroom, "101").sections) == ["Courts", "City Hall"]


def test_tags_are_read_and_a_tag_not_declared_in_the_channel_is_added(newsroom):
    names = {term.source_id: term.name for term in newsroom.tags}

    assert [names[tag] for tag in story(newsroom, "101").tags] == ["Budget", "Ferries"]
    assert [names[tag] for tag in story(newsroom, "109").tags] == ["Ferries", "Winter"]


def test_the_old_permalink_and_its_short_form_are_old_addresses(newsroom):
    assert story(newsroom, "101").old_urls == ["/2024/03/12/council-budget-ferry/", "/?p=101"]


def test_a_page_answers_at_its_page_id_address_too(newsroom):
    page = story(newsroom, "108")

    assert page.kind == "page"
    assert page.old_urls == ["/%d0%be-%d0%bd%d0%b0%d1%81/", "/?p=108", "/?page_id=108"]


def test_a_percent_encoded_slug_is_decoded(newsroom):
    assert story(newsroom, "108").slug == "о-нас"


def test_a_draft_has_no_publication_date_but_keeps_its_slug(newsroom):
    draft = story(newsroom, "102")

    assert (draft.status, draft.slug) == ("draft", "river-port")
    assert draft.published_at is None


def test_a_draft_without_a_slug_gets_one_from_its_title(newsroom):
    assert story(newsroom, "103").slug == "паром-снова-ходит"


def test_a_pending_post_is_a_draft(newsroom):
    assert story(newsroom, "103").status == "draft"


def test_a_drafts_local_time_takes_the_sites_offset_from_the_nearest_dated_post(newsroom):
    # Saved in July; the dated posts around it were written at UTC+3 (summer), not UTC+2.
    assert story(newsroom, "102").modified_at == datetime(
        2024, 7, 2, 9, 15, tzinfo=timezone(timedelta(hours=3))
    )


def test_a_time_zone_given_to_the_reader_places_a_drafts_local_time():
    archive = wordpress.read(FIXTURES / "newsroom.xml", timezone="Asia/Tokyo")

    assert story(archive, "102").modified_at == datetime(2024, 7, 2, 0, 15, tzinfo=UTC)


def test_an_unknown_time_zone_is_refused():
    with pytest.raises(ValueError, match="Mars/Olympus"):
        wordpress.read(FIXTURES / "newsroom.xml", timezone="Mars/Olympus")


def test_a_future_post_is_scheduled_for_its_date(newsroom):
    post = story(newsroom, "104")

    assert post.status == "scheduled"
    assert post.published_at == datetime(2030, 8, 1, 6, 0, tzinfo=UTC)


def test_a_private_post_stays_private(newsroom):
    assert story(newsroom, "105").status == "private"


def test_a_password_protected_post_is_private_and_noted(newsroom):
    post = story(newsroom, "106")

    assert post.status == "private"
    assert any("password" in note for note in post.notes)


def test_a_sticky_post_is_noted(newsroom):
    assert any("sticky" in note for note in story(newsroom, "109").notes)


def test_the_featured_image_becomes_the_lead_picture_with_caption_alt_and_credit(newsroom):
    picture = story(newsroom, "101").lead_picture

    assert picture.url == "https://courier.example.org/wp-content/uploads/2024/03/council.jpg"
    assert picture.source_id == "201"
    assert picture.caption == "Councillors raise their hands on the ferry vote."
    assert picture.alt == "Twelve raised hands in a wood-panelled hall"
    assert picture.credit == "Ilze Berzina / Harbour Photo Agency"
    assert picture.title == "Council chamber during the vote"


def test_a_featured_image_missing_from_the_export_is_noted(newsroom):
    post = story(newsroom, "109")

    assert post.lead_picture is None
    assert any("999" in note for note in post.notes)


def test_attachments_are_pictures_not_stories(newsroom):
    assert not {"201", "202"} & {item.source_id for item in newsroom.stories}


# Languages


def test_polylang_gives_each_post_its_language_and_links_translations():
    archive = wordpress.read(FIXTURES / "polylang.xml")

    languages = [story(archive, source_id).language for source_id in ("11", "12", "13")]
    assert languages == ["en", "ru", "en"]
    assert story(archive, "11").translation_group == "pll_65f0c0ffee123"


def test_polylangs_group_description_links_a_post_that_does_not_name_its_group():
    archive = wordpress.read(FIXTURES / "polylang.xml")

    assert story(archive, "12").translation_group == "pll_65f0c0ffee123"


def test_a_polylang_post_without_translations_has_no_group():
    archive = wordpress.read(FIXTURES / "polylang.xml")

    assert story(archive, "13").translation_group == ""


def test_wpml_export_meta_gives_language_and_translation_group():
    archive = wordpress.read(FIXTURES / "wpml.xml")

    english, russian = story(archive, "21"), story(archive, "22")
    assert (english.language, russian.language) == ("en", "ru")
    assert english.translation_group == russian.translation_group == "77"


# Older exports


def test_a_wxr_1_0_export_names_parent_categories_by_slug():
    archive = wordpress.read(FIXTURES / "wxr-1.0.xml")

    sections = {term.slug: term for term in archive.sections}
    assert sections["orchards"].parent == sections["farming"].source_id


def test_a_wxr_1_0_post_reads_its_tag_domain_and_ignores_the_bare_category_repeat():
    post = wordpress.read(FIXTURES / "wxr-1.0.xml").stories[0]

    assert (post.sections, post.tags) == (["orchards"], ["apples"])


# Files that are refused


def test_a_billion_laughs_file_is_refused_before_anything_is_read():
    with pytest.raises(ExportError, match="entity expansion"):
        wordpress.read(FIXTURES / "billion-laughs.xml")


def test_an_external_entity_is_refused_and_never_fetched():
    with pytest.raises(ExportError, match="external entities") as refused:
        wordpress.read(FIXTURES / "external-entity.xml")

    assert Path("/etc/hostname").read_text().strip() not in str(refused.value)


def test_a_truncated_export_says_where_it_ends():
    with pytest.raises(ExportError, match=r"truncated\.xml ends too early, at line 88"):
        wordpress.read(FIXTURES / "truncated.xml")


def test_an_rss_feed_is_not_taken_for_an_export():
    with pytest.raises(ExportError, match="not a WordPress export"):
        wordpress.read(FIXTURES / "news-feed.rss")


def test_a_saved_html_page_is_not_taken_for_an_export():
    with pytest.raises(ExportError, match="HTML page"):
        wordpress.read(FIXTURES / "saved-page.html")


def test_a_ghost_export_is_not_taken_for_a_wordpress_one():
    with pytest.raises(ExportError, match="JSON"):
        wordpress.read(FIXTURES / "ghost-export.json")


def test_an_unsupported_wxr_version_is_named():
    with pytest.raises(ExportError, match="WXR '2.0'"):
        wordpress.read(FIXTURES / "wxr-2.0.xml")


def test_an_empty_file_is_refused(tmp_path):
    empty = tmp_path / "export.xml"
    empty.write_bytes(b"")

    with pytest.raises(ExportError, match="empty"):
        wordpress.read(empty)


def test_control_characters_xml_forbids_are_dropped_and_noted():
    archive = wordpress.read(FIXTURES / "control-characters.xml")

    assert story(archive, "21").html == "<p>A roof at last.</p>"
    assert "2 control characters XML forbids were removed" in archive.notes


# Size


def write_export(path: Path, posts: int) -> None:
    """A WXR file of `posts` published posts, each with a paragraph of body and two terms."""
    item = """<item><title>Harbour report {n}</title>
<link>https://courier.example.org/2024/01/01/report-{n}/</link>
<dc:creator><![CDATA[anna]]></dc:creator>
<content:encoded><![CDATA[{body}]]></content:encoded>
<excerpt:encoded><![CDATA[Report {n}]]></excerpt:encoded>
<wp:post_id>{n}</wp:post_id><wp:post_date>2024-01-01 12:00:00</wp:post_date>
<wp:post_date_gmt>2024-01-01 10:00:00</wp:post_date_gmt><wp:post_name>report-{n}</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<category domain="category" nicename="harbour"><![CDATA[Harbour]]></category>
<category domain="post_tag" nicename="tide-{tag}"><![CDATA[Tide {tag}]]></category>
<wp:postmeta><wp:meta_key>_edit_last</wp:meta_key><wp:meta_value>1</wp:meta_value></wp:postmeta>
</item>
"""
    body = "<p>" + "The tide came in and went out again. " * 60 + "</p>"
    with path.open("w", encoding="utf-8") as export:
        export.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
            "<wp:wxr_version>1.2</wp:wxr_version>\n"
            "<wp:base_site_url>https://courier.example.org</wp:base_site_url>\n"
        )
        for n in range(1, posts + 1):
            export.write(item.format(n=n, body=body, tag=n % 50))
        export.write("</channel>\n</rss>\n")


def test_ten_thousand_posts_are_read_in_seconds(tmp_path):
    export = tmp_path / "large.xml"
    write_export(export, 10_000)

    started = time.perf_counter()
    archive = wordpress.read(export)
    elapsed = time.perf_counter() - started

    assert len(archive.stories) == 10_000
    assert len(archive.tags) == 50
    assert elapsed < 20  # about 1 s on an idle core; the margin is for a busy test machine
