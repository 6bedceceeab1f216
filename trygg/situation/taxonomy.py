"""The seed of the incident taxonomy, from the reference report (editable in the app afterwards).

Used by migration 0002 and by the demo loader (a flushed test database has lost the migration's rows).
"""

# (order, slug, name, description, police event types separated by ";")
CATEGORIES = [
    (10, "ungdomshang", "Ungdomshäng", "Ungdomar samlas på en plats och det upplevs otryggt.", ""),
    (
        20,
        "ordningsstorning",
        "Ordningsstörning",
        "Störningar av allmän ordning.",
        "Ofredande/förargelse; Bråk; Fylleri/LOB; Störande av allmän ordning",
    ),
    (30, "motorburna", "Motorburna ordningsstörningar", "A-traktorer/EPA, motorträffar, buskörning.", ""),
    (40, "stold-ur-motorfordon", "Stöld ur motorfordon", "", "Stöld ur motorfordon"),
    (
        50,
        "stold-och-inbrott",
        "Stöld och inbrott",
        "",
        "Stöld; Stöld, försök; Stöld/inbrott; Inbrott; Inbrott, försök; Motorfordon, stöld",
    ),
    (60, "narkotikaforsaljning", "Misstänkt narkotikaförsäljning", "", ""),
    (
        70,
        "narkotikapaverkan",
        "Narkotikapåverkan",
        "Narkotikaanvändning och narkotikabrott.",
        "Narkotikabrott",
    ),
    (80, "skadegorelse", "Skadegörelse/klotter", "", "Skadegörelse"),
    (90, "brand", "Brand", "Bränder utomhus och i byggnader.", "Brand; Brand automatlarm"),
    (100, "fyrverkerier", "Fyrverkerier", "Fyrverkerier och smällare utanför tillåtna tider.", ""),
    (110, "nedskrapning", "Nedskräpning", "", ""),
    (120, "otrygg-plats", "Otrygg plats", "Platsen upplevs otrygg (belysning, vegetation, skymd sikt).", ""),
    (
        130,
        "hot-och-vald",
        "Hot och våld",
        "",
        "Misshandel; Misshandel, grov; Olaga hot; Våld/hot mot tjänsteman; Rån; Rån, försök; Rån övrigt; "
        "Knivlagen; Vapenlagen; Skottlossning; Skottlossning, misstänkt; Mord/dråp; Mord/dråp, försök",
    ),
    (900, "ovrigt", "Övrigt", "Händelser som inte passar någon annan kategori.", ""),
]


def seed_categories(category_model) -> None:
    """Create the seed categories that are missing; never changes existing ones. Takes the model class so
    that the data migration can pass its historical model."""
    for order, slug, name, description, police_types in CATEGORIES:
        category_model.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "description": description, "police_types": police_types, "order": order},
        )
