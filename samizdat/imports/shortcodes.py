"""WordPress's classic content: shortcodes and paragraphs made from line breaks.

`expand` turns the shortcodes we understand into HTML that `body.py` reads (`[caption]` into a
figure, `[gallery]` into one picture per attachment, `[embed]` into an embed), removes the tags of
the others (keeping the text they enclose) and reports each name once.

`autop` gives classic text its paragraphs as WordPress shows them: a blank line starts a
paragraph, a single line break is a `<br>`, except next to block-level tags such as tables and
lists, and never inside `<pre>`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

# WordPress only expands shortcodes a plugin registered; the rest stay as text. Here the plugin
# is gone, so a bracketed word counts as a shortcode when it looks like one: it has name="value"
# attributes, closes itself (`/]`), has a closing tag, or its name has `_` or `-` (`[vc_row]`,
# `[contact-form-7]`). "[sic]", "[1]" and "[Updated]" stay as the writer typed them.
TAG = re.compile(
    r"\[(?P<escaped>\[)?(?P<closing>/)?(?P<name>[A-Za-z][\w-]*)(?P<attrs>\s[^\[\]]*?)?"
    r"(?P<self>/)?\](?P<escaped_end>\])?"
)
ATTRIBUTE = re.compile(
    r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s'"\]]+))"""
    r"""|"([^"]*)"|'([^']*)'|(\S+)"""
)
UNDERSTOOD = {"caption", "wp_caption", "gallery", "embed"}
# Private-use characters mark the places of escaped shortcodes while the others are expanded.
MARK = re.compile("\ue000(\\d+)\ue001")


def attributes(raw: str | None) -> dict[str, str]:
    found: dict[str, str] = {}
    for match in ATTRIBUTE.finditer((raw or "").replace("\xa0", " ")):
        if match[1]:
            value = next((v for v in match.groups()[1:4] if v is not None), "")
            found[match[1].lower()] = value
    return found


def expand(text: str, report: Callable[[str], None]) -> str:
    if "[" not in text:
        return text
    text = text.replace("\ue000", "").replace("\ue001", "")
    literal: list[str] = []

    def keep(match: re.Match) -> str:
        literal.append(match[1])
        return f"\ue000{len(literal) - 1}\ue001"

    # `[[name]]` and `[[name]…[/name]]` are how a writer shows a shortcode as text.
    text = re.sub(r"\[(\[([A-Za-z][\w-]*)\b[^\[\]]*\].*?\[/\2\])\]", keep, text, flags=re.S)
    text = _enclosing(text, "caption|wp_caption", _caption)
    text = _enclosing(text, "embed", _embed)

    def replace(match: re.Match) -> str:
        name = match["name"].lower()
        if match["escaped"] and match["escaped_end"]:
            return match[0][1:-1]
        if not _looks_like_shortcode(match, text):
            return match[0]
        rest = (match["escaped_end"] or "") if not match["escaped"] else ""
        prefix = "[" if match["escaped"] else ""
        if name == "gallery" and not match["closing"]:
            return prefix + _gallery(attributes(match["attrs"]), report) + rest
        if name not in UNDERSTOOD:
            report(f"unknown shortcode [{name}]")
        return prefix + rest

    text = TAG.sub(replace, text)
    return MARK.sub(lambda match: literal[int(match[1])], text)


def _looks_like_shortcode(match: re.Match, text: str) -> bool:
    name = match["name"]
    if name.lower() in UNDERSTOOD or "_" in name or "-" in name:
        return True
    if match["closing"]:
        return f"[{name}" in text[: match.start()]
    if match["self"] or "=" in (match["attrs"] or ""):
        return True
    return f"[/{name}]" in text[match.end() :]


def _enclosing(text: str, names: str, render: Callable[[dict, str], str]) -> str:
    pattern = rf"(?<!\[)\[({names})(\s[^\[\]]*)?\](.*?)\[/\1\]"
    return re.sub(pattern, lambda m: render(attributes(m[2]), m[3]), text, flags=re.S | re.I)


def _caption(attrs: dict[str, str], content: str) -> str:
    # The picture (perhaps inside its link) comes first, then the caption's words, unless the
    # caption is given as an attribute (the older form).
    match = re.match(r"\s*((?:<a\s[^>]*>\s*)?<img\s[^>]*>(?:\s*</a>)?)(.*)", content, re.S | re.I)
    picture, words = (match[1], match[2]) if match else ("", content)
    words = attrs["caption"] if attrs.get("caption") else words.strip()
    number = re.sub(r"\D", "", attrs.get("id", ""))
    source = f' data-source-id="{number}"' if number else ""
    return f"<figure{source}>{picture}<figcaption>{words}</figcaption></figure>"


def _embed(attrs: dict[str, str], content: str) -> str:
    url = html.unescape(re.sub(r"<[^>]*>", "", content)).strip() or attrs.get("src", "")
    return f'<figure class="wp-block-embed" data-url="{html.escape(url)}"></figure>'


def _gallery(attrs: dict[str, str], report: Callable[[str], None]) -> str:
    ids = [part.strip() for part in (attrs.get("ids") or attrs.get("include") or "").split(",")]
    ids = [number for number in ids if number.isdigit()]
    if not ids:
        # Without ids WordPress shows the pictures attached to the post, which the body
        # does not name.
        report("gallery without ids skipped")
        return ""
    return "".join(f'<figure><img data-source-id="{number}"></figure>' for number in ids)


# Sites whose addresses WordPress turns into embedded players (its oEmbed providers), and the
# name a link card shows for them.
PROVIDERS = {
    "youtube.com": "YouTube",
    "youtu.be": "YouTube",
    "youtube-nocookie.com": "YouTube",
    "vimeo.com": "Vimeo",
    "twitter.com": "X (Twitter)",
    "x.com": "X (Twitter)",
    "instagram.com": "Instagram",
    "facebook.com": "Facebook",
    "soundcloud.com": "SoundCloud",
    "spotify.com": "Spotify",
    "tiktok.com": "TikTok",
    "flickr.com": "Flickr",
    "flic.kr": "Flickr",
    "dailymotion.com": "Dailymotion",
    "reddit.com": "Reddit",
    "tumblr.com": "Tumblr",
    "wordpress.tv": "WordPress.tv",
    "imgur.com": "Imgur",
    "ted.com": "TED",
    "mixcloud.com": "Mixcloud",
    "slideshare.net": "SlideShare",
    "scribd.com": "Scribd",
    "issuu.com": "Issuu",
    "speakerdeck.com": "Speaker Deck",
    "kickstarter.com": "Kickstarter",
    "t.me": "Telegram",
    "bsky.app": "Bluesky",
}


def provider(url: str) -> str:
    """The known site an address belongs to ("YouTube"), or ""."""
    host = (urlsplit(url).hostname or "").lower()
    while host:
        if host in PROVIDERS:
            return PROVIDERS[host]
        host = host.partition(".")[2]
    return ""


def canonical(url: str) -> str:
    """The page a player's address (an iframe's src) stands for, where we know the site:
    youtube.com/embed/ID is youtube.com/watch?v=ID."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path
    query = parse_qs(parts.query)
    if host in ("youtube.com", "youtube-nocookie.com", "m.youtube.com"):
        found = re.match(r"/(?:embed|v)/([\w-]+)", path)
        if found:
            return f"https://www.youtube.com/watch?v={found[1]}"
    if host == "player.vimeo.com":
        found = re.match(r"/video/(\d+)", path)
        if found:
            return f"https://vimeo.com/{found[1]}"
    if host == "open.spotify.com" and path.startswith("/embed/"):
        return "https://open.spotify.com/" + path.removeprefix("/embed/").split("?")[0]
    if host == "dailymotion.com" and path.startswith("/embed/video/"):
        return "https://www.dailymotion.com/video/" + path.removeprefix("/embed/video/")
    if host == "instagram.com":
        found = re.match(r"/(p|reel|tv)/([\w-]+)", path)
        if found:
            return f"https://www.instagram.com/{found[1]}/{found[2]}/"
    if host == "platform.twitter.com" and query.get("id"):
        return f"https://twitter.com/i/status/{query['id'][0]}"
    for key in ("url", "href"):  # SoundCloud's and Facebook's players name the page
        if host in ("w.soundcloud.com", "facebook.com") and query.get(key):
            inner = query[key][0]
            if inner.startswith(("http://", "https://")):
                return inner
    if url.startswith("//"):
        return "https:" + url
    return url


def autoembed(text: str) -> str:
    """An address alone on its line: a known site's becomes an embed (as WordPress shows it
    as a player), any other a link."""

    def card(match: re.Match) -> str:
        url = html.unescape(match["url"])
        if provider(url):
            return f'\n<figure class="wp-block-embed" data-url="{html.escape(url)}"></figure>\n'
        return (
            f'{match["before"]}<a href="{html.escape(url)}">{html.escape(url)}</a>{match["after"]}'
        )

    lone = r'(?P<before>^[ \t]*|<p>\s*)(?P<url>https?://[^\s<>"]+)(?P<after>[ \t]*$|\s*</p>)'
    return re.sub(lone, card, text, flags=re.M | re.I)


def autop(text: str) -> str:
    """Paragraphs from blank lines and <br>s from single line breaks. WordPress also keeps
    block-level tags (tables, lists, headings) out of its paragraphs and drops the line breaks
    next to them; here the HTML parser and `body.py` do that for every body alike."""
    if not text.strip():
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept: list[str] = []

    def keep(match: re.Match) -> str:
        kept.append(match[0])
        return f"\n\n\ue002{len(kept) - 1}\ue003\n\n"

    text = re.sub("[\ue002-\ue004]", "", text)
    text = re.sub(r"<pre[\s>].*?</pre>", keep, text, flags=re.S | re.I)
    text = re.sub(r"<!--.*?(?:-->|$)", "", text, flags=re.S)
    # A tag written over several lines is one tag, not a line break.
    text = re.sub(r"<[^>]*>", lambda tag: tag[0].replace("\n", "\ue004"), text)
    # Two <br>s in a row were the old editor's paragraph break.
    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text, flags=re.I)
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text)]
    text = "".join(f"<p>{part}</p>\n" for part in paragraphs if part)
    text = re.sub(r"[ \t]*\n(?!\s*$)", "<br />\n", text)
    text = re.sub("\ue002(\\d+)\ue003", lambda match: kept[int(match[1])], text)
    return text.replace("\ue004", "\n")
