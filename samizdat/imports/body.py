"""An imported story's body, as the blocks of an article (`newsroom.blocks.ArticleBodyBlock`).

`convert` reads a body as WordPress (block comments, shortcodes, classic line breaks) or Ghost
(plain HTML with its cards) wrote it and returns StreamField raw data: paragraphs, subheads,
quotes, images and embeds shown as link cards. Imported bodies are shown to readers and nothing in
an export is trusted, so the output is built, not filtered: only text (escaped) and the paragraph
editor's own tags (<p>, <b>, <i>, <a href>, <ul>, <ol>, <li>, <br>) are ever written, and a link
keeps its address only when it is http(s), mailto or relative.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable
from html import escape, unescape
from typing import Literal
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from . import gutenberg
from .shortcodes import canonical, provider
from .source import Picture

PARSER = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
# Dropped with everything inside: code, styling, forms and other sites' players.
DROPPED = {
    "script", "style", "template", "noscript", "head", "title", "meta", "link", "base", "form",
    "input", "select", "textarea", "button", "option", "svg", "math", "canvas", "map", "frameset",
    "frame", "applet", "param", "source", "track", "slot", "datalist", "output", "progress",
}  # fmt: skip
CONTAINERS = {
    "div", "section", "article", "main", "header", "footer", "nav", "aside", "address",
    "details", "summary", "center", "dl", "dt", "dd", "fieldset", "legend", "hgroup", "caption",
    "body", "html", "figcaption", "li", "tr", "td", "th", "thead", "tbody", "tfoot", "menu",
    "dialog", "search", "p",
}  # fmt: skip
BOLD = {"b", "strong"}
ITALIC = {"i", "em"}
GHOST_PLAYERS = {"kg-audio-card", "kg-video-card"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
SAFE_SCHEMES = {"http", "https", "mailto"}
TABLE_CELL_SEPARATOR = " · "
MAX_DEPTH = 150  # deeper nesting is read as text: no story needs it, a hostile body might
NAMESPACE = uuid.UUID("6f1c1b7e-3c50-4d63-9a59-2f1e3b0f6a10")


def convert(
    html: str,
    *,
    body_format: Literal["wordpress", "html"],
    pictures: Callable[[Picture], int | None],
    report: Callable[[str], None],
) -> list[dict]:
    """The body's blocks as StreamField raw data, each with a stable id (the same body gives
    the same data, so importing it again changes nothing).

    `pictures` is asked for each picture in the body and returns the id of its Photo, or None
    when its file is missing: then the image and its caption are left out (the caller reports
    the file). A picture the body names only by its WordPress attachment id (`[gallery
    ids="…"]`) comes as `Picture(url="", source_id="12")`; an image block's picture carries its
    attachment id too where the markup names it (`wp-image-12`).

    `report` is told, once per body, what could not be carried over: "unknown shortcode
    [name]", "table flattened", "video not imported", "block not imported [wp:name]".
    """
    said: set[str] = set()

    def report_once(message: str) -> None:
        if message not in said:
            said.add(message)
            report(message)

    if body_format == "wordpress":
        html = gutenberg.to_html(_printable(html), report_once)
    walker = _Walker(pictures, report_once)
    root = _parse(html)
    if root.get("data-flattened"):
        report_once("body nested too deeply: imported as plain text")
    walker.walk(root)
    walker.flush()
    digest = hashlib.sha256(html.encode("utf-8", "replace")).hexdigest()
    return [
        {"type": kind, "value": value, "id": str(uuid.uuid5(NAMESPACE, f"{digest}:{index}"))}
        for index, (kind, value) in enumerate(walker.blocks)
    ]


def plain_text(html: str) -> str:
    """The words of a bit of HTML (an excerpt, a caption): no tags, entities decoded,
    whitespace collapsed."""
    return _collapse(_text(_parse(html)))


def _printable(text: str) -> str:
    # Control characters other than line breaks and tabs cannot be parsed (and mean nothing).
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text or "")


def _parse(html: str) -> lxml.html.HtmlElement:
    html = _printable(html)
    if not html.strip():
        return lxml.html.Element("div")
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div", parser=PARSER)
    except (etree.ParserError, ValueError):
        return lxml.html.Element("div")
    if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in PARSER.error_log):
        # The parser stops at a few hundred open tags (unclosed <font>s pasted from a word
        # processor can get there) and would lose the rest: keep the words instead.
        root = lxml.html.Element("div", {"data-flattened": "1"})
        for paragraph in _words_of_markup(html):
            lxml.html.etree.SubElement(root, "p").text = paragraph
    return root


def _words_of_markup(html: str) -> list[str]:
    """The paragraphs of text in markup too broken to parse, found with plain patterns."""
    html = re.sub(r"<!--.*?(?:-->|$)", "", html, flags=re.S)
    hidden = "script|style|template|noscript|svg|math|textarea|title|iframe|object"
    html = re.sub(rf"<({hidden})\b.*?(?:</\1\s*>|$)", "", html, flags=re.S | re.I)
    html = re.sub(
        r"</?(?:p|div|h[1-6]|li|tr|blockquote|pre|table|ul|ol|figure)\b[^>]*>",
        "\n\n",
        html,
        flags=re.I,
    )
    text = unescape(re.sub(r"<[^>]*>", " ", html))
    return [_collapse(part) for part in re.split(r"\n\s*\n", text) if part.strip()]


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _text(element, depth: int = 0) -> str:
    """Text with a space at block boundaries, nothing from dropped elements."""
    parts = [element.text or ""] if _tag(element) not in DROPPED else []
    for child in element:
        tag = _tag(child)
        if tag not in DROPPED:
            if tag == "img" and _is_emoji(child):
                parts.append(child.get("alt", ""))
            elif depth > MAX_DEPTH:
                parts.append(child.text_content())
            else:
                separate = tag in CONTAINERS or tag in HEADINGS or tag in ("br", "ul", "ol")
                text = _text(child, depth + 1)
                parts.append(f" {text} " if separate else text)
        parts.append(child.tail or "")
    return "".join(parts)


def _tag(element) -> str:
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def _classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def safe_href(href: str | None) -> str | None:
    """The address a link may keep: http(s), mailto or relative; None for anything else."""
    if not href:
        return None
    # Browsers drop tabs and line breaks anywhere in an address ("java\tscript:") and spaces
    # at its ends; spaces inside are kept (and percent-encoded when written).
    href = re.sub(r"[\x00-\x1f\x7f]+", "", href).strip(" ")
    if not href:
        return None
    if href.startswith("//"):
        return "https:" + href
    scheme = SCHEME.match(href)
    if scheme and scheme[1].lower() not in SAFE_SCHEMES:
        return None
    if href.startswith("\\") or href.startswith("/\\"):
        return None
    return href


def _is_emoji(img) -> bool:
    # WordPress shows smileys and emoji as little pictures from its own servers.
    src = img.get("src") or ""
    return bool(_classes(img) & {"wp-smiley", "emoji"}) or "/images/core/emoji/" in src


class _Walker:
    """Walks the parsed body once, gathering inline content into the paragraph being written
    and ending it at each block-level element."""

    def __init__(self, pictures, report):
        self.pictures = pictures
        self.report = report
        self.blocks: list[tuple[str, object]] = []
        self.buffer: list[str] = []
        self.open: list[tuple[str, str]] = []  # inline tags open in the paragraph: (name, opening)
        self.caption_for = None  # the figure's last image, which its caption belongs to
        self.caption = ("", "")

    # Paragraphs

    def write(self, text: str) -> None:
        if text:
            self.buffer.append(escape(text, quote=False))

    def flush(self) -> None:
        closing = "".join(f"</{name}>" for name, _ in reversed(self.open))
        html = _tidy("".join(self.buffer) + closing)
        if _has_words(html):
            self.blocks.append(("paragraph", f"<p>{html}</p>"))
        self.buffer = [opening for _, opening in self.open]

    def inline(self, element, name: str, opening: str, depth: int) -> None:
        if any(open_name == name for open_name, _ in self.open):
            self.children(element, depth)
            return
        self.open.append((name, opening))
        self.buffer.append(opening)
        self.children(element, depth)
        self.open.pop()
        self.buffer.append(f"</{name}>")

    # Walking

    def walk(self, element, depth: int = 0) -> None:
        self.children(element, depth)

    def children(self, element, depth: int) -> None:
        self.write(element.text)
        for child in element:
            if depth > MAX_DEPTH:
                self.write(child.text_content())
            else:
                self.element(child, depth + 1)
            self.write(child.tail)

    def element(self, element, depth: int) -> None:
        tag = _tag(element)
        if tag in DROPPED or not tag:
            return
        classes = _classes(element)
        if classes & GHOST_PLAYERS:  # a player of the old site's own files, with its controls
            self.flush()
            self.report(f"{'audio' if 'kg-audio-card' in classes else 'video'} not imported")
        elif "kg-callout-card" in classes:
            self.callout(element, depth)
        elif tag in BOLD:
            self.inline(element, "b", "<b>", depth)
        elif tag in ITALIC:
            self.inline(element, "i", "<i>", depth)
        elif tag == "a":
            href = safe_href(element.get("href"))
            if href is None or any(name == "a" for name, _ in self.open):
                self.children(element, depth)
            else:
                self.inline(element, "a", f'<a href="{escape(_quote_url(href))}">', depth)
        elif tag == "br":
            self.buffer.append("<br/>")
        elif tag == "img":
            self.image(element)
        elif tag in HEADINGS:
            self.flush()
            text = _collapse(_text(element))
            if text:
                self.blocks.append(("subhead", text))
            for img in element.iter("img"):
                self.image(img)
        elif tag in ("ul", "ol"):
            self.flush()
            self.bullets(element, tag, depth)
        elif tag == "blockquote" or (tag == "aside" and "kg-blockquote-alt" in _classes(element)):
            self.flush()
            self.quote(element)
        elif tag == "figure":
            self.flush()
            self.figure(element, depth)
        elif tag == "table":
            self.flush()
            self.table(element, depth)
        elif tag == "pre":
            self.flush()
            self.preformatted(element)
        elif tag in ("iframe", "embed", "object"):
            self.flush()
            self.player(element)
        elif tag in ("video", "audio"):
            self.report(f"{tag} not imported")
        elif tag == "hr":
            self.flush()
        elif tag in CONTAINERS:
            self.flush()
            self.children(element, depth)
            self.flush()
        else:  # span, code, u, small, sup, font and unknown tags: their content only
            self.children(element, depth)

    # Block-level elements

    def image(self, img) -> None:
        if _is_emoji(img):
            self.write(img.get("alt", ""))
            return
        src = (img.get("src") or "").strip()
        if not src or src.startswith("data:"):  # lazy-loading plugins keep the real one aside
            src = (img.get("data-src") or img.get("data-lazy-src") or "").strip()
        number = re.search(r"\bwp-image-(\d+)\b", img.get("class") or "")
        source_id = img.get("data-source-id") or img.get("data-id") or (number and number[1])
        source_id = source_id if source_id and source_id.isdigit() else ""
        if src.startswith("data:") or (src and SCHEME.match(src) and not safe_href(src)):
            src = ""
        if not src and not source_id:
            return
        caption, credit = self.caption if img is self.caption_for else ("", "")
        picture = Picture(
            url=src,
            alt=_collapse(img.get("alt") or ""),
            caption=caption,
            credit=credit,
            title=_collapse(img.get("title") or ""),
            source_id=source_id,
        )
        photo = self.pictures(picture)
        if photo is None:
            return
        self.flush()
        self.blocks.append(("image", {"image": photo, "caption": caption}))

    def figure(self, figure, depth: int) -> None:
        classes = _classes(figure)
        if "kg-bookmark-card" in classes:
            return self.bookmark(figure)
        if classes & {"wp-block-embed", "kg-embed-card"} or figure.find(".//iframe") is not None:
            return self.embed_figure(figure)
        if figure.find(".//blockquote") is not None:
            return self.quote(figure.find(".//blockquote"))
        own_images = [img for img in figure.iter("img") if _figure_of(img) is figure]
        captions = [c for c in figure.iter("figcaption") if _figure_of(c) is figure]
        pictured = [
            f for f in figure.iter("figure") if f is not figure and f.find(".//img") is not None
        ]
        inside_caption = (
            bool(pictured and captions) and captions[-1] in pictured[-1].iterancestors()
        )
        if (
            not own_images
            and pictured
            and captions
            and not inside_caption
            and pictured[-1].find(".//figcaption") is None
        ):
            # A gallery's caption goes under its last picture, unless that has its own.
            pictured[-1].append(captions[-1])
            captions = captions[:-1]
        if not own_images or not captions:
            self.children(figure, depth)
            self.flush()
            return
        caption = captions[-1]
        credit = " ".join(_collapse(_text(c)) for c in caption.iter() if _is_credit(c))
        for part in list(caption.iter()):
            if part is not caption and _is_credit(part):
                part.drop_tree()
        outer = (self.caption_for, self.caption)
        self.caption_for, self.caption = own_images[-1], (_collapse(_text(caption)), credit)
        for found in captions:
            found.drop_tree()
        self.children(figure, depth)
        self.caption_for, self.caption = outer
        self.flush()

    def callout(self, card, depth: int) -> None:
        # Ghost's callout: an emoji and a few words, read as one paragraph.
        self.flush()
        for part in card.iter():
            if "kg-callout-emoji" in _classes(part):
                self.write(_collapse(_text(part)) + " ")
        for part in card.iter():
            if "kg-callout-text" in _classes(part):
                self.children(part, depth)
        self.flush()

    def quote(self, quote) -> None:
        classes = _classes(quote)
        if classes & {"twitter-tweet", "instagram-media", "tiktok-embed", "bluesky-embed"}:
            links = [safe_href(a.get("href")) for a in quote.iter("a")]
            links = [link for link in links if link and link.startswith("http")]
            if links:
                self.embed(canonical(quote.get("data-instgrm-permalink") or links[-1]))
                return
        attribution = ""
        for cite in list(quote.iter("cite", "footer")):
            if not attribution:
                attribution = _collapse(_text(cite)).lstrip("—–- ").strip()
            cite.drop_tree()
        lines = [_collapse(line) for line in _lines(quote)]
        text = "\n".join(line for line in lines if line)
        if text:
            self.blocks.append(("quote", {"text": text, "attribution": attribution}))

    def bullets(self, element, tag: str, depth: int) -> None:
        items, hoisted = [], []
        for child in element:
            if _tag(child) in DROPPED:
                continue
            inner, blocks = self.fragment(child, depth, lists=True)
            hoisted += blocks
            if inner:
                items.append(f"<li>{inner}</li>")
        if items:
            self.blocks.append(("paragraph", f"<{tag}>{''.join(items)}</{tag}>"))
        self.blocks += hoisted

    def table(self, table, depth: int) -> None:
        self.report("table flattened")
        for caption in table.iter("caption"):
            self.children(caption, depth)
            self.flush()
        hoisted = []
        for row in table.iter("tr"):
            cells = []
            for cell in row:
                if _tag(cell) not in ("td", "th"):
                    continue
                inner, blocks = self.fragment(cell, depth, lists=False)
                hoisted += blocks
                if inner:
                    cells.append(f"<b>{inner}</b>" if _tag(cell) == "th" else inner)
            if cells:
                self.blocks.append(("paragraph", f"<p>{TABLE_CELL_SEPARATOR.join(cells)}</p>"))
        self.blocks += hoisted

    def fragment(self, element, depth: int, lists: bool) -> tuple[str, list]:
        """A list item's or table cell's content as inline HTML, and the pictures and other
        blocks found in it, which go after the list or table."""
        inner = _Walker(self.pictures, self.report)
        inner.children(element, depth)
        inner.flush()
        parts, hoisted = [], []
        for kind, value in inner.blocks:
            if kind == "paragraph" and value.startswith("<p>"):
                parts.append(value[3:-4])
            elif kind == "paragraph":  # a nested list
                if lists:
                    parts.append(value)
                else:
                    parts.append(re.sub(r"</?[uo]l>|<li>", "", value).replace("</li>", "<br/>"))
            elif kind == "subhead":
                parts.append(escape(value, quote=False))
            else:
                hoisted.append((kind, value))
        html = ""
        for part in parts:
            if html and not part.startswith(("<ul>", "<ol>")) and not html.endswith("l>"):
                html += "<br/>"
            html += part
        return _tidy(html), hoisted

    def preformatted(self, pre) -> None:
        lines = _text_verbatim(pre).strip("\n").split("\n")
        html = "<br/>".join(
            escape(re.sub(r"^[ \t]+", lambda m: "\xa0" * len(m[0].expandtabs(4)), line), False)
            for line in lines
        )
        if _has_words(html):
            self.blocks.append(("paragraph", f"<p>{html}</p>"))

    # Embeds: a link card to the original page; the reader's browser never loads the other site.

    def player(self, element) -> None:
        src = element.get("src") or element.get("data") or element.get("data-src") or ""
        if _tag(element) == "object" and not src:
            for param in element.iter("param", "embed"):
                src = param.get("value") or param.get("src") or ""
                if src.startswith(("http", "//")):
                    break
        self.embed(canonical(src), title=_collapse(element.get("title") or ""))

    def embed_figure(self, figure) -> None:
        url = figure.get("data-url") or ""
        for frame in figure.iter("iframe", "embed"):
            url = url or canonical(frame.get("src") or frame.get("data-src") or "")
        for quote in figure.iter("blockquote"):
            for a in quote.iter("a"):
                url = url or (a.get("href") or "")
        if not url:
            found = re.search(r"https?://[^\s<>\"]+", _text(figure))
            url = found[0] if found else ""
        captions = list(figure.iter("figcaption"))
        title = _collapse(_text(captions[-1])) if captions else ""
        if not title:
            title = next((_collapse(f.get("title") or "") for f in figure.iter("iframe")), "")
        self.embed(canonical(url), title=title)

    def bookmark(self, figure) -> None:
        def part(name: str) -> str:
            found = figure.find_class(name)
            return _collapse(_text(found[0])) if found else ""

        links = figure.find_class("kg-bookmark-container") or list(figure.iter("a"))
        url = links[0].get("href") if links else ""
        self.embed(
            url or "",
            title=part("kg-bookmark-title"),
            source=part("kg-bookmark-author") or part("kg-bookmark-publisher"),
            description=part("kg-bookmark-description"),
        )

    def embed(self, url: str, title: str = "", source: str = "", description: str = "") -> None:
        url = safe_href((url or "").strip()) or ""
        if not url.startswith(("http://", "https://")) or not urlsplit(url).hostname:
            self.report("embed without a web address skipped")
            return
        readable = re.sub(r"^https?://(www\.)?", "", url).rstrip("/")
        self.flush()
        value = {
            "url": _quote_url(url),
            "title": title or readable[:200],
            "source": source or provider(url) or readable.split("/")[0],
            "description": description,
        }
        self.blocks.append(("embed", value))


def _figure_of(element):
    parent = element.getparent()
    while parent is not None and _tag(parent) != "figure":
        parent = parent.getparent()
    return parent


def _is_credit(element) -> bool:
    return any("credit" in name for name in _classes(element))


def _lines(element) -> list[str]:
    """Text split at block boundaries (the paragraphs of a quote)."""
    return re.split(r"\n", _text_with_breaks(element))


def _text_with_breaks(element, depth: int = 0) -> str:
    parts = [element.text or ""]
    for child in element:
        tag = _tag(child)
        if tag not in DROPPED and depth <= MAX_DEPTH:
            if tag in CONTAINERS or tag in HEADINGS or tag in ("br", "ul", "ol"):
                parts.append("\n" + _text_with_breaks(child, depth + 1) + "\n")
            elif tag == "img" and _is_emoji(child):
                parts.append(child.get("alt", ""))
            else:
                parts.append(_text_with_breaks(child, depth + 1))
        parts.append(child.tail or "")
    return "".join(parts).replace("\r", "")


def _text_verbatim(element) -> str:
    parts = [element.text or ""]
    for child in element:
        tag = _tag(child)
        if tag == "br":
            parts.append("\n")
        elif tag not in DROPPED:
            parts.append(_text_verbatim(child))
        parts.append(child.tail or "")
    return "".join(parts).replace("\r\n", "\n")


def _quote_url(url: str) -> str:
    # Spaces and quotes would end the address early in some readers' hands; browsers read the
    # percent-encoded form the same.
    return re.sub(r"[\s\"'<>`]", lambda m: f"%{ord(m[0]):02X}", url)


def _has_words(html: str) -> bool:
    text = re.sub(r"<[^>]*>", "", html)
    return bool(text.strip())


def _tidy(html: str) -> str:
    html = re.sub(r"[ \t\n\r\f]+", " ", html)
    previous = None
    while previous != html:
        previous = html
        html = re.sub(r"<(b|i)>(\s*)</\1>", r"\2", html)
        html = re.sub(r'<a href="[^"]*">(\s*)</a>', r"\1", html)
        html = re.sub(r"^(\s|<br/>)+|(\s|<br/>)+$", "", html)
        html = re.sub(r"\s*<br/>\s*", "<br/>", html)
        # Break or space at the edges of an inline tag, moved outside it.
        html = re.sub(r"<(b|i|a [^>]*)>((?:\s|<br/>)+)", r"\2<\1>", html)
        html = re.sub(r"((?:\s|<br/>)+)</(b|i|a)>", r"</\2>\1", html)
    return html
