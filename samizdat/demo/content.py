"""The demo newsroom's words, read once, on import, from the files in data/ beside this module.

data/README.md describes them: TOML for the newsroom, sections, authors, pictures, reader revenue
and appeals; Markdown with TOML front matter for each story in each language.
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
    return "".join(f"<p>{_inline(_join(block))}</p>" for block in _split(text))


def _inline(text: str) -> str:
    text = html.escape(text, quote=False)
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return text


def _split(text: str) -> list[str]:
    return [block for block in re.split(r"\n\s*\n", text.strip()) if block]


def _join(block: str) -> str:
    """Wrapped lines are one line: they join with a space."""
    return " ".join(line.strip() for line in block.splitlines())


def _read(name: str) -> dict:
    with (DATA / name).open("rb") as fh:
        return tomllib.load(fh)


def story_body(text: str) -> list[tuple[str, object]]:
    """A story's Markdown as its body's (kind, value) blocks; a picture is its pictures.toml key."""
    body: list[tuple[str, object]] = []
    # Fenced blocks first, so blank lines inside them do not split them.
    for fenced, plain in re.findall(r"^```embed\n(.*?)^```$|((?:(?!^```).)+)", text, re.S | re.M):
        if fenced:
            body.append(("embed", tomllib.loads(fenced)))
            continue
        body.extend(_story_block(block) for block in _split(plain))
    return body


def _story_block(block: str) -> tuple[str, object]:
    if block.startswith("## "):
        return "subhead", _join(block[3:])
    if block.startswith(">"):
        lines = [line.removeprefix(">").strip() for line in block.splitlines()]
        words, _, attribution = "\n".join(lines).partition("\n\n")
        return "quote", {"text": _join(words), "attribution": _join(attribution).removeprefix("— ")}
    picture = re.fullmatch(r"!\[\]\((\S+)\)", block)
    if picture:
        return "image", picture[1]
    return "paragraph", paragraphs(block)


def _front_matter(path: Path) -> tuple[dict, str]:
    _, front, body = path.read_text(encoding="utf-8").split("+++\n", 2)
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
                "body": story_body(body),
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
