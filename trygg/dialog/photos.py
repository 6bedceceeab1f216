"""Photos from the public: the shared photo hygiene of trygg.lib.photos (type by content, re-encoded, nothing
of the original file survives) with the public form's tighter limits."""

from __future__ import annotations

from trygg.lib.photos import PhotoError, process_photo

__all__ = ["MAX_BYTES", "PhotoError", "reencode"]

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before decoding
MAX_SIDE = 2000  # stored photos are scaled down to this on the long side


def reencode(data: bytes) -> bytes:
    """A new JPEG of the photo: orientation applied, scaled to MAX_SIDE, no metadata at all."""
    return process_photo(data, max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS, max_side=MAX_SIDE).data
