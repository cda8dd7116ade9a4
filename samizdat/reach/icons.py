"""The site's icon and the demo newsroom's logo, drawn here (no one else's artwork):
`python -m samizdat.reach.icons` writes them into samizdat/static/samizdat/, where they are
committed. favicon.ico is served at the site's root (WhiteNoise, WHITENOISE_ROOT) and at every
mirror's; the logo is the demo's SAMIZDAT_PUBLISHER_LOGO for search engines' structured data.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

STATIC = Path(__file__).resolve().parent.parent / "static" / "samizdat"
ROOT_FILES = Path(__file__).resolve().parent / "root"
ACCENT = (179, 38, 30)  # the pages' accent red
PAPER = (255, 255, 255)


def draw_icon(size: int = 64) -> Image.Image:
    """A red square with a white lantern: a flame in a frame, readable at 16 pixels."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    unit = size / 16
    draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=3 * unit, fill=ACCENT)
    draw.rectangle((6 * unit, 2 * unit, 10 * unit - 1, 3 * unit), fill=PAPER)  # the handle
    draw.rounded_rectangle(
        (4 * unit, 4 * unit, 12 * unit - 1, 14 * unit - 1),
        radius=2 * unit,
        outline=PAPER,
        width=max(1, round(unit)),
    )
    draw.ellipse((6.5 * unit, 6.5 * unit, 9.5 * unit - 1, 11.5 * unit - 1), fill=PAPER)
    return image


def draw_logo(name: str = "The Lantern", height: int = 60) -> Image.Image:
    """The icon and the newsroom's name, within Google's 600x60 for publisher logos."""
    font = ImageFont.load_default(size=round(height * 0.55))
    icon = draw_icon(height).convert("RGBA")
    text_width = round(ImageDraw.Draw(Image.new("RGB", (1, 1))).textlength(name, font=font))
    width = min(600, height + height // 4 + text_width + height // 6)
    image = Image.new("RGBA", (width, height), PAPER + (255,))
    image.alpha_composite(icon, (0, 0))
    draw = ImageDraw.Draw(image)
    draw.text((height + height // 4, height // 2), name, font=font, fill=(34, 34, 34), anchor="lm")
    return image


def write(static: Path = STATIC, root: Path = ROOT_FILES) -> list[Path]:
    root.mkdir(parents=True, exist_ok=True)
    icon, logo = root / "favicon.ico", static / "demo-logo.png"
    draw_icon(64).save(icon, sizes=[(16, 16), (32, 32), (48, 48)])
    draw_logo().convert("RGB").save(logo, optimize=True)
    return [icon, logo]


if __name__ == "__main__":
    for path in write():
        print(path, path.stat().st_size, "bytes")
