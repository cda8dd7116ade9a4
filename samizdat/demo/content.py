"""The demo newsroom's words, read from the data files in samizdat/demo/data/ once, on import.

The TOML files hold the newsroom, its sections, authors, pictures, reader revenue and appeals,
each in both languages. Each story is two Markdown files, stories/en/<slug>.md and
stories/ru/<slug>.md (the same name makes the translation), with TOML front matter between
"+++" lines. The English front matter says when and where the story ran:

    status        live, scheduled or draft
    days_ago, hours_ago          when a live story was published (the translation: 30 min later)
    updated_hours_after          a live story's update, that many hours after publication
    days_ahead    when a scheduled story goes live
    section, authors, picture    slugs, and the key of the lead picture in pictures.toml

A story's body is blocks separated by blank lines:

    ## A subhead
    > Quoted words
    >
    > — Who said them
    ![](picture-key)
    ```embed
    url = "…"  (and title, source, description: TOML)
    ```
    Any other block is a paragraph, with **bold**, *italic* and [links](https://…).

Bios, appeals' bodies and the reach page's texts are such paragraphs too.
"""

from __future__ import annotations

import html
import re
import tomllib
from pathlib import Path

DATA = Path(__file__).parent / "data"
LANGUAGES = ("en", "ru")

_INLINE = [
    (re.compile(r"\*\*(.+?)\*\*"), r"<b>\1</b>"),
    (re.compile(r"\*(.+?)\*"), r"<i>\1</i>"),
    (re.compile(r"\[(.+?)\]\((\S+?)\)"), r'<a href="\2">\1</a>'),
]


def paragraphs(text: str) -> str:
    """Markdown paragraphs as the rich text Wagtail stores: <p> elements."""
    return "".join(f"<p>{_inline(block)}</p>" for block in _blocks(text))


def _inline(text: str) -> str:
    text = html.escape(text, quote=False)
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return text


def _blocks(text: str) -> list[str]:
    """Blank-line separated blocks, each one line: wrapped lines join with a space."""
    blocks = re.split(r"\n\s*\n", text.strip())
    return [" ".join(line.strip() for line in block.splitlines()) for block in blocks if block]


def _read(name: str) -> dict:
    with (DATA / name).open("rb") as fh:
        return tomllib.load(fh)


def _story_body(text: str) -> list[tuple[str, object]]:
    body: list[tuple[str, object]] = []
    # Fenced blocks first, so blank lines inside them do not split them.
    for fenced, plain in re.findall(r"^```embed\n(.*?)^```$|((?:(?!^```).)+)", text, re.S | re.M):
        if fenced:
            body.append(("embed", tomllib.loads(fenced)))
            continue
        for block in re.split(r"\n\s*\n", plain.strip()):
            if block:
                body.append(_story_block(block))
    return body


def _story_block(block: str) -> tuple[str, object]:
    if block.startswith("## "):
        return "subhead", " ".join(block[3:].split("\n"))
    if block.startswith(">"):
        lines = [line.removeprefix(">").strip() for line in block.splitlines()]
        words, _, attribution = "\n".join(lines).partition("\n\n")
        return "quote", {
            "text": " ".join(words.split("\n")),
            "attribution": " ".join(attribution.split("\n")).removeprefix("— "),
        }
    picture = re.fullmatch(r"!\[\]\((\S+)\)", block)
    if picture:
        return "image", picture[1]
    return "paragraph", paragraphs(block)


def _front_matter(path: Path) -> tuple[dict, str]:
    _, front, body = path.read_text().split("+++\n", 2)
    return tomllib.loads(front), body


def _stories() -> list[dict]:
    stories = []
    for path in sorted((DATA / "stories" / "en").glob("*.md")):
        story, _ = _front_matter(path)
        story["slug"] = path.stem
        story["tags"] = {}
        for code in LANGUAGES:
            words, body = _front_matter(DATA / "stories" / code / path.name)
            story["tags"][code] = words.get("tags", [])
            story[code] = {
                "title": words["title"],
                "standfirst": words.get("standfirst", ""),
                "body": _story_body(body),
            }
        stories.append(story)
    return stories


def _pictures() -> dict[str, dict]:
    agencies = _read("photographers.toml")
    pictures = _read("pictures.toml")
    for picture in pictures.values():
        picture["credit"] = (picture["photographer"], agencies[picture["photographer"]])
    return pictures


def _with_rich_text(items: list[dict], *keys: str) -> list[dict]:
    for item in items:
        for code in LANGUAGES:
            for key in keys:
                item[code][key] = paragraphs(item[code][key])
    return items


NEWSROOM = _read("newsroom.toml")
SECTIONS = _read("sections.toml")["sections"]
AUTHORS = _with_rich_text(_read("authors.toml")["authors"], "bio")
PICTURES = _pictures()
ARTICLES = _stories()
REACH = _with_rich_text([_read("reach.toml")], "intro", "onion_text", "other_ways")[0]

_revenue = _read("revenue.toml")
CAMPAIGN = _revenue["campaign"]
DONATION_FORMS = [
    {**form, "methods_by_edition": _revenue["methods_by_edition"]}
    for form in _revenue["donation_forms"]
]
APPEALS = _read("appeals.toml")["appeals"]
for _appeal in APPEALS:
    _with_rich_text(_appeal["variants"], "body")
