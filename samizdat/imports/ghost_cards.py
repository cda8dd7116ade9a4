"""Ghost's editor documents (Lexical and Mobiledoc) rendered to plain HTML.

A Ghost export keeps each post's rendered `html`; these renderers are for posts whose `html` is
missing, so their body still comes across. The output uses only the elements a body converter
knows (paragraphs, headings, quotes, lists, figures, links); Ghost's cards become those or are
dropped, and every renderer returns notes of what it dropped for the import report.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html import escape

from bs4 import BeautifulSoup

__all__ = ["clean_html", "html_to_text", "markdown_to_html", "render_lexical", "render_mobiledoc"]

Notes = list[str]

# Elements whose content never reaches a reader's page, and attributes that run code.
_DANGEROUS_TAGS = ("script", "style", "iframe", "object", "embed", "frame", "frameset", "noscript")
_URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href")
_SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:", "/", "#", "__ghost_url__")


def _safe_url(url: object) -> str:
    url = str(url or "").strip()
    if not url:
        return ""
    lowered = re.sub(r"\s", "", url).lower()
    if ":" not in lowered.split("/")[0] or lowered.startswith(_SAFE_SCHEMES):
        return url
    return ""


# Anything that could run code sends a fragment through the parser; the rest is left as it is.
_SUSPICIOUS = re.compile(
    r"<\s*/?\s*(?:" + "|".join(_DANGEROUS_TAGS) + r")\b"
    r"|\s(?:on\w+|style|srcdoc)\s*="
    r"|(?:"
    + "|".join(_URL_ATTRIBUTES)
    + r")\s*=\s*[\"']?\s*(?!https?:|mailto:|tel:)[^\"'>/#]*[:&\\]",
    re.IGNORECASE,
)


def _runs_code(attribute: str, value: object) -> bool:
    if attribute.startswith("on") or attribute in ("style", "srcdoc"):
        return True
    return attribute in _URL_ATTRIBUTES and not _safe_url(value)


def clean_html(html: str) -> str:
    """Remove scripts, styles, frames, event handlers and `javascript:` links from a fragment."""
    if not html or not _SUSPICIOUS.search(html):
        return html or ""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(_DANGEROUS_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        for name in list(tag.attrs):
            if _runs_code(name.lower(), tag.attrs[name]):
                del tag.attrs[name]
    return str(soup)


def html_to_text(html: str) -> str:
    """A caption or bio written as HTML, as one line of plain text."""
    if not html:
        return ""
    text = BeautifulSoup(html, "html.parser").get_text(" ")
    return re.sub(r"\s+", " ", text).strip()


def _attr(name: str, value: object) -> str:
    return f' {name}="{escape(str(value))}"' if value else ""


def _figure(
    src: str, alt: str = "", caption_html: str = "", title: str = "", href: str = ""
) -> str:
    src = _safe_url(src)
    if not src:
        return ""
    img = f"<img{_attr('src', src)}{_attr('alt', alt)}{_attr('title', title)}>"
    href = _safe_url(href)
    if href:
        img = f'<a href="{escape(href)}">{img}</a>'
    caption = clean_html(caption_html).strip()
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f"<figure>{img}{figcaption}</figure>"


def _link_paragraph(url: str, text: str = "", caption_html: str = "") -> str:
    url = _safe_url(url)
    if not url:
        return ""
    html = f'<p><a href="{escape(url)}">{escape(text or url)}</a></p>'
    caption = html_to_text(caption_html)
    if caption:
        html += f"<p>{escape(caption)}</p>"
    return html


def _inline_or_paragraph(html: str) -> str:
    """An HTML field that may hold paragraphs already, or only inline text."""
    html = clean_html(html or "").strip()
    if not html:
        return ""
    if re.match(r"<(p|h[1-6]|ul|ol|blockquote|figure|pre|div)\b", html, re.I):
        return html
    return f"<p>{html}</p>"


# Cards: one renderer per Ghost card, fed the card's fields (the same names in both editors).


def _card_image(card: dict, notes: Notes) -> str:
    alt = card.get("alt") or card.get("altText") or ""
    return _figure(
        card.get("src", ""),
        alt,
        card.get("caption", ""),
        card.get("title", ""),
        card.get("href", ""),
    )


def _card_gallery(card: dict, notes: Notes) -> str:
    images = [i for i in card.get("images") or [] if isinstance(i, dict) and i.get("src")]
    images.sort(key=lambda i: i.get("row", 0) or 0)
    figures = []
    for number, image in enumerate(images, 1):
        caption = image.get("caption") or ""
        if number == len(images) and not caption:
            caption = card.get("caption") or ""  # the gallery's caption, under its last picture
        figures.append(_figure(image["src"], image.get("alt", ""), caption, image.get("title", "")))
    return "".join(figures)


def _card_bookmark(card: dict, notes: Notes) -> str:
    metadata = card.get("metadata") or {}
    return _link_paragraph(
        card.get("url", ""), metadata.get("title") or card.get("title", ""), card.get("caption", "")
    )


def _card_embed(card: dict, notes: Notes) -> str:
    url = card.get("url", "")
    if not _safe_url(url):
        notes.append("an embed without an address was dropped")
        return ""
    metadata = card.get("metadata") or {}
    return _link_paragraph(url, metadata.get("title", ""), card.get("caption", ""))


def _card_callout(card: dict, notes: Notes) -> str:
    text = clean_html(card.get("calloutText") or "").strip()
    if not text:
        return ""
    emoji = escape(card.get("calloutEmoji") or "")
    if re.match(r"<p\b", text, re.I):
        return re.sub(r"^<p([^>]*)>", lambda m: f"<p{m.group(1)}>{emoji} " if emoji else m[0], text)
    return f"<p>{emoji + ' ' if emoji else ''}{text}</p>"


def _card_toggle(card: dict, notes: Notes) -> str:
    heading = clean_html(card.get("heading") or "").strip()
    heading_html = f"<p><strong>{heading}</strong></p>" if heading else ""
    return heading_html + _inline_or_paragraph(card.get("content", ""))


def _button(url: str, text: str) -> str:
    return _link_paragraph(url, html_to_text(text)) if text else ""


def _card_button(card: dict, notes: Notes) -> str:
    return _button(card.get("buttonUrl", ""), card.get("buttonText", ""))


def _card_header(card: dict, notes: Notes) -> str:
    html = ""
    if card.get("header"):
        html += f"<h2>{clean_html(card['header'])}</h2>"
    if card.get("subheader"):
        html += _inline_or_paragraph(card["subheader"])
    if card.get("buttonEnabled"):
        html += _button(card.get("buttonUrl", ""), card.get("buttonText", ""))
    return html


def _card_html(card: dict, notes: Notes) -> str:
    return clean_html(card.get("html") or "")


def _card_markdown(card: dict, notes: Notes) -> str:
    return clean_html(markdown_to_html(card.get("markdown") or ""))


def _card_code(card: dict, notes: Notes) -> str:
    code = card.get("code") or ""
    if not code:
        return ""
    language = re.sub(r"[^\w+-]", "", card.get("language") or "")
    css = f' class="language-{language}"' if language else ""
    html = f"<pre><code{css}>{escape(code)}</code></pre>"
    caption = html_to_text(card.get("caption", ""))
    return html + (f"<p>{escape(caption)}</p>" if caption else "")


def _card_media(card: dict, notes: Notes) -> str:
    """Video, audio and file cards: a link to the file, since the body holds no players."""
    name = (
        card.get("title")
        or card.get("fileTitle")
        or html_to_text(card.get("caption", ""))
        or card.get("fileName")
        or ""
    )
    return _link_paragraph(card.get("src", ""), name)


def _card_product(card: dict, notes: Notes) -> str:
    html = ""
    if card.get("productImageSrc"):
        html += _figure(card["productImageSrc"])
    if card.get("productTitle"):
        html += f"<h3>{clean_html(card['productTitle'])}</h3>"
    html += _inline_or_paragraph(card.get("productDescription", ""))
    if card.get("productButtonEnabled"):
        html += _button(card.get("productUrl", ""), card.get("productButton", ""))
    return html


def _card_call_to_action(card: dict, notes: Notes) -> str:
    html = _inline_or_paragraph(card.get("textValue", ""))
    if card.get("showButton"):
        html += _button(card.get("buttonUrl", ""), card.get("buttonText", ""))
    if card.get("imageUrl"):
        html = _figure(card["imageUrl"]) + html
    return html


def _card_hr(card: dict, notes: Notes) -> str:
    return "<hr>"


def _card_dropped(card: dict, notes: Notes) -> str:
    return ""


_CARDS: dict[str, Callable[[dict, Notes], str]] = {
    "image": _card_image,
    "gallery": _card_gallery,
    "bookmark": _card_bookmark,
    "embed": _card_embed,
    "callout": _card_callout,
    "toggle": _card_toggle,
    "button": _card_button,
    "header": _card_header,
    "html": _card_html,
    "markdown": _card_markdown,
    "card-markdown": _card_markdown,  # Ghost 1's name for the markdown card
    "codeblock": _card_code,
    "code": _card_code,
    "video": _card_media,
    "audio": _card_media,
    "file": _card_media,
    "product": _card_product,
    "call-to-action": _card_call_to_action,
    "horizontalrule": _card_hr,
    "hr": _card_hr,
    # Members' sign-up forms, the paywall marker and e-mail-only content have no place in an
    # article's body.
    "signup": _card_dropped,
    "paywall": _card_dropped,
    "email": _card_dropped,
    "email-cta": _card_dropped,
    "at-link-search": _card_dropped,  # the editor's half-typed mention, never published
}


def _render_card(name: str, card: dict, notes: Notes) -> str:
    renderer = _CARDS.get(name)
    if renderer is None:
        notes.append(f"a “{name}” card was dropped (no equivalent)")
        return ""
    return renderer(card, notes)


# Lexical


_TEXT_FORMATS = (  # Lexical's text format bit flags, outermost first
    (1, "strong"),
    (2, "em"),
    (4, "s"),
    (8, "u"),
    (16, "code"),
    (32, "sub"),
    (64, "sup"),
    (128, "mark"),
)
_LEXICAL_BLOCKS = {"paragraph": "p", "quote": "blockquote", "extended-quote": "blockquote"}


def _lexical_text(node: dict) -> str:
    html = escape(node.get("text") or "", quote=False)
    flags = node.get("format") or 0
    if not isinstance(flags, int):
        return html
    for bit, tag in reversed(_TEXT_FORMATS):
        if flags & bit:
            html = f"<{tag}>{html}</{tag}>"
    return html


def _lexical_children(node: dict, notes: Notes) -> str:
    return "".join(_lexical_node(child, notes) for child in node.get("children") or [])


def _lexical_items(node: dict, notes: Notes) -> str:
    """A list's items; Lexical keeps a nested list as an item of its own, which HTML wants
    inside the item before it."""
    items: list[str] = []
    for child in node.get("children") or []:
        grandchildren = child.get("children") if isinstance(child, dict) else None
        nested = bool(grandchildren) and all(
            isinstance(g, dict) and g.get("type") == "list" for g in grandchildren
        )
        if nested and items and items[-1].endswith("</li>"):
            items[-1] = items[-1][: -len("</li>")] + _lexical_children(child, notes) + "</li>"
        else:
            items.append(_lexical_node(child, notes))
    return "".join(items)


def _lexical_node(node: dict, notes: Notes) -> str:
    if not isinstance(node, dict):
        return ""
    kind = node.get("type") or ""
    if kind in ("text", "extended-text", "hashtag"):
        return _lexical_text(node)
    if kind == "linebreak":
        return "<br>"
    if kind == "tab":
        return "\t"
    if kind == "zwnj":
        return ""
    if kind in ("link", "autolink", "at-link"):
        inner = _lexical_children(node, notes)
        url = _safe_url(node.get("url"))
        return f'<a href="{escape(url)}">{inner}</a>' if url else inner
    if kind in _LEXICAL_BLOCKS:
        inner = _lexical_children(node, notes)
        tag = _LEXICAL_BLOCKS[kind]
        if tag == "blockquote":
            inner = f"<p>{inner}</p>"
        return f"<{tag}>{inner}</{tag}>" if inner.strip() else ""
    if kind == "aside":  # Ghost's second quote style
        inner = _lexical_children(node, notes)
        return f"<blockquote><p>{inner}</p></blockquote>" if inner.strip() else ""
    if kind in ("heading", "extended-heading"):
        tag = node.get("tag") if re.fullmatch(r"h[1-6]", str(node.get("tag"))) else "h2"
        inner = _lexical_children(node, notes)
        return f"<{tag}>{inner}</{tag}>" if inner.strip() else ""
    if kind == "list":
        tag = "ol" if node.get("listType") == "number" or node.get("tag") == "ol" else "ul"
        start = node.get("start")
        start_attr = (
            f' start="{start}"' if tag == "ol" and isinstance(start, int) and start > 1 else ""
        )
        return f"<{tag}{start_attr}>{_lexical_items(node, notes)}</{tag}>"
    if kind == "listitem":
        return f"<li>{_lexical_children(node, notes)}</li>"
    if kind in ("tk", "root"):
        return _lexical_children(node, notes)
    if "children" in node and kind not in _CARDS:
        notes.append(f"an unknown “{kind}” element was kept as plain text")
        return _lexical_children(node, notes)
    return _render_card(kind, node, notes)


def render_lexical(document: str | dict) -> tuple[str, Notes]:
    """A Lexical document (as Ghost stores it, a JSON string) as HTML, with notes."""
    notes: Notes = []
    data = json.loads(document) if isinstance(document, str) else document
    root = data.get("root") if isinstance(data, dict) else None
    if not isinstance(root, dict):
        return "", ["the Lexical body has no root"]
    parts = [_lexical_node(child, notes) for child in root.get("children") or []]
    return "".join(parts), notes


# Mobiledoc


_MOBILEDOC_SECTION_TAGS = {
    "p": "p",
    "h1": "h1",
    "h2": "h2",
    "h3": "h3",
    "h4": "h4",
    "h5": "h5",
    "h6": "h6",
    "blockquote": "blockquote",
    "aside": "blockquote",
    "pull-quote": "blockquote",
}
_MOBILEDOC_MARKUPS = {"a", "b", "strong", "i", "em", "u", "s", "code", "sub", "sup", "mark"}


def _mobiledoc_markers(markers: list, markups: list, atoms: list, notes: Notes) -> str:
    html = []
    open_tags: list[str] = []
    for marker in markers:
        if not isinstance(marker, list) or len(marker) < 4:
            continue
        kind, opens, closes, value = marker[:4]
        for index in opens or []:
            markup = markups[index] if isinstance(index, int) and index < len(markups) else ["span"]
            tag = str(markup[0]).lower()
            attrs = markup[1] if len(markup) > 1 and isinstance(markup[1], list) else []
            if tag not in _MOBILEDOC_MARKUPS:
                open_tags.append("")
                continue
            attr_html = ""
            if tag == "a":
                pairs = dict(zip(attrs[::2], attrs[1::2], strict=False))
                attr_html = _attr("href", _safe_url(pairs.get("href")))
            html.append(f"<{tag}{attr_html}>")
            open_tags.append(tag)
        if kind == 1:
            atom = atoms[value] if isinstance(value, int) and value < len(atoms) else None
            if atom and atom[0] == "soft-return":
                html.append("<br>")
            elif atom:
                html.append(escape(str(atom[1]), quote=False))
        else:
            html.append(escape(str(value), quote=False))
        for _ in range(closes or 0):
            if open_tags:
                tag = open_tags.pop()
                if tag:
                    html.append(f"</{tag}>")
    html.extend(f"</{tag}>" for tag in reversed(open_tags) if tag)
    return "".join(html)


def render_mobiledoc(document: str | dict) -> tuple[str, Notes]:
    """A Mobiledoc 0.3 document (as Ghost stores it, a JSON string) as HTML, with notes."""
    notes: Notes = []
    data = json.loads(document) if isinstance(document, str) else document
    if not isinstance(data, dict):
        return "", ["the Mobiledoc body is not a document"]
    version = str(data.get("version", ""))
    if not version.startswith("0.3"):
        notes.append(f"Mobiledoc version {version or '(none)'} read as 0.3")
    markups = data.get("markups") or []
    atoms = data.get("atoms") or []
    cards = data.get("cards") or []
    html = []
    for section in data.get("sections") or []:
        if not isinstance(section, list) or not section:
            continue
        kind = section[0]
        if kind == 1 and len(section) >= 3:
            tag = _MOBILEDOC_SECTION_TAGS.get(str(section[1]).lower(), "p")
            inner = _mobiledoc_markers(section[2], markups, atoms, notes)
            if not inner.strip():
                continue
            if tag == "blockquote":
                inner = f"<p>{inner}</p>"
            html.append(f"<{tag}>{inner}</{tag}>")
        elif kind == 2 and len(section) >= 2:
            html.append(_figure(section[1]))
        elif kind == 3 and len(section) >= 3:
            tag = "ol" if str(section[1]).lower() == "ol" else "ul"
            items = "".join(
                f"<li>{_mobiledoc_markers(item, markups, atoms, notes)}</li>" for item in section[2]
            )
            html.append(f"<{tag}>{items}</{tag}>")
        elif kind == 10 and len(section) >= 2:
            index = section[1]
            if isinstance(index, int) and index < len(cards):
                name, payload = cards[index][0], cards[index][1] if len(cards[index]) > 1 else {}
                html.append(_render_card(str(name), payload or {}, notes))
    return "".join(html), notes


# Markdown (Ghost's markdown card): the common subset, enough for an archive's old posts.

_MD_INLINE = (
    (re.compile(r"!\[([^\]]*)\]\(\s*([^)\s]+)(?:\s+\"([^\"]*)\")?\s*\)"), "image"),
    (re.compile(r"\[([^\]]+)\]\(\s*([^)\s]+)(?:\s+\"[^\"]*\")?\s*\)"), "link"),
)


def _markdown_inline(text: str) -> str:
    codes: list[str] = []

    def keep_code(match: re.Match) -> str:
        codes.append(f"<code>{escape(match.group(1), quote=False)}</code>")
        return f"\x00{len(codes) - 1}\x00"

    text = re.sub(r"`([^`]+)`", keep_code, text)

    def image(match: re.Match) -> str:
        src = _safe_url(match.group(2))
        return f"<img{_attr('src', src)}{_attr('alt', match.group(1))}>" if src else ""

    def link(match: re.Match) -> str:
        url = _safe_url(match.group(2))
        return f'<a href="{escape(url)}">{match.group(1)}</a>' if url else match.group(1)

    text = _MD_INLINE[0][0].sub(image, text)
    text = _MD_INLINE[1][0].sub(link, text)
    text = re.sub(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", r"<strong>\2</strong>", text)
    text = re.sub(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])", r"<em>\2</em>", text)
    text = re.sub(r"~~(?=\S)(.+?)(?<=\S)~~", r"<s>\1</s>", text)
    text = re.sub(r"  \n", "<br>\n", text)
    return re.sub(r"\x00(\d+)\x00", lambda m: codes[int(m.group(1))], text)


def markdown_to_html(markdown: str) -> str:
    """Paragraphs, headings, quotes, lists, code, rules, links, images and emphasis; raw HTML
    blocks pass through (and are cleaned by the caller)."""
    lines = markdown.replace("\r\n", "\n").split("\n")
    html: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            html.append(f"<p>{_markdown_inline(chr(10).join(paragraph))}</p>")
            paragraph.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if stripped.startswith("```"):
            flush()
            language = re.sub(r"[^\w+-]", "", stripped[3:])
            code = []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith("```"):
                code.append(lines[i])
                i += 1
            css = f' class="language-{language}"' if language else ""
            html.append(f"<pre><code{css}>{escape(chr(10).join(code))}</code></pre>")
        elif not stripped:
            flush()
        elif heading := re.match(r"(#{1,6})\s+(.*?)\s*#*$", stripped):
            flush()
            level = len(heading.group(1))
            html.append(f"<h{level}>{_markdown_inline(heading.group(2))}</h{level}>")
        elif re.fullmatch(r"([-*_])(\s*\1){2,}", stripped):
            flush()
            html.append("<hr>")
        elif stripped.startswith(">"):
            flush()
            quote = []
            while i < len(lines) and lines[i].strip().startswith(">"):
                quote.append(re.sub(r"^\s*>\s?", "", lines[i]))
                i += 1
            html.append(f"<blockquote>{markdown_to_html(chr(10).join(quote))}</blockquote>")
            continue
        elif re.match(r"([-*+]|\d+[.)])\s+", stripped):
            flush()
            ordered = bool(re.match(r"\d", stripped))
            items = []
            while i < len(lines) and re.match(r"\s*([-*+]|\d+[.)])\s+", lines[i]):
                item = re.sub(r"^\s*([-*+]|\d+[.)])\s+", "", lines[i])
                items.append(f"<li>{_markdown_inline(item)}</li>")
                i += 1
            tag = "ol" if ordered else "ul"
            html.append(f"<{tag}>{''.join(items)}</{tag}>")
            continue
        elif stripped.startswith("<") and not paragraph:
            block = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i])
                i += 1
            html.append("\n".join(block))
            continue
        else:
            paragraph.append(stripped)
        i += 1
    flush()
    return "".join(html)
