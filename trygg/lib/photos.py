"""Photo hygiene for walk findings and residents' submissions (no Django): the type is read from the content, never from the file name; size
and pixel count are bounded; the image is re-encoded as a new JPEG, so no EXIF (GPS position, device, time),
XMP, ICC or comment of the original survives. The orientation in EXIF is applied to the pixels first, so the
photo still stands the right way up."""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 12 * 1024 * 1024  # a phone photo is 2–8 MB
MAX_PIXELS = 50_000_000  # refuses decompression bombs long before memory runs out
MAX_SIDE = 2048  # enough to see a broken lamp; keeps the stored photo a few hundred kB
QUALITY = 85
ALLOWED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}


class PhotoError(ValueError):
    """A photo was refused; the message is Swedish and meant for the user."""


@dataclass(frozen=True)
class ProcessedPhoto:
    data: bytes
    content_type: str
    width: int
    height: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def process_photo(
    raw: bytes, *, max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS, max_side: int = MAX_SIDE
) -> ProcessedPhoto:
    """Validate and re-encode an uploaded photo. Raises PhotoError (Swedish) for anything that is not a
    JPEG, PNG or WebP image within the limits."""
    if not raw:
        raise PhotoError("Filen är tom.")
    if len(raw) > max_bytes:
        raise PhotoError(f"Bilden är för stor: högst {max_bytes // (1024 * 1024)} MB.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw)) as probe:
                kind = probe.format
                if kind not in ALLOWED_FORMATS:
                    raise PhotoError("Filen är inte en bild i formatet JPEG, PNG eller WebP.")
                if probe.width * probe.height > max_pixels:
                    raise PhotoError("Bilden har för många pixlar.")
                probe.verify()  # structural check; the image must be opened again afterwards
            with Image.open(io.BytesIO(raw)) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
    except PhotoError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError("Filen är inte en bild i formatet JPEG, PNG eller WebP.") from None
    except (OSError, SyntaxError, ValueError):
        raise PhotoError("Bilden är skadad och kan inte läsas.") from None

    if image.mode not in ("RGB", "L"):
        # Transparency is flattened onto white: the stored photo is always a JPEG.
        rgba = image.convert("RGBA")
        image = Image.new("RGB", rgba.size, (255, 255, 255))
        image.paste(rgba, mask=rgba.getchannel("A"))
    image.thumbnail((max_side, max_side))
    # A fresh image holding only the pixels: nothing of the original's info (EXIF, XMP, ICC) can follow.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=QUALITY, optimize=True)
    return ProcessedPhoto(out.getvalue(), "image/jpeg", clean.width, clean.height)
