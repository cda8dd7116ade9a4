"""An imported story's body: what readers see of a WordPress or Ghost post once it is an article."""

from __future__ import annotations

import re

import lxml.html
import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from samizdat.imports.body import convert, plain_text
from samizdat.imports.source import Picture
from samizdat.newsroom.blocks import ArticleBodyBlock
from tests.factories import PhotoFactory

ALLOWED = {"p", "b", "i", "a", "ul", "ol", "li", "br"}


class Import:
    """One body through `convert`, with the pictures it asked for and what it reported."""

    def __init__(self, html: str, body_format: str = "wordpress", missing: tuple[str, ...] = ()):
        self.asked: list[Picture] = []
        self.reports: list[str] = []

        def pictures(picture: Picture) -> int | None:
            self.asked.append(picture)
            if (picture.url or picture.source_id) in missing:
                return None
            return 100 + len(self.asked)

        self.data = convert(
            html, body_format=body_format, pictures=pictures, report=self.reports.append
        )
        self.blocks = [(block["type"], block["value"]) for block in self.data]

    def of(self, kind: str) -> list:
        return [value for block_kind, value in self.blocks if block_kind == kind]


def assert_only_allowed_markup(blocks) -> None:
    for kind, value in blocks:
        if kind != "paragraph":
            continue
        root = lxml.html.fragment_fromstring(value, create_parent="div")
        for element in root.iter():
            if element is root:
                continue
            assert element.tag in ALLOWED, value
            allowed = {"href"} if element.tag == "a" else set()
            assert set(element.attrib) <= allowed, value
            if element.tag == "a":
                href = element.get("href")
                scheme = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", href)
                assert scheme is None or scheme[1].lower() in ("http", "https", "mailto"), value
                assert not re.search(r"[\x00-\x20\"'<>]", href), value


# Classic WordPress content


def test_a_classic_posts_blank_line_separated_text_becomes_paragraphs():
    body = Import(
        "The ferry was late again.\n\nPassengers waited two hours.\r\n\r\n\n\nNobody said why."
    )
    assert body.blocks == [
        ("paragraph", "<p>The ferry was late again.</p>"),
        ("paragraph", "<p>Passengers waited two hours.</p>"),
        ("paragraph", "<p>Nobody said why.</p>"),
    ]


def test_a_single_line_break_in_a_classic_post_stays_a_line_break():
    body = Import("Harbour Street 4\nRiverside\n\nOpen daily")
    assert body.of("paragraph") == ["<p>Harbour Street 4<br/>Riverside</p>", "<p>Open daily</p>"]


def test_two_line_breaks_from_the_old_editor_start_a_new_paragraph():
    body = Import("First thought.<br /><br>\nSecond thought.<br />Same paragraph.")
    assert body.of("paragraph") == [
        "<p>First thought.</p>",
        "<p>Second thought.<br/>Same paragraph.</p>",
    ]


def test_the_read_more_mark_of_a_classic_post_separates_two_paragraphs():
    body = Import("The teaser.\n<!--more-->\nThe rest of the story.\n<!--nextpage-->\nPage two.")
    assert body.of("paragraph") == [
        "<p>The teaser.</p>",
        "<p>The rest of the story.</p>",
        "<p>Page two.</p>",
    ]


def test_a_tag_written_over_several_lines_stays_one_tag():
    body = Import('See <a\nhref="https://records.example/7"\ntitle="Record">the record</a>.')
    assert body.of("paragraph") == [
        '<p>See <a href="https://records.example/7">the record</a>.</p>'
    ]


def test_line_breaks_around_headings_lists_and_quotes_make_no_extra_lines():
    body = Import(
        "Intro line\n<h3>What we found</h3>\nThe ledgers.\n"
        "<ul>\n<li>one\n</li>\n<li>two</li>\n</ul>\n"
        "<blockquote>We paid.</blockquote>\nEnd."
    )
    assert body.blocks == [
        ("paragraph", "<p>Intro line</p>"),
        ("subhead", "What we found"),
        ("paragraph", "<p>The ledgers.</p>"),
        ("paragraph", "<ul><li>one</li><li>two</li></ul>"),
        ("quote", {"text": "We paid.", "attribution": ""}),
        ("paragraph", "<p>End.</p>"),
    ]


def test_preformatted_text_keeps_its_lines_and_indentation_without_paragraph_breaks():
    body = Import("Before\n\n<pre>total = 0\n  for row in rows:\n\n    total += row</pre>\n\nAfter")
    assert body.blocks == [
        ("paragraph", "<p>Before</p>"),
        (
            "paragraph",
            "<p>total = 0<br/>\xa0\xa0for row in rows:<br/><br/>\xa0\xa0\xa0\xa0total += row</p>",
        ),
        ("paragraph", "<p>After</p>"),
    ]


def test_a_caption_shortcode_becomes_an_image_with_its_caption_and_attachment():
    body = Import(
        'Above.\n\n[caption id="attachment_41" align="alignright" width="300"]'
        '<a href="https://old.example/wp-content/uploads/2019/04/dock.jpg">'
        '<img class="size-medium wp-image-41" src="https://old.example/wp-content/uploads/2019/04/'
        'dock-300x200.jpg" alt="Cranes at the dock" width="300" height="200" /></a> Cranes idle at '
        'the <a href="https://port.example">north dock</a>.[/caption]\n\nBelow.'
    )
    assert body.blocks == [
        ("paragraph", "<p>Above.</p>"),
        ("image", {"image": 101, "caption": "Cranes idle at the north dock."}),
        ("paragraph", "<p>Below.</p>"),
    ]
    (picture,) = body.asked
    assert picture.url == "https://old.example/wp-content/uploads/2019/04/dock-300x200.jpg"
    assert (picture.alt, picture.source_id) == ("Cranes at the dock", "41")
    assert picture.caption == "Cranes idle at the north dock."


def test_an_older_caption_shortcode_with_the_caption_as_an_attribute():
    body = Import(
        '[caption id="attachment_7" width="150" caption="A &quot;quiet&quot; morning"]'
        '<img src="/wp-content/uploads/pier.jpg" alt="" />[/caption]'
    )
    assert body.of("image") == [{"image": 101, "caption": 'A "quiet" morning'}]


def test_a_gallery_shortcode_asks_for_each_attachment_by_its_id():
    body = Import('Pictures:\n\n[gallery columns="2" ids="12, 15,19" size="medium"]')
    assert [p.source_id for p in body.asked] == ["12", "15", "19"]
    assert all(p.url == "" for p in body.asked)
    assert body.of("image") == [{"image": 101 + n, "caption": ""} for n in range(3)]


def test_a_gallery_without_ids_is_reported_not_guessed():
    body = Import("Text\n\n[gallery]")
    assert body.of("image") == []
    assert body.reports == ["gallery without ids skipped"]


def test_an_embed_shortcode_and_a_video_address_on_its_own_line_become_link_cards():
    body = Import(
        'Watch it:\n\n[embed width="640"]https://vimeo.com/1234567[/embed]\n\n'
        "https://www.youtube.com/watch?v=aBc_123-xyZ\n\n"
        "Inline https://www.youtube.com/watch?v=notalone stays text."
    )
    cards = body.of("embed")
    assert [(c["url"], c["source"]) for c in cards] == [
        ("https://vimeo.com/1234567", "Vimeo"),
        ("https://www.youtube.com/watch?v=aBc_123-xyZ", "YouTube"),
    ]
    assert all(c["title"] for c in cards)
    assert body.of("paragraph")[-1] == (
        "<p>Inline https://www.youtube.com/watch?v=notalone stays text.</p>"
    )


def test_an_ordinary_address_on_its_own_line_becomes_a_link():
    body = Import("Documents:\n\nhttps://records.example/case/77\n\nEnd")
    assert body.of("paragraph")[1] == (
        '<p><a href="https://records.example/case/77">https://records.example/case/77</a></p>'
    )


def test_unknown_shortcodes_are_removed_keeping_enclosed_text_and_reported_once_per_name():
    body = Import(
        'Write to us.\n\n[contact-form-7 id="88" title="Tips"]\n\n'
        '[su_box title="Note"]Boxes keep their words.[/su_box]\n\n'
        '[contact-form-7 id="89"] [newsletter_signup/] [/orphan_end]'
    )
    assert body.of("paragraph") == ["<p>Write to us.</p>", "<p>Boxes keep their words.</p>"]
    assert sorted(body.reports) == [
        "unknown shortcode [contact-form-7]",
        "unknown shortcode [newsletter_signup]",
        "unknown shortcode [orphan_end]",
        "unknown shortcode [su_box]",
    ]


def test_escaped_shortcodes_and_bracketed_words_stay_as_written():
    body = Import(
        "Type [[gallery]] to show pictures. He said [sic] it was [1] of many [Updated].\n\n"
        'Or [[caption width="9"]Words[/caption]] for a caption.'
    )
    assert body.of("paragraph") == [
        "<p>Type [gallery] to show pictures. He said [sic] it was [1] of many [Updated].</p>",
        '<p>Or [caption width="9"]Words[/caption] for a caption.</p>',
    ]
    assert body.asked == []
    assert body.reports == []


# Block-editor content


def test_a_block_posts_paragraphs_headings_and_lists_become_their_blocks():
    body = Import(
        "<!-- wp:paragraph -->\n<p>Council <strong>voted</strong> at <em>dawn</em>.</p>\n"
        '<!-- /wp:paragraph -->\n\n<!-- wp:heading {"level":3} -->\n<h3 class="wp-block-heading">'
        'The vote</h3>\n<!-- /wp:heading -->\n\n<!-- wp:list {"ordered":true} -->\n<ol>'
        "<!-- wp:list-item --><li>Seven for</li><!-- /wp:list-item -->"
        "<!-- wp:list-item --><li>Two against<!-- wp:list --><ul><!-- wp:list-item --><li>one "
        "absent</li><!-- /wp:list-item --></ul><!-- /wp:list --></li><!-- /wp:list-item --></ol>\n"
        "<!-- /wp:list -->"
    )
    assert body.blocks == [
        ("paragraph", "<p>Council <b>voted</b> at <i>dawn</i>.</p>"),
        ("subhead", "The vote"),
        (
            "paragraph",
            "<ol><li>Seven for</li><li>Two against<ul><li>one absent</li></ul></li></ol>",
        ),
    ]


def test_block_line_breaks_are_not_turned_into_paragraphs():
    body = Import(
        "<!-- wp:paragraph -->\n<p>One line\nwrapped by the editor</p>\n<!-- /wp:paragraph -->"
    )
    assert body.of("paragraph") == ["<p>One line wrapped by the editor</p>"]


def test_an_image_block_with_a_link_and_caption_becomes_an_image():
    body = Import(
        '<!-- wp:image {"id":305,"sizeSlug":"large","linkDestination":"media"} -->\n'
        '<figure class="wp-block-image size-large"><a href="https://old.example/up/bridge.jpg">'
        '<img src="https://old.example/up/bridge-1024x683.jpg" alt="The old bridge" '
        'class="wp-image-305"/></a><figcaption class="wp-element-caption">The bridge before the '
        "<em>flood</em></figcaption></figure>\n<!-- /wp:image -->"
    )
    assert body.blocks == [("image", {"image": 101, "caption": "The bridge before the flood"})]
    assert body.asked[0].source_id == "305"
    assert body.asked[0].alt == "The old bridge"


def test_a_gallery_block_gives_one_image_per_picture_with_its_own_caption():
    body = Import(
        '<!-- wp:gallery {"linkTo":"none"} -->\n<figure class="wp-block-gallery has-nested-images">'
        '<!-- wp:image {"id":51} -->\n<figure class="wp-block-image"><img src="/up/a.jpg" alt="A" '
        'class="wp-image-51"/><figcaption>First</figcaption></figure>\n<!-- /wp:image -->\n'
        '<!-- wp:image {"id":52} -->\n<figure class="wp-block-image"><img src="/up/b.jpg" alt="B" '
        'class="wp-image-52"/></figure>\n<!-- /wp:image -->'
        '<figcaption class="blocks-gallery-caption">Both taken at noon</figcaption></figure>\n'
        "<!-- /wp:gallery -->\n"
        '<!-- wp:gallery {"ids":["61","62"]} --><figure class="wp-block-gallery"><ul '
        'class="blocks-gallery-grid"><li class="blocks-gallery-item"><figure><img src="/up/c.jpg" '
        'alt="C" data-id="61"/></figure></li><li class="blocks-gallery-item"><figure><img '
        'src="/up/d.jpg" alt="D" data-id="62"/><figcaption>Old style</figcaption></figure></li>'
        "</ul></figure><!-- /wp:gallery -->"
    )
    assert [p.source_id for p in body.asked] == ["51", "52", "61", "62"]
    assert [image["caption"] for image in body.of("image")] == [
        "First",
        "Both taken at noon",
        "",
        "Old style",
    ]
    assert body.of("paragraph") == []


def test_quotes_and_pull_quotes_keep_their_words_and_attribution():
    body = Import(
        '<!-- wp:quote -->\n<blockquote class="wp-block-quote"><!-- wp:paragraph -->\n<p>We will '
        "rebuild.</p>\n<!-- /wp:paragraph -->\n<!-- wp:paragraph -->\n<p>All of it.</p>\n"
        "<!-- /wp:paragraph --><cite>— Mayor Ilse Brandt</cite></blockquote>\n<!-- /wp:quote -->\n"
        '<!-- wp:pullquote -->\n<figure class="wp-block-pullquote"><blockquote><p>Nobody '
        "<strong>warned</strong> us.</p><cite>A resident</cite></blockquote></figure>\n"
        "<!-- /wp:pullquote -->"
    )
    assert body.of("quote") == [
        {"text": "We will rebuild.\nAll of it.", "attribution": "Mayor Ilse Brandt"},
        {"text": "Nobody warned us.", "attribution": "A resident"},
    ]


def test_embed_blocks_old_and_new_become_link_cards_to_the_original():
    body = Import(
        '<!-- wp:embed {"url":"https://www.youtube.com/watch?v=q1w2e3","type":"video",'
        '"providerNameSlug":"youtube"} -->\n<figure class="wp-block-embed is-provider-youtube">'
        '<div class="wp-block-embed__wrapper">\nhttps://www.youtube.com/watch?v=q1w2e3\n</div>'
        "<figcaption>The hearing, in full</figcaption></figure>\n<!-- /wp:embed -->\n"
        '<!-- wp:core-embed/twitter {"url":"https://twitter.com/cityhall/status/99"} -->\n'
        '<figure class="wp-block-embed-twitter wp-block-embed">'
        '<div class="wp-block-embed__wrapper">'
        "\nhttps://twitter.com/cityhall/status/99\n</div></figure>\n<!-- /wp:core-embed/twitter -->"
    )
    assert body.of("embed") == [
        {
            "url": "https://www.youtube.com/watch?v=q1w2e3",
            "title": "The hearing, in full",
            "source": "YouTube",
            "description": "",
        },
        {
            "url": "https://twitter.com/cityhall/status/99",
            "title": "twitter.com/cityhall/status/99",
            "source": "X (Twitter)",
            "description": "",
        },
    ]
    assert body.of("paragraph") == []


def test_columns_groups_and_covers_are_unwrapped_in_reading_order():
    body = Import(
        '<!-- wp:columns --><div class="wp-block-columns"><!-- wp:column --><div '
        'class="wp-block-column"><!-- wp:paragraph --><p>Left</p><!-- /wp:paragraph --></div>'
        '<!-- /wp:column --><!-- wp:column --><div class="wp-block-column"><!-- wp:group -->'
        '<div class="wp-block-group"><!-- wp:heading --><h2>Right</h2><!-- /wp:heading -->'
        "<!-- wp:paragraph --><p>Below right</p><!-- /wp:paragraph --></div><!-- /wp:group -->"
        "</div><!-- /wp:column --></div><!-- /wp:columns -->"
    )
    assert body.blocks == [
        ("paragraph", "<p>Left</p>"),
        ("subhead", "Right"),
        ("paragraph", "<p>Below right</p>"),
    ]


def test_a_cover_keeps_its_picture_even_when_it_was_a_background():
    body = Import(
        '<!-- wp:cover {"url":"https://old.example/up/harbour.jpg","id":77} --><div '
        'class="wp-block-cover has-background-dim" style="background-image:url(https://old.example'
        '/up/harbour.jpg)"><div class="wp-block-cover__inner-container"><!-- wp:paragraph -->'
        "<p>Over the harbour</p><!-- /wp:paragraph --></div></div><!-- /wp:cover -->"
    )
    assert body.blocks == [
        ("image", {"image": 101, "caption": ""}),
        ("paragraph", "<p>Over the harbour</p>"),
    ]
    assert (body.asked[0].url, body.asked[0].source_id) == (
        "https://old.example/up/harbour.jpg",
        "77",
    )


def test_a_picture_inside_a_gallerys_own_caption_is_read_once():
    body = Import(
        '<figure><figcaption>Caption with <figure><img src="/up/in.jpg" alt="">'
        "</figure> inside</figcaption></figure>",
        body_format="html",
    )
    assert [p.url for p in body.asked] == ["/up/in.jpg"]
    assert body.of("paragraph") == ["<p>Caption with</p>", "<p>inside</p>"]


def test_a_table_becomes_one_paragraph_per_row_and_is_reported():
    body = Import(
        '<!-- wp:table --><figure class="wp-block-table"><table><thead><tr><th>District</th><th>'
        "Turnout</th></tr></thead><tbody><tr><td>North</td><td><em>61%</em></td></tr><tr><td>South"
        "</td><td></td></tr></tbody></table><figcaption>Turnout by district</figcaption></figure>"
        "<!-- /wp:table -->"
    )
    assert body.of("paragraph") == [
        "<p><b>District</b> · <b>Turnout</b></p>",
        "<p>North · <i>61%</i></p>",
        "<p>South</p>",
        "<p>Turnout by district</p>",
    ]
    assert body.reports == ["table flattened"]


def test_separators_page_breaks_and_more_marks_leave_nothing_and_dynamic_blocks_are_reported():
    body = Import(
        "<!-- wp:paragraph --><p>Top</p><!-- /wp:paragraph -->\n<!-- wp:more -->\n<!--more-->\n"
        "<!-- /wp:more -->\n<!-- wp:separator -->"
        '<hr class="wp-block-separator"/><!-- /wp:separator -->'
        '\n<!-- wp:spacer {"height":"40px"} --><div style="height:40px" aria-hidden="true" '
        'class="wp-block-spacer"></div><!-- /wp:spacer -->\n<!-- wp:nextpage -->\n<!--nextpage-->\n'
        '<!-- /wp:nextpage -->\n<!-- wp:latest-posts {"postsToShow":3} /-->\n<!-- wp:archives /-->'
        "\n<!-- wp:comments-pagination --><!-- wp:comments-pagination-next /-->"
        "<!-- /wp:comments-pagination -->"
        "\n<!-- wp:paragraph --><p>Bottom</p><!-- /wp:paragraph -->"
    )
    assert body.blocks == [("paragraph", "<p>Top</p>"), ("paragraph", "<p>Bottom</p>")]
    assert body.reports == [
        "block not imported [wp:latest-posts]",
        "block not imported [wp:archives]",
        "block not imported [wp:comments-pagination-next]",
    ]


def test_code_and_verse_blocks_keep_their_lines_and_brackets():
    body = Import(
        '<!-- wp:code --><pre class="wp-block-code"><code>if (a &lt; b) {\n  [shortcode_like]\n}'
        "</code></pre><!-- /wp:code -->"
    )
    assert body.of("paragraph") == ["<p>if (a &lt; b) {<br/>\xa0\xa0[shortcode_like]<br/>}</p>"]
    assert body.reports == []


# Ghost content


def test_a_ghost_image_card_becomes_an_image_with_caption_and_credit():
    body = Import(
        '<figure class="kg-card kg-image-card kg-card-hascaption"><img src="__GHOST_URL__/content/'
        'images/2023/05/market.jpg" class="kg-image" alt="Stalls at the market" loading="lazy" '
        'width="2000" height="1333" '
        'srcset="__GHOST_URL__/content/images/size/w600/2023/05/market.jpg 600w">'
        '<figcaption><span style="white-space: pre-wrap;">Saturday at the market. </span>'
        '<span class="image-credit">Nora Lind</span></figcaption></figure>',
        body_format="html",
    )
    assert body.blocks == [("image", {"image": 101, "caption": "Saturday at the market."})]
    picture = body.asked[0]
    assert picture.url == "__GHOST_URL__/content/images/2023/05/market.jpg"
    assert (picture.alt, picture.credit) == ("Stalls at the market", "Nora Lind")


def test_a_ghost_gallery_gives_each_picture_and_its_caption_goes_under_the_last():
    body = Import(
        '<figure class="kg-card kg-gallery-card kg-width-wide"><div class="kg-gallery-container">'
        '<div class="kg-gallery-row"><div class="kg-gallery-image">'
        '<img src="/content/images/a.jpg" alt="a"></div><div class="kg-gallery-image">'
        '<img src="/content/images/b.jpg" alt="b"></div>'
        "</div></div><figcaption>The two sides of the river</figcaption></figure>",
        body_format="html",
    )
    assert body.of("image") == [
        {"image": 101, "caption": ""},
        {"image": 102, "caption": "The two sides of the river"},
    ]


def test_a_ghost_bookmark_card_becomes_a_link_card_with_its_title_and_publisher():
    body = Import(
        '<figure class="kg-card kg-bookmark-card"><a class="kg-bookmark-container" '
        'href="https://records.example/report"><div class="kg-bookmark-content"><div '
        'class="kg-bookmark-title">Annual audit</div><div class="kg-bookmark-description">What the '
        'auditors found.</div><div class="kg-bookmark-metadata"><img class="kg-bookmark-icon" '
        'src="https://records.example/icon.png" alt=""><span class="kg-bookmark-author">Records '
        'Office</span></div></div><div class="kg-bookmark-thumbnail"><img src="https://records.'
        'example/thumb.jpg" alt=""></div></a></figure>',
        body_format="html",
    )
    assert body.blocks == [
        (
            "embed",
            {
                "url": "https://records.example/report",
                "title": "Annual audit",
                "source": "Records Office",
                "description": "What the auditors found.",
            },
        )
    ]
    assert body.asked == []  # the other site's icon and thumbnail are not fetched or shown


@pytest.mark.parametrize(
    "src, url, source",
    [
        (
            "https://www.youtube.com/embed/Zx9_k-1?feature=oembed",
            "https://www.youtube.com/watch?v=Zx9_k-1",
            "YouTube",
        ),
        ("//www.youtube-nocookie.com/embed/Qq1", "https://www.youtube.com/watch?v=Qq1", "YouTube"),
        ("https://player.vimeo.com/video/76543?h=ab", "https://vimeo.com/76543", "Vimeo"),
        (
            "https://open.spotify.com/embed/episode/4xYz?utm_source=x",
            "https://open.spotify.com/episode/4xYz",
            "Spotify",
        ),
        ("https://maps.example/embed?pb=1", "https://maps.example/embed?pb=1", "maps.example"),
    ],
)
def test_an_embedded_player_becomes_a_link_card_to_its_own_page(src, url, source):
    body = Import(
        f'<figure class="kg-card kg-embed-card"><iframe width="200" src="{src}" frameborder="0" '
        'allowfullscreen title="Budget hearing"></iframe></figure>',
        body_format="html",
    )
    assert body.of("embed") == [
        {"url": url, "title": "Budget hearing", "source": source, "description": ""}
    ]


def test_a_pasted_tweet_becomes_a_link_card_and_its_script_is_dropped():
    body = Import(
        '<blockquote class="twitter-tweet"><p lang="en">Polls close at eight.</p>&mdash; Election '
        'Desk (@desk) <a href="https://twitter.com/desk/status/1200?ref_src=x">May 5</a>'
        "</blockquote>"
        '<script async src="https://platform.twitter.com/widgets.js"></script>',
        body_format="html",
    )
    assert [c["url"] for c in body.of("embed")] == [
        "https://twitter.com/desk/status/1200?ref_src=x"
    ]
    assert body.of("quote") == []


def test_ghost_alternative_quotes_and_rules():
    body = Import(
        '<p>Before</p><hr><blockquote class="kg-blockquote-alt">Short and loud.</blockquote>'
        '<aside class="kg-blockquote-alt">Also loud.</aside><p>After</p>',
        body_format="html",
    )
    assert body.blocks == [
        ("paragraph", "<p>Before</p>"),
        ("quote", {"text": "Short and loud.", "attribution": ""}),
        ("quote", {"text": "Also loud.", "attribution": ""}),
        ("paragraph", "<p>After</p>"),
    ]


def test_ghost_callouts_read_as_one_paragraph_and_players_of_old_files_are_reported():
    body = Import(
        '<div class="kg-card kg-callout-card kg-callout-card-blue"><div class="kg-callout-emoji">'
        '📌</div><div class="kg-callout-text">Polls open at <b>seven</b>.</div></div>'
        '<div class="kg-card kg-audio-card"><img src="/content/images/cover.jpg" alt="audio-'
        'thumbnail" class="kg-audio-thumbnail"><div class="kg-audio-player-container"><audio '
        'src="/content/media/interview.mp3" preload="metadata"></audio><div class="kg-audio-title">'
        'The interview</div><span class="kg-audio-current-time">0:00</span></div></div>'
        '<figure class="kg-card kg-video-card"><div class="kg-video-container">'
        '<video src="/content/media/flood.mp4" poster="https://img.spacergif.org/v1/640x480/0a/'
        'spacer.png"></video><div class="kg-video-overlay"><button '
        'class="kg-video-large-play-icon"><svg></svg></button>'
        '</div><span class="kg-video-current-time">0:00</span></div></figure><p>After</p>',
        body_format="html",
    )
    assert body.blocks == [
        ("paragraph", "<p>📌 Polls open at <b>seven</b>.</p>"),
        ("paragraph", "<p>After</p>"),
    ]
    assert body.asked == []
    assert body.reports == ["audio not imported", "video not imported"]


def test_a_custom_html_block_is_cleaned_and_its_player_becomes_a_link_card():
    body = Import(
        '<!-- wp:html -->\n<div class="promo" onclick="track()">\n<b>Live</b> coverage\n'
        '<iframe src="https://www.youtube.com/embed/LiveId1" title="Live"></iframe>\n'
        "<script>track()</script>\n</div>\n<!-- /wp:html -->"
    )
    assert body.blocks == [
        ("paragraph", "<p><b>Live</b> coverage</p>"),
        (
            "embed",
            {
                "url": "https://www.youtube.com/watch?v=LiveId1",
                "title": "Live",
                "source": "YouTube",
                "description": "",
            },
        ),
    ]


def test_a_video_in_a_classic_post_is_reported():
    body = Import('Watch:\n\n<video controls src="/wp-content/uploads/clip.mp4"></video>')
    assert body.blocks == [("paragraph", "<p>Watch:</p>")]
    assert body.reports == ["video not imported"]


def test_html_bodies_are_not_given_paragraphs_from_line_breaks():
    body = Import("<p>One\ntwo</p>\n\n<p>three</p>", body_format="html")
    assert body.of("paragraph") == ["<p>One two</p>", "<p>three</p>"]


# Pictures


def test_a_missing_picture_is_left_out_with_its_caption_and_the_text_around_it_stays():
    body = Import(
        '<p>Before <img src="/up/gone.jpg" alt="Gone"> after</p><figure><img src="/up/gone2.jpg">'
        "<figcaption>A caption for nothing</figcaption></figure>",
        body_format="html",
        missing=("/up/gone.jpg", "/up/gone2.jpg"),
    )
    assert body.blocks == [("paragraph", "<p>Before after</p>")]


def test_a_picture_inside_a_paragraph_splits_it_keeping_the_bold_open_on_both_sides():
    body = Import('<p>Left <b>bold <img src="/up/x.jpg" alt="x"> still bold</b> end</p>', "html")
    assert body.blocks == [
        ("paragraph", "<p>Left <b>bold</b></p>"),
        ("image", {"image": 101, "caption": ""}),
        ("paragraph", "<p><b>still bold</b> end</p>"),
    ]


def test_lazy_loaded_pictures_use_their_real_address_and_emoji_become_text():
    body = Import(
        '<p>Good news <img class="wp-smiley" src="https://s.w.org/images/core/emoji/14.0.0/72x72/'
        '1f600.png" alt="😀"></p>'
        '<img src="data:image/gif;base64,R0lGOD" data-lazy-src="/up/real.jpg" alt="Real">'
        '<noscript><img src="/up/real.jpg" alt="Real"></noscript>'
        '<img src="data:image/png;base64,iVBOR" alt="inline">',
        body_format="html",
    )
    assert body.of("paragraph") == ["<p>Good news 😀</p>"]
    assert [p.url for p in body.asked] == ["/up/real.jpg"]


# Cleaning: nothing in an export is trusted


NASTY = [
    '<img src=x onerror="alert(1)">Hello',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="java\tscript:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    '<a href=" javascript:alert(1)">click</a>',
    '<a href="\x01javascript:alert(1)">click</a><a href="javascript\n:alert(1)">two</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">click</a>',
    '<a href="vbscript:msgbox(1)">click</a>',
    "<svg><script>alert(1)</script></svg>text",
    "<svg onload=alert(1)><a href=https://ok.example>ok</a></svg>",
    "<scr<script>ipt>alert(1)</script>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<![CDATA[<script>alert(1)</script>]]>after",
    '<b onmouseover="alert(1)" style="color:red">bold</b><strong class="x">strong</strong>',
    "<i onfocus=alert(1) tabindex=1>it</i><em id=x>em</em><ul onclick=alert(1)><li style=x>li",
    "<a href=https://ok.example onclick=alert(1)><b onclick=alert(1)>link</b></a>",
    '<p style="background:url(javascript:alert(1))" class="x" id="y" onclick="alert(1)">styled',
    "<b>unclosed <i>tags <a href='https://ok.example'>everywhere",
    '<iframe src="javascript:alert(1)"></iframe><object data="evil.swf"></object>',
    '<form action="https://evil.example"><input name=x value="alert(1)"><button>Go</button></form>',
    '<style>body{background:url("javascript:alert(1)")}</style><link rel=stylesheet href=x>',
    "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
    '<a href="https://ok.example" onmouseover="alert(1)" target="_blank" rel="x">hover</a>',
    '<details open ontoggle="alert(1)"><summary>More</summary>hidden</details>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//"><a href="/x">rel</a>',
    "<!--<img src=x onerror=alert(1)>-->done",
    '[caption]<img src=x onerror="alert(1)">A[/caption]',
    "\x00<scr\x00ipt>alert(1)</script>",
]
# Where browsers too show the words as text (escaped, or outside any script element).
SHOWN_AS_TEXT = {
    "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
    "<scr<script>ipt>alert(1)</script>",
    "<![CDATA[<script>alert(1)</script>]]>after",
}


@pytest.mark.parametrize("nasty", NASTY)
@pytest.mark.parametrize("body_format", ["wordpress", "html"])
def test_scripts_handlers_styles_and_dangerous_links_never_reach_the_page(nasty, body_format):
    body = Import(nasty, body_format=body_format)
    assert_only_allowed_markup(body.blocks)
    for kind, value in body.blocks:
        if kind == "paragraph":
            lowered = value.lower()
            assert "<script" not in lowered and "javascript:" not in lowered
            assert "onerror" not in lowered and "style=" not in lowered
            assert nasty in SHOWN_AS_TEXT or "alert" not in lowered


PIECES = st.sampled_from(
    [
        "<p>", "</p>", "<b>", "</b>", "<i>", "<em>", "</em>", "<a href=\"", "\">", "</a>",
        "javascript:", "https://ok.example/", "<img src=x onerror=alert(1)>", "<script>",
        "</script>", "<svg>", "<style>", "<ul><li>", "</li>", "</ul>", "<table><tr><td>",
        "<blockquote>", "<cite>", "<figure>", "<figcaption>", "<iframe src=", "<h2>", "<pre>",
        "\n", "\n\n", "[caption]", "[/caption]", "[gallery ids=\"1\"]", "[embed]", "[/embed]",
        "<!-- wp:paragraph -->", "<!-- /wp:paragraph -->", "<!-- wp:embed {\"url\":\"",
        "\"} -->", "<!--", "-->", "<![CDATA[", "]]>", "&lt;", "&amp;", "&#x6a;", "\x00", "'",
        " onclick=", "style=", "words", "more words", "<", ">", "\"", "=", "/",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(PIECES, max_size=40), body_format=st.sampled_from(["wordpress", "html"]))
def test_any_mix_of_markup_gives_only_the_paragraph_editors_own_tags(pieces, body_format):
    body = Import("".join(pieces), body_format=body_format)
    assert_only_allowed_markup(body.blocks)
    for kind, value in body.blocks:
        if kind == "embed":
            assert value["url"].startswith(("http://", "https://")) and value["title"]


def test_links_keep_their_address_only_when_it_is_web_mail_or_relative():
    body = Import(
        '<p><a href="https://a.example/x?y=1&amp;z=2">web</a> <a href="mailto:desk@paper.example">'
        'mail</a> <a href="/2020/05/older-story/">older</a> '
        '<a href="//cdn.example/doc.pdf">doc</a> '
        '<a href="javascript:void(0)">script</a> <a href="ftp://files.example/">ftp</a> '
        '<a href="https://a.example/with space">spaced</a> <a>bare</a></p>',
        body_format="html",
    )
    assert body.of("paragraph") == [
        '<p><a href="https://a.example/x?y=1&amp;z=2">web</a> <a href="mailto:desk@paper.example">'
        'mail</a> <a href="/2020/05/older-story/">older</a> <a href="https://cdn.example/doc.pdf">'
        'doc</a> script ftp <a href="https://a.example/with%20space">spaced</a> bare</p>'
    ]


def test_an_embed_without_a_web_address_is_reported_not_made_a_link_card():
    body = Import(
        '<iframe src="javascript:alert(1)"></iframe><p>ok</p><figure class="kg-card '
        'kg-embed-card"><div id="widget"></div><script src="/widget.js"></script></figure>',
        body_format="html",
    )
    assert body.blocks == [("paragraph", "<p>ok</p>")]
    assert body.reports == ["embed without a web address skipped"]
    body = Import("[embed]https://[/embed][embed]  [/embed]")
    assert body.blocks == []
    assert body.reports == ["embed without a web address skipped"]


def test_a_deeply_nested_body_is_read_without_crashing():
    depth = 3000
    body = Import("<div>" * depth + "<b>deep</b> words" + "</div>" * depth, body_format="html")
    assert body.blocks == [("paragraph", "<p>deep words</p>")]
    assert body.reports == ["body nested too deeply: imported as plain text"]


def test_empty_bodies_and_blank_paragraphs_give_no_blocks():
    assert Import("").blocks == []
    assert Import("  \n\n ", body_format="html").blocks == []
    assert Import("<p>&nbsp;</p><p> <br> </p><p><b> </b></p>", body_format="html").blocks == []
    assert Import("\n\n&nbsp;\n\n<p></p>").blocks == []


def test_entities_are_read_as_the_characters_they_stand_for():
    body = Import("<p>Fish &amp; chips &mdash; 3 &lt; 4 &#8220;quoted&#8221;</p>", "html")
    assert body.of("paragraph") == ["<p>Fish &amp; chips — 3 &lt; 4 “quoted”</p>"]


def test_the_same_body_converts_to_the_same_data_with_ids_every_time():
    html = "First\n\nSecond\n\n<h2>Third</h2>"
    first, second = Import(html).data, Import(html).data
    assert first == second
    assert len({block["id"] for block in first}) == 3


# Plain text (excerpts, standfirsts, captions)


def test_plain_text_strips_tags_decodes_entities_and_collapses_spaces():
    assert plain_text("  <p>Fish &amp; <b>chips</b></p>\n\n<p>on&nbsp;Friday</p> ") == (
        "Fish & chips on Friday"
    )
    assert plain_text("<script>alert(1)</script>Only <style>p{}</style>words") == "Only words"
    assert plain_text("") == ""
    assert plain_text("Line<br>break") == "Line break"


# On a real page


def test_an_imported_body_saves_on_an_article_and_reads_well_on_its_page(newsroom, client):
    photo = PhotoFactory(caption="Stored caption")
    html = (
        'Intro with a <a href="https://source.example/doc">source</a>.\n\n<h2>Details</h2>\n\n'
        '[caption id="attachment_3" width="300"]<img src="/up/a.jpg" alt="A" /> The pier[/caption]'
        "\n\nhttps://www.youtube.com/watch?v=pageTest1\n\n"
        "<blockquote><p>It held.</p><cite>The engineer</cite></blockquote>\n\n"
        "<ol>\n<li>First <em>finding</em></li>\n<li>Second</li>\n</ol>\n\n"
        '<iframe src="https://player.vimeo.com/video/555"></iframe><script>alert(1)</script>'
    )
    data = convert(html, body_format="wordpress", pictures=lambda p: photo.pk, report=print)
    body = ArticleBodyBlock().to_python(data)
    article = newsroom.article("Imported story", body=body)
    article.refresh_from_db()
    assert [block.block_type for block in article.body] == [
        "paragraph",
        "subhead",
        "image",
        "embed",
        "quote",
        "paragraph",
        "embed",
    ]
    page = BeautifulSoup(client.get(article.url).content, "html.parser")
    article_html = str(page.select_one("article") or page)
    assert 'href="https://source.example/doc"' in article_html
    assert page.find("h2", string="Details")
    figure = page.select_one("figure.inline-image")
    assert figure.find("img")["src"].startswith("/media/")
    assert "The pier" in figure.figcaption.get_text()
    assert [a["href"] for a in page.select(".link-card a")] == [
        "https://www.youtube.com/watch?v=pageTest1",
        "https://vimeo.com/555",
    ]
    assert "It held." in article_html and "The engineer" in article_html
    assert [li.decode_contents() for li in page.select("article ol li")] == [
        "First <i>finding</i>",
        "Second",
    ]
    assert "alert(1)" not in article_html
    # The reader's browser loads nothing from the other sites.
    for element in page.find_all(src=True):
        assert "youtube" not in element["src"] and "vimeo" not in element["src"]
    assert not page.find("iframe")
