"""Synthetic images for demo data and benchmarks, drawn with Pillow. Deterministic: same seed, same bytes."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw


def synthetic_building(*, seed: int, damaged: float = 0.0, size: tuple[int, int] = (640, 420)) -> bytes:
    """A schematic building (walls, dome, minaret) on open ground; `damaged` 0..1 knocks parts away."""
    rng = random.Random(seed)  # noqa: S311 - synthetic pictures, not security
    width, height = size
    image = Image.new("RGB", size, (196, 214, 230))
    draw = ImageDraw.Draw(image)
    ground = int(height * 0.72)
    draw.rectangle([0, ground, width, height], fill=(150, 140, 110))
    left = rng.randint(width // 6, width // 3)
    right = left + rng.randint(width // 3, width // 2)
    top = ground - rng.randint(height // 5, height // 3)
    stone = (rng.randint(170, 200), rng.randint(150, 175), rng.randint(120, 140))
    if damaged < 0.95:
        wall_top = int(top + (ground - top) * damaged * 0.8)
        draw.rectangle([left, wall_top, right, ground], fill=stone, outline=(90, 80, 70))
        if damaged < 0.5:
            middle = (left + right) // 2
            radius = (right - left) // 4
            draw.pieslice(
                [middle - radius, top - radius, middle + radius, top + radius], 180, 360, fill=(120, 150, 160)
            )
            draw.rectangle([right + 10, top - 80, right + 24, ground], fill=stone, outline=(90, 80, 70))
        for _window in range(3):
            x = rng.randint(left + 10, max(left + 11, right - 30))
            draw.rectangle([x, ground - 60, x + 16, ground - 30], fill=(60, 50, 40))
    for _stone in range(int(60 * damaged)):
        x = rng.randint(left - 40, right + 40)
        y = rng.randint(ground - 10, ground + 30)
        draw.ellipse([x, y, x + rng.randint(6, 18), y + rng.randint(4, 12)], fill=(120, 110, 95))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def synthetic_document(*, seed: int, size: tuple[int, int] = (500, 700)) -> bytes:
    """A page of illegible synthetic 'handwriting' lines: an archival scan with no real content."""
    rng = random.Random(seed)  # noqa: S311 - synthetic pictures, not security
    image = Image.new("RGB", size, (236, 228, 205))
    draw = ImageDraw.Draw(image)
    y = 60
    while y < size[1] - 60:
        x = 50
        while x < size[0] - 60:
            length = rng.randint(15, 60)
            draw.line([x, y, x + length, y + rng.randint(-2, 2)], fill=(60, 50, 80), width=2)
            x += length + rng.randint(8, 16)
        y += rng.randint(24, 32)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
