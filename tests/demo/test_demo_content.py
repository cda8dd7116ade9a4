"""The demo's words live in data files: what a writer puts in them is what the loader builds."""

from __future__ import annotations

import tomllib
from pathlib import Path

import samizdat.demo
from samizdat.demo import content
from samizdat.demo.content import paragraphs, story_body

STORY = """\
The council met **late**, in *private*, and [published](https://example.org/a?b=1&c=2) the
budget the next morning.

## What changes

> Nobody takes the night tram.
>
> — A councillor, who asked not to
> be named

![](a-story/3)

```embed
url = "https://example.org/video/flood"
title = "The water: reaches the square"
source = "Video"
description = "Filmed in the morning."
```

The end.
"""


def test_a_story_file_becomes_the_blocks_of_the_article():
    assert story_body(STORY) == [
        (
            "paragraph",
            '<p>The council met <b>late</b>, in <i>private</i>, and <a href="https://example.org/'
            'a?b=1&amp;c=2">published</a> the budget the next morning.</p>',
        ),
        ("subhead", "What changes"),
        (
            "quote",
            {
                "text": "Nobody takes the night tram.",
                "attribution": "A councillor, who asked not to be named",
            },
        ),
        ("image", "a-story/3"),
        (
            "embed",
            {
                "url": "https://example.org/video/flood",
                "title": "The water: reaches the square",
                "source": "Video",
                "description": "Filmed in the morning.",
            },
        ),
        ("paragraph", "<p>The end.</p>"),
    ]


def test_markdown_paragraphs_become_rich_text_paragraphs():
    assert paragraphs("One line\nwrapped.\n\nTwo < three.") == (
        "<p>One line wrapped.</p><p>Two &lt; three.</p>"
    )


def test_every_story_is_told_the_same_way_in_both_languages():
    sections = {section["slug"] for section in content.SECTIONS}
    authors = {author["slug"] for author in content.AUTHORS}
    assert len(content.ARTICLES) >= 20
    for story in content.ARTICLES:
        english, russian = story["en"]["body"], story["ru"]["body"]
        # The same blocks in the same order: a picture is the same picture in both.
        assert [kind for kind, _ in english] == [kind for kind, _ in russian], story["slug"]
        pictures = [story["picture"]] + [value for kind, value in english if kind == "image"]
        assert pictures[1:] == [value for kind, value in russian if kind == "image"]
        for key in pictures:
            picture = content.PICTURES[key]
            assert picture["credit"][1], f"{key}: no agency for {picture['photographer']}"
            assert picture["en"]["alt"] and picture["ru"]["alt"], key
        assert story["section"] in sections and set(story["authors"]) <= authors
        assert story["en"]["title"] != story["ru"]["title"]
        assert story["status"] in ("live", "scheduled", "draft")
        if story["status"] == "live":
            assert story["days_ago"] >= 0 and 0 <= story["hours_ago"] < 24


def test_the_data_files_ship_with_the_package():
    """A non-editable install gets the demo's words too, not only its code."""
    package = Path(samizdat.demo.__file__).parent
    pyproject = tomllib.loads((package.parents[1] / "pyproject.toml").read_text())
    package_data = pyproject["tool"]["setuptools"]["package-data"]
    patterns = package_data.get("samizdat.demo", []) + package_data.get("*", [])
    shipped = {path for pattern in patterns for path in package.glob(pattern) if path.is_file()}
    data = {path for path in (package / "data").rglob("*") if path.is_file()}
    assert data and data <= shipped
