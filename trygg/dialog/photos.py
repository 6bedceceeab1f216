"""Photos from the public: checked by content (not by name or declared type), re-encoded with Pillow so that
nothing of the original file survives (EXIF with GPS position and device, XMP, comments, trailing bytes)."""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before decoding
MAX_SIDE = 2000  # stored photos are scaled down to this on the long side
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}


class PhotoError(ValueError):
    """The file is not an acceptable photo; the message is Swedish and meant for the resident."""


def reencode(data: bytes) -> bytes:
    """A new JPEG of the photo: orientation applied, scaled to MAX_SIDE, no metadata at all."""
    if len(data) > MAX_BYTES:
        raise PhotoError(f"Bilden är för stor (högst {MAX_BYTES // (1024 * 1024)} MB).")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind = probe.format
                width, height = probe.size
                probe.verify()
            if kind not in ALLOWED_FORMATS:
                raise PhotoError("Filen är inte en bild i formatet JPEG, PNG eller WebP.")
            if width * height > MAX_PIXELS:
                raise PhotoError("Bilden har för många bildpunkter.")
            with Image.open(io.BytesIO(data)) as image:
                image = ImageOps.exif_transpose(image)
                image.thumbnail((MAX_SIDE, MAX_SIDE))
                if image.mode not in ("RGB", "L"):
                    image = image.convert("RGB")
                clean = Image.new(image.mode, image.size)
                clean.paste(image)  # pixels only: no info dict, no EXIF, no ICC, no comments
                out = io.BytesIO()
                clean.save(out, format="JPEG", quality=85, optimize=True)
                return out.getvalue()
    except PhotoError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise PhotoError("Filen är inte en bild i formatet JPEG, PNG eller WebP.") from None
