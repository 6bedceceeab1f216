"""Photos: the type is read from the content, EXIF (GPS, device) never survives, limits hold."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from trygg.lib.photos import MAX_BYTES, PhotoError, process_photo

from .conftest import jpeg_with_gps


def test_the_fixture_really_carries_gps_exif():
    exif = Image.open(io.BytesIO(jpeg_with_gps())).getexif()
    assert exif.get(0x010F) == "Telefonfabrik"
    assert exif.get_ifd(0x8825).get(2) is not None


def test_it_strips_gps_and_device_from_a_jpeg():
    raw = jpeg_with_gps()
    result = process_photo(raw)
    image = Image.open(io.BytesIO(result.data))
    assert image.format == "JPEG" and (result.width, result.height) == (64, 48)
    exif = image.getexif()
    assert len(exif) == 0 and not exif.get_ifd(0x8825)
    assert b"Exif" not in result.data and b"Telefonfabrik" not in result.data
    assert b"Modell X" not in result.data


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_it_accepts_png_and_webp_and_stores_a_jpeg(fmt):
    out = io.BytesIO()
    Image.new("RGBA", (30, 20), (0, 0, 255, 128)).save(out, fmt)
    result = process_photo(out.getvalue())
    assert result.content_type == "image/jpeg"
    assert Image.open(io.BytesIO(result.data)).format == "JPEG"


def test_it_refuses_a_non_image_named_jpg():
    with pytest.raises(PhotoError, match="inte en bild"):
        process_photo(b"%PDF-1.4 this is not an image, whatever the name photo.jpg says")


def test_it_refuses_a_gif_by_content():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    with pytest.raises(PhotoError, match="JPEG, PNG eller WebP"):
        process_photo(out.getvalue())


def test_it_refuses_a_truncated_jpeg():
    with pytest.raises(PhotoError):
        process_photo(jpeg_with_gps()[:200])


def test_it_refuses_too_large_files_and_empty_ones():
    with pytest.raises(PhotoError, match="för stor"):
        process_photo(b"\xff\xd8" + b"0" * MAX_BYTES)
    with pytest.raises(PhotoError, match="tom"):
        process_photo(b"")


def test_it_shrinks_large_photos():
    out = io.BytesIO()
    Image.new("RGB", (4000, 1000), (10, 10, 10)).save(out, "JPEG")
    result = process_photo(out.getvalue())
    assert max(result.width, result.height) == 2048
