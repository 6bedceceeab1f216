"""Plain Swedish in the lägesbild: class labels, area names instead of H3 ids, the method page, histories."""

from types import SimpleNamespace

import h3.api.basic_int as h3_int
import pytest
from django.urls import reverse

from trygg.situation import hotspots, wording
from trygg.situation.templatetags.situation_words import history_text


def place(name, lat, lon):
    return SimpleNamespace(
        name=name, lat=lat, lon=lon, **{f"h3_r{r}": h3_int.latlng_to_cell(lat, lon, r) for r in (7, 8, 9)}
    )


def test_every_class_has_a_plain_label_without_jargon():
    for cls in hotspots.CLASSES:
        label = wording.plain_label(cls)
        assert label.startswith(("Fler händelser än vanligt", "Färre än vanligt", "Ingen säker skillnad"))
        assert "Gi" not in label and "%" not in label


def test_a_cell_is_named_by_its_places_else_the_nearest_place_else_its_district():
    vita = place("Vita fläcken", 57.8745, 11.9560)
    komarken = place("Komarken", 57.8610, 11.9720)
    namer = wording.CellNamer([vita, komarken])
    assert namer.name(vita.h3_r9) == "Vita fläcken"
    # a neighbouring cell with no place inside: the nearest named place
    neighbour = next(c for c in h3_int.grid_ring(vita.h3_r9, 1) if c != komarken.h3_r9)
    assert namer.name(neighbour) == "Nära Vita fläcken"
    # far from every place: the district holding the cell's centre, else the distance to the nearest place
    far = h3_int.latlng_to_cell(57.95, 11.70, 9)
    lat, lon = h3_int.cell_to_latlng(far)
    square = [
        [lon - 0.01, lat - 0.01],
        [lon + 0.01, lat - 0.01],
        [lon + 0.01, lat + 0.01],
        [lon - 0.01, lat + 0.01],
    ]
    district = SimpleNamespace(
        name="Ytterby", geometry={"type": "Polygon", "coordinates": [[*square, square[0]]]}
    )
    assert wording.CellNamer([vita], [district]).name(far) == "I Ytterby"
    assert wording.CellNamer([vita]).name(far).endswith("km från Vita fläcken")
    assert wording.CellNamer([]).name(far) == "Område utan namngiven plats"


def test_histories_are_told_in_words():
    organisation = "Polisen lokalpolisområde Kungälv/Ale"
    actor = SimpleNamespace(organisation=organisation, get_full_name=lambda: "Per Polis", username="polis")
    created = SimpleNamespace(actor=actor, action="incident.create", changes={})
    assert history_text(created) == f"{organisation} registrerade händelsen"
    changed = SimpleNamespace(
        actor=None, actor_name="", action="incident.update", changes={"description": ["a", "b"]}
    )
    assert history_text(changed) == "Systemet ändrade händelsen (beskrivning)"


@pytest.mark.django_db
def test_the_method_page_explains_cells_fdr_and_the_change_tests(personas, login, municipality):
    response = login(personas["reader"]).get(reverse("situation:method"))
    assert response.status_code == 200
    html = response.content.decode()
    for words in (
        "Fler händelser än vanligt",
        "Ingen säker skillnad",
        "falska upptäckter",
        "sexkantiga rutor",
        "exakt test",
    ):
        assert words in html
    assert login(personas["outsider"]).get(reverse("situation:method")).status_code in (403, 404)


@pytest.mark.parametrize(
    ("n_incidents", "expect"),
    [
        (40_000, "kartans minsta områden"),  # plenty: the finest scale
        (300, "Mindre områden hade fått färre än 5 händelser"),  # a coarser scale, and the rule that chose it
        (3, "Det är få händelser"),  # too few even for the coarsest scale
    ],
)
def test_the_area_size_comes_with_why_it_was_chosen(n_incidents, expect):
    from trygg.situation import hotspot_inference

    # a study area of Kungälv's order: ~3,000 r9 cells and their parents
    cells = {9: 3_000, 8: 3_000 // 7, 7: 3_000 // 49}
    scale = hotspot_inference.choose_scale(n_incidents, cells)
    text = wording.area_text(scale)
    assert expect in text
    assert "H3" not in text and "k =" not in text
