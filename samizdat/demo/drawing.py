"""The demo's pictures, drawn with Pillow so that loading needs no network.

Abstract scenes rather than flat fills: a sky gradient, a low light, a skyline, hills or a crowd,
then lens blur, vignette and grain, so the pages look the way a paper with photographs looks.
"""

from __future__ import annotations

import math
import random
import zlib
from functools import cache
from io import BytesIO

from PIL import Image, ImageChops, ImageDraw, ImageFilter

Colour = tuple[int, int, int]


def _mix(a: Colour, b: Colour, t: float) -> Colour:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _gradient(size: tuple[int, int], top: Colour, bottom: Colour) -> Image.Image:
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


@cache
def _vignette(size: tuple[int, int]) -> Image.Image:
    return Image.radial_gradient("L").resize(size).point(lambda v: min(110, int(v * 0.5)))


@cache
def _grain(size: tuple[int, int]) -> Image.Image:
    noise = Image.effect_noise(size, 40).convert("RGB")
    return Image.blend(Image.new("RGB", size, (128, 128, 128)), noise, 0.3)


def _glow(image: Image.Image, centre: tuple[int, int], radius: int, colour: Colour) -> None:
    mask = Image.new("L", image.size, 0)
    x, y = centre
    ImageDraw.Draw(mask).ellipse((x - radius, y - radius, x + radius, y + radius), fill=255)
    mask = mask.filter(ImageFilter.GaussianBlur(radius * 1.2)).point(lambda v: int(v * 0.8))
    image.paste(Image.new("RGB", image.size, colour), (0, 0), mask)


def _develop(sketch: Image.Image, size: tuple[int, int]) -> bytes:
    """Blow the small sketch up to size and give it a lens and film, as a JPEG."""
    image = sketch.filter(ImageFilter.GaussianBlur(0.6)).resize(size, Image.Resampling.BICUBIC)
    image = Image.composite(Image.new("RGB", size, (8, 8, 12)), image, _vignette(size))
    image = ImageChops.overlay(image, _grain(size))
    out = BytesIO()
    image.save(out, "JPEG", quality=82)
    return out.getvalue()


def draw_photo(colour: Colour, seed: str, size: tuple[int, int] = (1600, 900)) -> bytes:
    """An abstract news photograph in the given colour; the same seed draws the same picture."""
    rng = random.Random(zlib.crc32(seed.encode()))
    w, h = size[0] // 4, size[1] // 4
    light = _mix(colour, (250, 244, 230), 0.6)
    ground = _mix(colour, (8, 8, 12), 0.72)
    horizon = int(h * rng.uniform(0.58, 0.72))
    sky_top = light if rng.random() < 0.5 else _mix(colour, (255, 255, 255), 0.35)
    image = _gradient((w, h), sky_top, _mix(colour, (255, 255, 255), 0.1))

    radius = rng.randint(h // 14, h // 8)
    sun = (rng.randint(w // 5, 4 * w // 5), rng.randint(horizon - 3 * radius, horizon - radius))
    _glow(image, sun, radius * 3, _mix(light, (255, 250, 235), 0.5))
    draw = ImageDraw.Draw(image, "RGBA")
    x, y = sun
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(*light, 235))

    composition = rng.choice(("skyline", "hills", "crowd"))
    if composition == "skyline":
        x = -rng.randint(0, 10)
        while x < w:
            width, height = rng.randint(w // 30, w // 10), rng.randint(h // 12, int(h * 0.42))
            draw.rectangle(
                (x, horizon - height, x + width, h), fill=_mix(ground, colour, rng.uniform(0, 0.3))
            )
            for wy in range(horizon - height + 4, h - 4, 6):
                for wx in range(x + 3, x + width - 3, 5):
                    if rng.random() < 0.22:
                        draw.rectangle((wx, wy, wx + 1, wy + 2), fill=(*light, 190))
            x += width + rng.randint(0, 4)
    elif composition == "hills":
        for layer in range(3):
            base = horizon + layer * h // 10
            points = [(0, h)]
            phase, amplitude = rng.uniform(0, 6.3), rng.randint(h // 20, h // 8)
            for i in range(0, w + 8, 8):
                wave = (1 + _wave(i / w * rng.uniform(3, 6) + phase)) / 2
                points.append((i, base - int(amplitude * wave)))
            points.append((w, h))
            draw.polygon(points, fill=_mix(ground, colour, 0.45 - layer * 0.18))
    else:
        draw.rectangle((0, horizon, w, h), fill=_mix(ground, colour, 0.3))
        people = sorted(
            (rng.uniform(0.6, 1.4), rng.randint(0, w)) for _ in range(rng.randint(12, 22))
        )
        for scale, px in people:  # far figures first, near ones over them
            height = h * 0.34 * scale
            feet = horizon + h * 0.3 * (scale - 0.6)
            head = height * 0.075
            neck = feet - height + 2 * head
            shoulders = height * 0.13
            shade = _mix(ground, colour, 0.3 - 0.25 * (scale - 0.6))
            draw.ellipse((px - head, neck - 2 * head, px + head, neck + head * 0.2), fill=shade)
            draw.rounded_rectangle(
                (px - shoulders, neck + head * 0.4, px + shoulders, feet),
                radius=max(1, int(head)),
                fill=shade,
            )
            draw.rectangle(
                (px - shoulders * 0.7, feet - height * 0.45, px + shoulders * 0.7, h), fill=shade
            )

    if rng.random() < 0.6:  # a shaft of light across the frame
        x0 = rng.randint(w // 4, w)
        draw.polygon(
            [(x0, 0), (x0 + w // 6, 0), (x0 - w // 3, h), (x0 - w // 2, h)], fill=(*light, 20)
        )
    return _develop(image, size)


def _wave(x: float) -> float:
    # Two sines make a less regular ridge line than one.
    return 0.7 * math.sin(x) + 0.3 * math.sin(2.7 * x + 1.3)


def draw_portrait(colour: Colour, seed: str, size: tuple[int, int] = (600, 600)) -> bytes:
    """A head-and-shoulders silhouette against a studio backdrop in the given colour."""
    rng = random.Random(zlib.crc32(seed.encode()))
    w, h = size[0] // 3, size[1] // 3
    light = _mix(colour, (250, 244, 230), 0.5)
    image = _gradient((w, h), light, colour)
    _glow(image, (w // 2 + rng.randint(-w // 5, w // 5), h // 3), w // 4, light)
    draw = ImageDraw.Draw(image, "RGBA")
    figure = _mix(colour, (15, 15, 20), 0.75)
    cx = w // 2 + rng.randint(-w // 12, w // 12)
    head_w, head_h = w * rng.uniform(0.15, 0.18), h * rng.uniform(0.2, 0.23)
    draw.ellipse((cx - w * 0.42, h * 0.7, cx + w * 0.42, h * 1.4), fill=figure)
    draw.rectangle((cx - w * 0.07, h * 0.5, cx + w * 0.07, h * 0.76), fill=figure)
    draw.ellipse((cx - head_w, h * 0.42 - head_h, cx + head_w, h * 0.42 + head_h), fill=figure)
    side = rng.choice((-1, 1))
    draw.arc(
        (cx - head_w + side * 2, h * 0.42 - head_h, cx + head_w + side * 2, h * 0.42 + head_h),
        start=-60 if side > 0 else 120,
        end=60 if side > 0 else 240,
        fill=(*_mix(light, (255, 255, 255), 0.5), 110),
        width=2,
    )
    return _develop(image, size)
