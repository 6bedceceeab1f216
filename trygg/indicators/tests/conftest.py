"""Fixtures for the indicators tests. Tests may read the real public files in ../shared/data."""

from pathlib import Path

import pytest

from trygg.indicators import actions

SHARED_DATA = Path(__file__).resolve().parents[4] / "shared" / "data"
TEST_DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present")
    return SHARED_DATA


@pytest.fixture
def test_data() -> Path:
    return TEST_DATA


@pytest.fixture
def regions(db):
    actions.do_seed_regions()


@pytest.fixture
def catalogue(regions):
    actions.do_seed_kolada_catalogue()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
