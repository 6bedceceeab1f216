import pytest

from trygg.lib import sweden


def test_all_290_municipalities_and_21_counties_are_listed():
    assert len(sweden.municipalities()) == 290
    assert len(sweden.county_names()) == 21
    assert (
        sweden.county_names()[sweden.municipalities()["1482"]["county_code"].zfill(2)]
        == "Västra Götalands län"
    )


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Kungälvs kommun", "1482"),
        ("Kungälv", "1482"),
        ("  kungälvs   KOMMUN ", "1482"),
        ("Ale kommun", "1440"),
        ("Ale", "1440"),
        ("Göteborgs Stad", "1480"),
        ("1482", "1482"),
        ("114", "0114"),
        ("Upplands Väsby", "0114"),
    ],
)
def test_names_and_codes_match_the_kommunkod(name, code):
    assert sweden.code_for_name(name) == code


@pytest.mark.parametrize("name", ["", "Trygghetsstaden", "9999", "Kungälv kommunförbund"])
def test_unknown_names_match_nothing(name):
    assert sweden.code_for_name(name) is None


def test_every_listed_name_matches_its_own_code():
    for code, row in sweden.municipalities().items():
        assert sweden.code_for_name(row["municipality_name"]) == code
