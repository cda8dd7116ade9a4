"""WordPress's block editor markup: block comments around ordinary HTML.

A block post is HTML with `<!-- wp:name {"json": "attributes"} -->` … `<!-- /wp:name -->` around
each block (or `<!-- wp:name /-->` for a block that WordPress renders on the fly, such as a list
of latest posts). `to_html` turns such a body back into HTML that `body.py` reads like any other,
after the shortcodes and, outside blocks, the line breaks have been dealt with.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .shortcodes import autoembed, autop, expand

BLOCK_COMMENT = re.compile(
    r"<!--\s+(?P<closer>/)?wp:(?P<namespace>[a-z][a-z0-9_-]*/)?(?P<name>[a-z][a-z0-9_-]*)\s+"
    r"(?P<attrs>\{.*?\}\s+)?(?P<void>/)?-->",
    re.DOTALL,
)

# Blocks that hold no words of the story: a page break, the "read more" mark, blank space.
SILENT = {"core/more", "core/nextpage", "core/spacer", "core/separator"}
# Blocks whose text is shown as written: no shortcodes, no paragraphs made from line breaks.
VERBATIM = {"core/code", "core/preformatted", "core/verse"}


@dataclass
class Block:
    name: str | None  # "core/paragraph", "core-embed/youtube"; None for classic HTML between blocks
    attrs: dict = field(default_factory=dict)
    parts: list[str | Block] = field(default_factory=list)  # HTML and inner blocks, in order


def has_blocks(text: str) -> bool:
    return BLOCK_COMMENT.search(text) is not None


def parse(text: str) -> list[Block]:
    """The body's blocks, nested as written. A closing comment without its opening one is
    ignored; a block left open ends with the body."""
    top: list[Block] = []
    stack: list[Block] = []

    def add(part: str | Block) -> None:
        if stack:
            stack[-1].parts.append(part)
        elif isinstance(part, Block):
            top.append(part)
        elif part.strip():
            top.append(Block(None, {}, [part]))

    position = 0
    for match in BLOCK_COMMENT.finditer(text):
        if match.start() > position:
            add(text[position : match.start()])
        position = match.end()
        name = (match["namespace"] or "core/") + match["name"]
        if match["closer"]:
            if any(open_block.name == name for open_block in stack):
                while stack:
                    done = stack.pop()
                    add(done)
                    if done.name == name:
                        break
            continue
        block = Block(name, _attributes(match["attrs"]))
        if match["void"]:
            add(block)
        else:
            stack.append(block)
    if position < len(text):
        add(text[position:])
    while stack:
        done = stack.pop()
        add(done)
    return top


def _attributes(raw: str | None) -> dict:
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def to_html(text: str, report: Callable[[str], None]) -> str:
    """The body as HTML: classic parts get their paragraphs from line breaks (`autop`),
    shortcodes are expanded everywhere but in code, and an embed block carries its address."""
    return "".join(_render(block, report) for block in parse(text))


def _render(block: Block, report: Callable[[str], None]) -> str:
    if block.name is None:
        return autop(expand(autoembed("".join(_strings(block))), report))
    if block.name in SILENT:
        return ""
    if block.name in VERBATIM:
        return "".join(_strings(block))
    if block.name == "core/shortcode":
        return autop(expand("".join(_strings(block)), report))
    inner = "".join(
        _render(part, report) if isinstance(part, Block) else expand(part, report)
        for part in block.parts
    )
    if block.name == "core/embed" or block.name.startswith("core-embed/"):
        url = block.attrs.get("url")
        provider = block.attrs.get("providerNameSlug") or block.name.partition("/")[2]
        if isinstance(url, str) and url:
            return (
                f'<figure class="wp-block-embed" data-url="{html.escape(url)}" '
                f'data-provider="{html.escape(str(provider))}">{inner}</figure>'
            )
    if (
        block.name == "core/cover"
        and "<img" not in inner
        and isinstance(block.attrs.get("url"), str)
    ):
        # Older covers show their picture as a CSS background, which the cleaning drops.
        number = block.attrs.get("id")
        number = f' data-source-id="{number}"' if isinstance(number, int) else ""
        inner = f'<img src="{html.escape(block.attrs["url"])}" alt=""{number}>' + inner
    if not inner.strip() and not any(isinstance(part, Block) for part in block.parts):
        # A block WordPress fills in when the page is shown (latest posts, a search form).
        report(f"block not imported [wp:{block.name.removeprefix('core/')}]")
    return inner


def _strings(block: Block) -> list[str]:
    return [part for part in block.parts if isinstance(part, str)]
