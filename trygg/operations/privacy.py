"""What the privacy page says about each kind of data: what, why, for how long, who sees it. The periods
are read from the retention settings, so the page always says what ``apply_retention`` does."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Entry:
    what: str
    why: str
    how_long: str
    who: str


def _months(n: int) -> str:
    return f"{n} månad" if n == 1 else f"{n} månader"


def _incident_period(p) -> str:
    parts = []
    if p["incident_text_months"]:
        parts.append(f"Fritexten tas bort {_months(p['incident_text_months'])} efter händelsen.")
    if p["incident_anonymise_months"]:
        parts.append(
            f"Efter {_months(p['incident_anonymise_months'])} avidentifieras händelsen: den som rapporterade "
            "tas bort och ett exakt läge flyttas till mitten av ett område på ungefär 0,7 km²."
        )
    if p["incident_delete_months"]:
        parts.append(f"Efter {_months(p['incident_delete_months'])} raderas händelsen helt.")
    else:
        parts.append("Den avidentifierade händelsen sparas för statistik över tid.")
    return " ".join(parts) or "Sparas tills någon med behörighet tar bort den."


def _submission_period(p) -> str:
    if not p["submission_months"]:
        return "Sparas tills kommunen tar bort den."
    return (
        f"Texten, platsbeskrivningen och fotot tas bort {_months(p['submission_months'])} efter att synpunkten "
        "kom in; ett exakt läge flyttas till mitten av ett område på ungefär 0,7 km². Antalen per område finns kvar."
    )


def _import_period(p) -> str:
    days = p["import_file_days"]
    if days:
        return f"Själva filen raderas {days} dagar efter att importen är klar; siffrorna som lästes in finns kvar."
    return (
        "Själva filen raderas vid nästa nattliga gallring efter att importen är klar; siffrorna finns kvar."
    )


def entries() -> list[Entry]:
    p = settings.TRYGG_RETENTION
    return [
        Entry(
            "Användarkonton: namn, användarnamn, e-postadress, organisation, enhet och roll per kommun.",
            "För att veta vem som får se och ändra vad.",
            "Så länge kontot används; ett konto som inte behövs stängs av administratören.",
            "Kommunens administratörer.",
        ),
        Entry(
            "Granskningslogg: vem som ändrade vad och när, inloggningar, misslyckade inloggningar och "
            "nedladdningar (utan lösenord).",
            "För att kunna följa upp ändringar och upptäcka intrång.",
            "Fritext i loggen tas bort samtidigt som i uppgiften den beskriver.",
            "Kommunens administratörer.",
        ),
        Entry(
            "Händelser i lägesbilden: kategori, tid, plats, beskrivning, vem som rapporterade.",
            "Det brottsförebyggande arbetet: att se var och när problem uppstår och följa upp åtgärder. "
            "Uppgifterna kan röra brott och hanteras därför restriktivt.",
            _incident_period(p),
            "De som arbetar med lägesbilden i kommunen (samordnare och samverkanspartner som polisen).",
        ),
        Entry(
            "Synpunkter i den digitala dialogen: plats, kategorier, tid på dygnet, fritext, frivilligt foto, "
            "åldersgrupp och kön om invånaren själv anger dem. Ingen inloggning och inget namn.",
            "Att låta invånare berätta var de känner sig otrygga.",
            _submission_period(p),
            "Kommunens handläggare av dialogen; allmänheten ser bara sammanställningar där små antal döljs.",
        ),
        Entry(
            "Planer, insatser, uppföljningar, trygghetsvandringar och mötesanteckningar.",
            "Kommunens planering och uppföljning av det brottsförebyggande arbetet.",
            "Enligt kommunens dokumenthanteringsplan (allmänna handlingar).",
            "De med en roll i kommunen i Trygg.",
        ),
        Entry(
            "Uppladdade statistikfiler.",
            "Att läsa in nyckeltal.",
            _import_period(p),
            "Den som laddade upp filen och kommunens administratörer.",
        ),
    ]
