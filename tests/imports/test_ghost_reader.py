"""Reading a Ghost export: what each post, author and tag becomes, and which files are refused."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from samizdat.imports import ghost
from samizdat.imports.source import ExportError

FIXTURES = Path(__file__).parent / "fixtures" / "ghost"


def read(name: str):
    return ghost.read(FIXTURES / name)


def story(archive, slug: str):
    return next(s for s in archive.stories if s.slug == slug)


def export_with(tmp_path: Path, name: str, change) -> Path:
    """A copy of a fixture with `change(data)` applied to its tables."""
    document = json.loads((FIXTURES / name).read_text())
    data = document["db"][0]["data"] if "db" in document else document["data"]
    change(data)
    path = tmp_path / f"changed-{name}"
    path.write_text(json.dumps(document))
    return path


def set_setting(data: dict, key: str, value: str) -> None:
    data["settings"] = [s for s in data["settings"] if s["key"] != key]
    data["settings"].append({"key": key, "value": value})


# The shapes and versions Ghost writes


def test_a_v5_export_gives_its_posts_as_articles_and_says_its_version():
    archive = read("v5-lexical.json")
    assert archive.source == "ghost"
    assert archive.version == "5.82.3"
    assert [s.kind for s in archive.stories] == ["article", "article", "article"]


def test_a_page_comes_back_as_a_page():
    assert story(read("v4-html.json"), "contact").kind == "page"


def test_an_older_export_marking_pages_with_page_1_gives_a_page():
    assert story(read("v3-bare.json"), "about").kind == "page"


def test_an_export_without_the_db_wrapper_is_read():
    archive = read("v3-bare.json")
    assert archive.version == "3.42.1"
    assert story(archive, "ferry-timetable").title == "Ferry timetable changes on Monday"


def test_a_v6_export_is_read():
    archive = read("v6-lexical.json")
    assert archive.version == "6.3.0"
    assert "Forty stalls, one evening." in story(archive, "night-market").html


# Files that are refused, before anything is written


def test_malformed_json_is_refused_saying_where(tmp_path):
    path = tmp_path / "site.ghost.json"
    path.write_text('{"db": [{"meta": {"version": "5.1.0"},\n "data": {"posts": [}')
    with pytest.raises(
        ExportError, match=r"site\.ghost\.json is not valid JSON: .* line 2, column"
    ):
        ghost.read(path)


def test_a_json_list_is_refused_as_not_a_ghost_export(tmp_path):
    path = tmp_path / "posts.json"
    path.write_text(json.dumps([{"id": 5, "title": {"rendered": "A WordPress post"}}]))
    with pytest.raises(ExportError, match="posts.json is not a Ghost export: it holds a list"):
        ghost.read(path)


def test_a_wordpress_rest_dump_object_is_refused_as_not_a_ghost_export(tmp_path):
    path = tmp_path / "wp.json"
    path.write_text(json.dumps({"name": "A site", "namespaces": ["wp/v2"], "routes": {}}))
    with pytest.raises(ExportError, match="wp.json is not a Ghost export"):
        ghost.read(path)


def test_a_v2_export_is_refused_naming_its_version(tmp_path):
    path = export_with(tmp_path, "v3-bare.json", lambda data: None)
    document = json.loads(path.read_text())
    document["meta"]["version"] = "2.9.0"
    path.write_text(json.dumps(document))
    with pytest.raises(ExportError, match=r"Ghost 2\.9\.0, which this importer does not read"):
        ghost.read(path)


def test_an_export_without_a_version_is_refused(tmp_path):
    path = tmp_path / "noversion.json"
    path.write_text(json.dumps({"meta": {"exported_on": 1}, "data": {"posts": []}}))
    with pytest.raises(ExportError, match="does not say which Ghost version"):
        ghost.read(path)


# Bodies


def test_a_post_with_html_keeps_the_html_as_exported():
    post = story(read("v4-html.json"), "old-bridge")
    assert post.body_format == "html"
    assert post.html.startswith("<p>The council voted <strong>nine to two</strong>")
    assert "An older draft" not in post.html  # the html wins over the mobiledoc


def test_a_post_with_only_lexical_content_gets_its_paragraphs_and_image_card():
    html = story(read("v5-lexical.json"), "mill-caves").html
    assert "<p>The caves under the mill are open again, <strong>for the first time</strong>" in html
    assert (
        '<figure><img src="__GHOST_URL__/content/images/2024/05/cave-mouth.jpg"'
        ' alt="The cave mouth">'
        "<figcaption><span>The entrance, after the clean-up</span></figcaption></figure>"
    ) in html


def test_lexical_text_keeps_links_line_breaks_italics_and_code():
    html = story(read("v5-lexical.json"), "mill-caves").html
    assert '<a href="https://buses.example/4">number 4 bus</a><br>and walk' in html
    assert "Mind the <em>steps</em>. Use <code>gate B</code>." in html


def test_lexical_headings_quotes_and_rules_become_their_html_elements():
    html = story(read("v5-lexical.json"), "mill-caves").html
    assert "<h2>How to get there</h2>" in html
    assert "<blockquote><p>It is colder inside than you think.</p></blockquote>" in html
    assert "<hr>" in html


def test_a_nested_lexical_list_sits_inside_the_item_before_it():
    html = story(read("v5-lexical.json"), "mill-caves").html
    assert "<li>Bring a lamp<ul><li>a spare battery</li></ul></li><li>Wear boots</li>" in html


def test_lexical_bookmark_embed_and_button_cards_become_plain_links():
    html = story(read("v5-lexical.json"), "mill-caves").html
    assert '<a href="https://caves.example/history">A short history of the caves</a>' in html
    assert '<a href="https://video.example/watch/caves">Inside the caves</a>' in html
    assert '<a href="https://caves.example/book">Book a visit</a>' in html
    assert "<iframe" not in html


def test_lexical_video_audio_and_file_cards_become_links_to_the_files():
    html = story(read("v5-lexical.json"), "mill-caves").html
    assert (
        '<a href="__GHOST_URL__/content/media/2024/05/walkthrough.mp4">walkthrough.mp4</a>' in html
    )
    assert '<a href="__GHOST_URL__/content/media/2024/05/guide.mp3">The audio guide</a>' in html
    assert '<a href="__GHOST_URL__/content/files/2024/05/map.pdf">Map of the caves</a>' in html


def test_a_lexical_gallery_gives_each_picture_with_the_caption_under_the_last():
    html = story(read("v5-lexical.json"), "mill-caves").html
    hall = html.index('alt="The great hall"')
    lake = html.index('alt="The underground lake"')
    caption = html.index("<figcaption>Two of the chambers</figcaption>")
    assert hall < lake < caption


def test_lexical_callout_toggle_header_and_product_cards_keep_their_words():
    html = story(read("v5-lexical.json"), "mill-caves").html
    assert "<p>⚠️ Closed on <b>Mondays</b>.</p>" in html
    assert "<strong>Can children come?</strong>" in html and "<p>Yes, with an adult.</p>" in html
    assert "<h2>Opening hours</h2><p>Tuesday to Sunday, ten to five</p>" in html
    assert "<h3>Cave lamp</h3><p>Rented at the gate.</p>" in html
    assert '<a href="https://caves.example/lamp">Reserve one</a>' in html


def test_a_lexical_code_block_shows_its_code_as_text():
    html = story(read("v5-lexical.json"), "mill-caves").html
    assert '<code class="language-html">&lt;b&gt;not bold&lt;/b&gt;</code>' in html


def test_a_lexical_html_card_keeps_its_content_without_scripts_or_handlers():
    html = story(read("v5-lexical.json"), "mill-caves").html
    assert "<td>Adults</td>" in html and "<p>Prices in euros.</p>" in html
    assert "<script" not in html and "alert(" not in html and "onclick" not in html


def test_script_links_lose_their_address_but_keep_their_words(tmp_path):
    def change(data):
        link = {
            "type": "link",
            "url": "javascript:steal()",
            "children": [{"type": "text", "text": "the prize", "format": 0}],
        }
        card = {"type": "html", "html": '<p><a href="jav&#x09;ascript:steal()">the map</a></p>'}
        root = {
            "root": {"type": "root", "children": [{"type": "paragraph", "children": [link]}, card]}
        }
        data["posts"][0]["lexical"] = json.dumps(root)

    html = ghost.read(export_with(tmp_path, "v5-lexical.json", change)).stories[0].html
    assert "the prize" in html and "the map" in html
    assert "script" not in html.lower()


def test_a_lexical_markdown_card_is_rendered():
    html = story(read("v5-lexical.json"), "mill-caves").html
    assert (
        "<p>Bring <strong>warm</strong> clothes.</p><ul><li>a hat</li><li>gloves</li></ul>" in html
    )


def test_signup_and_paywall_cards_are_dropped_and_an_unknown_card_is_noted():
    post = story(read("v5-lexical.json"), "mill-caves")
    assert "Get the Ledger by e-mail" not in post.html and "Subscribe" not in post.html
    assert any("“hologram” card was dropped" in note for note in post.notes)


def test_a_v6_call_to_action_card_keeps_its_text_and_button():
    html = story(read("v6-lexical.json"), "night-market").html
    assert "<p>The market map is on our site.</p>" in html
    assert '<a href="https://ledger.example/market-map">Open the map</a>' in html


def test_a_post_with_only_mobiledoc_gets_its_sections_and_markups():
    html = story(read("v3-bare.json"), "ferry-timetable").html
    assert "<h2>What changes on Monday</h2>" in html
    assert "leaves at <strong>6:40</strong>, twenty minutes earlier, and the " in html
    assert '<a href="https://ports.example/office">harbour office</a> keeps' in html
    assert (
        "<ul><li>Weekdays: 6:40, 9:10, 17:30</li><li><em>Sundays</em>: no early boat</li></ul>"
        in html
    )
    assert "<blockquote><p>We asked for a later boat, not an earlier one.</p></blockquote>" in html


def test_a_mobiledoc_soft_return_becomes_a_line_break():
    html = story(read("v3-bare.json"), "ferry-timetable").html
    assert "<p>Tickets bought before the change<br>stay valid until May.</p>" in html


def test_mobiledoc_image_code_and_rule_cards_are_rendered():
    html = story(read("v3-bare.json"), "ferry-timetable").html
    assert (
        '<figure><img src="__GHOST_URL__/content/images/2023/03/pier.jpg" alt="The pier at dawn">'
        "<figcaption>The pier at dawn, <em>before</em> the first boat</figcaption></figure><hr>"
    ) in html
    assert '<pre><code class="language-text">06:40 depart\n07:25 arrive</code></pre>' in html


def test_mobiledoc_gallery_bookmark_and_embed_cards_are_rendered():
    html = story(read("v3-bare.json"), "ferry-timetable").html
    assert 'src="__GHOST_URL__/content/images/2023/03/deck.jpg" alt="The upper deck"' in html
    assert "<figcaption>On board the new ferry</figcaption>" in html
    assert '<a href="https://ports.example/timetables">Port authority timetables</a>' in html
    assert '<a href="https://video.example/watch/ferry">The ferry&#x27;s first crossing</a>' in html


def test_a_mobiledoc_markdown_card_is_rendered_without_its_script():
    html = story(read("v3-bare.json"), "ferry-timetable").html
    assert "<h2>Fares</h2><p>A single ticket costs <strong>3 euros</strong>; see " in html
    assert "<script" not in html and "track(" not in html


# The post's other fields


def test_the_excerpt_is_the_custom_excerpt_and_empty_without_one():
    archive = read("v4-html.json")
    assert story(archive, "old-bridge").excerpt == "Nine votes to two, after a year of repairs."
    assert story(archive, "repair-costs").excerpt == ""  # not the start of the text


def test_the_lead_picture_takes_alt_and_a_plain_text_caption_from_posts_meta():
    picture = story(read("v4-html.json"), "old-bridge").lead_picture
    assert picture.url == "__GHOST_URL__/content/images/2023/02/bridge-wide.jpg"
    assert picture.alt == "The bridge from the east bank"
    assert picture.caption == "Photo: Ilse Brandt / The Ledger"


def test_an_older_export_keeps_the_feature_image_on_the_post():
    picture = story(read("v3-bare.json"), "ferry-timetable").lead_picture
    assert picture.url == "__GHOST_URL__/content/images/2023/03/ferry.jpg"


def test_a_post_without_a_feature_image_has_no_lead_picture():
    assert story(read("v4-html.json"), "repair-costs").lead_picture is None


def test_published_scheduled_and_draft_posts_keep_their_status():
    archive = read("v4-html.json")
    assert story(archive, "old-bridge").status == "live"
    assert story(archive, "bridge-opens").status == "scheduled"
    assert story(archive, "bridge-follow-up").status == "draft"


def test_a_newsletter_only_post_comes_back_as_a_draft_with_a_note():
    post = story(read("v4-html.json"), "weekly-letter")
    assert post.status == "draft"
    assert any("“sent”" in note for note in post.notes)


def test_a_paid_members_post_comes_back_as_members_only_with_a_note():
    post = story(read("v4-html.json"), "repair-costs")
    assert post.status == "members"
    assert "was for paying members only on Ghost; imported as a draft" in post.notes


def test_a_members_post_comes_back_as_members_only_with_a_note():
    post = story(read("v5-lexical.json"), "picnic")
    assert post.status == "members"
    assert "was for members only on Ghost; imported as a draft" in post.notes


def test_a_tiers_post_names_its_tiers_in_the_note():
    post = story(read("v5-lexical.json"), "caves-accounts")
    assert post.status == "members"
    assert any("(Friend of the Ledger, Patron)" in note for note in post.notes)


def test_a_segment_filtered_post_comes_back_as_members_only_naming_the_segment():
    post = story(read("v4-html.json"), "questions")
    assert post.status == "members"
    assert any("status:-free" in note for note in post.notes)


def test_dates_are_timezone_aware_utc():
    post = story(read("v4-html.json"), "old-bridge")
    assert post.published_at == datetime(2023, 2, 14, 21, 30, tzinfo=UTC)
    assert post.modified_at == datetime(2023, 2, 15, 7, 5, tzinfo=UTC)


def test_mysql_style_and_millisecond_dates_are_read_as_utc(tmp_path):
    def change(data):
        data["posts"][0]["published_at"] = "2023-02-14 21:30:00"
        data["posts"][0]["updated_at"] = 1676446200000

    post = ghost.read(export_with(tmp_path, "v4-html.json", change)).stories[0]
    assert post.published_at == datetime(2023, 2, 14, 21, 30, tzinfo=UTC)
    assert post.modified_at == datetime(2023, 2, 15, 7, 30, tzinfo=UTC)


def test_a_draft_without_a_publication_date_has_none():
    assert story(read("v4-html.json"), "bridge-follow-up").published_at is None


def test_the_canonical_url_is_kept():
    post = story(read("v4-html.json"), "old-bridge")
    assert post.canonical_url == "https://partner.example/news/old-bridge"


# Authors and tags


def test_authors_come_in_byline_order_and_an_unknown_one_is_left_out_with_a_note():
    post = story(read("v4-html.json"), "old-bridge")
    assert post.authors == ["6100b0000000000000000a01", "6100b0000000000000000a02"]
    assert any("6100b0000000000000000a99" in note for note in post.notes)


def test_an_export_without_posts_authors_takes_the_posts_author_id():
    post = story(read("v3-bare.json"), "ferry-timetable")
    assert post.authors == ["6400a0000000000000000a01"]


def test_staff_users_become_authors_with_plain_text_bio_and_picture():
    author = read("v3-bare.json").authors[0]
    assert (author.source_id, author.name, author.slug) == (
        "6400a0000000000000000a01",
        "Maren Holt",
        "maren",
    )
    assert author.bio == "Maren covers the harbour & the ferries ."
    assert author.picture.url == "__GHOST_URL__/content/images/2022/11/maren.jpg"


def test_a_gravatar_profile_image_is_not_taken_as_the_authors_picture():
    archive = read("v4-html.json")
    tomas = next(a for a in archive.authors if a.slug == "tomas")
    assert tomas.picture is None


def test_the_primary_tag_becomes_the_section_and_the_rest_tags_in_order():
    post = story(read("v4-html.json"), "old-bridge")
    assert post.sections == ["6100b0000000000000000t01"]  # City hall, sort_order 0
    assert post.tags == ["6100b0000000000000000t02", "6100b0000000000000000t03"]


def test_an_internal_tag_is_skipped_with_a_note_and_the_next_one_is_primary():
    archive = read("v3-bare.json")
    post = story(archive, "ferry-timetable")
    assert post.sections == ["6400a0000000000000000t02"]  # Transport, not #sidebar
    assert post.tags == ["6400a0000000000000000t03"]
    assert "internal tag “#sidebar” skipped" in post.notes
    assert "#sidebar" not in [t.name for t in archive.tags]


def test_the_archive_lists_every_public_tag_and_the_primary_ones_as_sections():
    archive = read("v4-html.json")
    assert [t.name for t in archive.tags] == ["City hall", "Bridges", "Money", "Unused"]
    assert [t.name for t in archive.sections] == ["City hall", "Bridges"]


def test_a_tag_keeps_its_description():
    archive = read("v3-bare.json")
    transport = next(t for t in archive.tags if t.slug == "transport")
    assert transport.description == "Boats, buses and bridges."


# Site-wide settings and old addresses


@pytest.mark.parametrize(
    ("name", "language"),
    [
        ("v3-bare.json", "ru"),
        ("v4-html.json", "en"),
        ("v5-lexical.json", "uk"),
        ("v6-lexical.json", "en"),
    ],
)
def test_the_sites_language_is_read_from_each_versions_setting(name, language):
    assert read(name).language == language


def test_pictures_are_found_under_ghosts_url_placeholder():
    archive = read("v5-lexical.json")
    assert archive.site_url == ""
    assert "__GHOST_URL__/content/images/" in archive.media_prefixes


def test_a_site_address_in_the_settings_adds_its_images_prefix(tmp_path):
    path = export_with(
        tmp_path, "v5-lexical.json", lambda d: set_setting(d, "url", "https://ledger.example/")
    )
    archive = ghost.read(path)
    assert archive.site_url == "https://ledger.example"
    assert "https://ledger.example/content/images/" in archive.media_prefixes


def test_published_posts_and_pages_answer_at_their_slug():
    archive = read("v4-html.json")
    assert story(archive, "old-bridge").old_urls == ["/old-bridge/"]
    assert story(archive, "contact").old_urls == ["/contact/"]


def test_drafts_and_scheduled_posts_had_no_public_address():
    archive = read("v4-html.json")
    assert story(archive, "bridge-follow-up").old_urls == []
    assert story(archive, "bridge-opens").old_urls == []


def test_the_preview_link_is_not_an_old_address():
    for post in read("v4-html.json").stories:
        assert not any(url.startswith("/p/") for url in post.old_urls)


def test_a_permalinks_setting_with_dates_in_the_sites_time_zone_gives_the_old_address(tmp_path):
    def change(data):
        set_setting(data, "permalinks", "/{year}/{month}/{day}/{primary_tag}/{slug}/")
        set_setting(data, "timezone", "Pacific/Auckland")  # 21:30 UTC on the 14th is the 15th there

    archive = ghost.read(export_with(tmp_path, "v4-html.json", change))
    assert story(archive, "old-bridge").old_urls == ["/2023/02/15/city-hall/old-bridge/"]
    assert story(archive, "contact").old_urls == ["/contact/"]  # pages stay at /{slug}/


def test_a_ghost_1_style_permalink_with_author_and_id_is_understood(tmp_path):
    path = export_with(
        tmp_path, "v4-html.json", lambda d: set_setting(d, "permalinks", "/:author/:id-:slug/")
    )
    post = story(ghost.read(path), "old-bridge")
    assert post.old_urls == ["/ilse/6100b0000000000000000001-old-bridge/"]
