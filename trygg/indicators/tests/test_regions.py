import pytest

from trygg.indicators import regions


def test_it_knows_290_kommuner_21_lan_7_polisregioner_and_riket():
    kinds = [row.kind for row in regions.all_regions()]
    assert kinds.count("kommun") == 290
    assert kinds.count("lan") == 21
    assert kinds.count("polisregion") == 7
    assert kinds.count("riket") == 1


def test_kungalv_lies_in_vastra_gotaland_and_polisregion_vast():
    kungalv = regions.get("1482")
    assert kungalv.name == "Kungälvs kommun"
    assert kungalv.short_name == "Kungälv"
    assert kungalv.county_code == "14"
    assert kungalv.police_region_code == "PR-VAST"


@pytest.mark.parametrize(
    ("county", "police_region"),
    [
        ("01", "PR-STHLM"),
        ("09", "PR-STHLM"),
        ("25", "PR-NORD"),
        ("12", "PR-SYD"),
        ("17", "PR-BERGSLAGEN"),
        ("06", "PR-OST"),
        ("21", "PR-MITT"),
        ("13", "PR-VAST"),
    ],
)
def test_every_county_maps_to_its_police_region(county, police_region):
    assert regions.police_region_for_county()[county] == police_region


def test_each_of_the_21_counties_is_in_exactly_one_police_region():
    counties = [c for _code, _name, members in regions.POLICE_REGIONS for c in members]
    assert sorted(counties) == sorted(r.code for r in regions.all_regions() if r.kind == "lan")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0000", "00"),
        ("00", "00"),
        ("0014", "14"),
        ("14", "14"),
        ("1482", "1482"),
        (1482, "1482"),
        ("114", "0114"),
        ("pr-vast", "PR-VAST"),
        ("9999", None),
        ("abc", None),
        ("", None),
    ],
)
def test_it_normalises_scb_and_kolada_codes(raw, expected):
    assert regions.normalise_code(raw) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Hela landet", "00"),
        ("Kungälv", "1482"),
        ("Kungälvs kommun", "1482"),
        ("  kungälv ", "1482"),
        ("Västra Götalands län", "14"),
        ("Polisregion Väst", "PR-VAST"),
        ("Atlantis", None),
    ],
)
def test_it_resolves_names_as_bra_writes_them(name, expected):
    assert regions.resolve(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # A bare name is the kommun, even where a län or polisregion has the same short name.
        ("Stockholm", "0180"),
        ("Uppsala", "0380"),
        ("Jönköping", "0680"),
        ("Kalmar", "0880"),
        ("Örebro", "1880"),
        ("Gotland", "0980"),
        ("Region Gotland", "0980"),
        ("Stockholms kommun", "0180"),
        # "… län" is the län.
        ("Stockholms län", "01"),
        ("Uppsala län", "03"),
        ("Jönköpings län", "06"),
        ("Kalmar län", "08"),
        ("Örebro län", "18"),
        ("Gotlands län", "09"),
        ("Stockholm län", "01"),
        # "Polisregion …" is the polisregion.
        ("Polisregion Stockholm", "PR-STHLM"),
        ("polisregion bergslagen", "PR-BERGSLAGEN"),
        # Riket under its usual names.
        ("Riket", "00"),
        ("Hela landet", "00"),
        ("Sverige", "00"),
        # Short names no kommun has still find their län or polisregion.
        ("Västra Götaland", "14"),
        ("Bergslagen", "PR-BERGSLAGEN"),
    ],
)
def test_bare_names_are_kommuner_and_lan_and_polisregion_need_their_word(name, expected):
    assert regions.resolve(name) == expected


@pytest.mark.parametrize(
    ("population", "group"),
    [
        (48647, "Mellanstor kommun (15 000–49 999 inv.)"),
        (2400, "Mindre kommun (under 15 000 inv.)"),
        (50_000, "Större kommun (50 000–199 999 inv.)"),
        (1_000_000, "Storstad (minst 200 000 inv.)"),
        (None, ""),
    ],
)
def test_size_class_groups_municipalities_by_population(population, group):
    assert regions.size_class(population) == group
