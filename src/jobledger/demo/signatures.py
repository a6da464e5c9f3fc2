"""Representatives' signatures: a small hand-drawn-looking PNG each, kept in Django's storage."""

import math
import random
import struct
import zlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.text import slugify

WIDTH, HEIGHT = 240, 72


def store_signatures(names: list[str], seed: int) -> dict[str, str]:
    """Save one signature image per name; returns each name's stored file name."""
    stored = {}
    for index, name in enumerate(sorted(names)):
        image = signature_png(random.Random(seed + index))
        stored[name] = default_storage.save(
            f"signatures/demo/{slugify(name)}.png", ContentFile(image)
        )
    return stored


def signature_png(rng: random.Random) -> bytes:
    """A flowing pen stroke on white: a few loops along a slanted baseline."""
    pixels = bytearray(b"\xff" * (WIDTH * HEIGHT))
    loops = rng.randint(4, 7)
    phase, height = rng.random() * math.pi, rng.uniform(14, 24)
    steps = 1400
    for step in range(steps):
        t = step / steps
        x = 14 + t * (WIDTH - 28) + 7 * math.sin(t * loops * 2 * math.pi + phase)
        y = HEIGHT / 2 + 6 - 10 * t + height * math.sin(t * loops * math.pi * 2.7) * (1 - t / 2)
        _dot(pixels, int(x), int(y))
    return _png(pixels)


def _dot(pixels: bytearray, x: int, y: int) -> None:
    for dx in (0, 1):
        for dy in (0, 1):
            if 0 <= x + dx < WIDTH and 0 <= y + dy < HEIGHT:
                pixels[(y + dy) * WIDTH + x + dx] = 0x20


def _png(pixels: bytearray) -> bytes:
    """8-bit greyscale PNG; each row starts with filter byte 0 (none)."""
    rows = b"".join(b"\x00" + bytes(pixels[y * WIDTH : (y + 1) * WIDTH]) for y in range(HEIGHT))
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows, 9))
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)
