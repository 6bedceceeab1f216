"""PII detection and redaction (trygg.lib.pii)."""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trygg.lib.pii import (
    NO_NAMES_NOTICE,
    PiiFinding,
    explain,
    find_pii,
    redact,
)

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared"


def luhn_ok(ten_digits: str) -> bool:
    """Independent Luhn check (sum over all ten digits, doubling every second from the left)."""
    total = 0
    for i, ch in enumerate(ten_digits):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += sum(int(x) for x in str(d))
    return total % 10 == 0


def with_check_digit(nine: str) -> str:
    """The one digit that makes the ten-digit number pass the Luhn check, found by trying all ten."""
    return next(nine + str(d) for d in range(10) if luhn_ok(nine + str(d)))


def kinds(text: str) -> list[str]:
    return [f.kind for f in find_pii(text)]


# --- personnummer --------------------------------------------------------------------------------


def test_skatteverkets_classic_test_number_is_valid_in_every_written_form():
    assert luhn_ok("1212121212")
    for form in ("19121212-1212", "191212121212", "121212-1212", "1212121212", "121212+1212", "121212 1212"):
        found = find_pii(f"Anmälare {form} hörde av sig.")
        assert [(f.kind, f.text) for f in found] == [("personnummer", form)], form


@pytest.mark.parametrize("number", ["19121212-1213", "121212-1210", "1212121219", "191212121211"])
def test_a_wrong_check_digit_is_not_a_personnummer(number):
    assert find_pii(f"Ärende {number} avslutat.") == []


def test_computed_numbers_over_many_dates_are_found_and_one_off_check_digits_are_not():
    for yymmdd in ("850709", "000229", "991231", "040101", "310615"):
        valid = with_check_digit(yymmdd + "123")
        wrong = valid[:-1] + str((int(valid[-1]) + 5) % 10)
        assert kinds(f"pnr {valid[:6]}-{valid[6:]}") == ["personnummer"], valid
        # With a leading 0 (not 00) it has the shape of a phone number (documented), else nothing.
        looks_like_phone = wrong[0] == "0" and wrong[1] != "0"
        assert kinds(f"pnr {wrong[:6]}-{wrong[6:]}") == (["phone"] if looks_like_phone else []), wrong


@pytest.mark.parametrize(
    "full_date",
    ["19121232", "19121300", "19120015", "19010229", "20230229", "19121200"],
)
def test_impossible_dates_are_not_personnummer_even_with_a_right_check_digit(full_date):
    ten = with_check_digit(full_date[2:] + "234")
    assert kinds(f"nr {full_date[:2]}{ten[:6]}-{ten[6:]}") == []


def test_29_february_is_valid_in_a_leap_year():
    ten = with_check_digit("000229" + "234")
    assert kinds(f"nr 20{ten[:6]}-{ten[6:]}") == ["personnummer"]
    assert kinds(f"nr {ten[:6]}-{ten[6:]}") == ["personnummer"]  # century unknown, 2000 is a leap year


def test_samordningsnummer_has_sixty_added_to_the_day():
    ten = with_check_digit("121272" + "123")  # 12 December 2012, day 12 + 60
    assert kinds(f"Samordningsnummer {ten[:6]}-{ten[6:]}") == ["samordningsnummer"]
    assert kinds(f"Samordningsnummer 20{ten}") == ["samordningsnummer"]
    day_92 = with_check_digit("121292" + "123")  # day 32 + 60 does not exist
    assert kinds(f"Nummer {day_92[:6]}-{day_92[6:]}") == []


# Hyphen, non-breaking hyphen, figure dash, en dash (what Word makes of "-"), em dash, horizontal bar, minus.
DASH_VARIANTS = ["\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212"]


@pytest.mark.parametrize("dash", DASH_VARIANTS)
def test_a_personnummer_written_with_any_dash_is_found_and_redacted(dash):
    for number in (f"19121212{dash}1212", f"121212{dash}1212"):
        assert [(f.kind, f.text) for f in find_pii(f"Anmälare {number}, se ovan.")] == [
            ("personnummer", number)
        ]
        assert redact(f"Anmälare {number}.").text == "Anmälare [borttaget: personnummer]."


@pytest.mark.parametrize("space", ["\u00a0", "\u202f"])
def test_a_personnummer_with_a_no_break_space_as_separator_is_found(space):
    assert kinds(f"pnr 121212{space}1212") == ["personnummer"]


def test_a_wrong_check_digit_stays_unflagged_whatever_the_dash():
    assert kinds("Ärende 19121212\u20131213 avslutat.") == []


def test_a_plus_sign_is_only_accepted_in_the_ten_digit_form():
    assert kinds("19121212+1212") == []


def test_digits_glued_to_other_digits_are_not_cut_out_of_a_longer_number():
    assert kinds("Order 9912121212121 levererad") == []


# --- phone numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "070-123 45 67",
        "0701234567",
        "070 123 45 67",
        "070-1234567",
        "073 - 123 45 67",
        "+46 70 123 45 67",
        "+46701234567",
        "0046 70 123 45 67",
        "+46 (0)31 123 45 67",
        "031-12 34 56",
        "031-123 45 67",
        "0303-21 00 00",
        "0303-23 80 00",
        "08-123 456 78",
        "(031) 12 34 56",
    ],
)
def test_swedish_phone_numbers_are_found_whole(number):
    found = find_pii(f"Ring {number} efter kl. 18.")
    assert [(f.kind, f.text) for f in found] == [("phone", number)]


@pytest.mark.parametrize(
    "text",
    [
        "Ring 112 vid nödläge och 114 14 annars, 1177 för vård.",
        "Öppet kl 08-16 och 08.00–16.30.",
        "Mötet 2023-12-31 och 2024-01-01.",
        "Beslut 01-02-2023 i nämnden.",
        "Dnr KS2019/0202 antogs 19 december 2019.",
        "Ökning med 0,5 % till 12 345 anmälda brott.",
        "Telefon 031-12 34",
    ],
)
def test_short_numbers_dates_times_and_amounts_are_not_phone_numbers(text):
    assert find_pii(text) == []


@pytest.mark.parametrize("dash", DASH_VARIANTS)
@pytest.mark.parametrize(
    "template",
    [
        "070{d}123 45 67",
        "031{d}12 34 56",
        "0303 {d} 21 00 00",
        "+46{d}70{d}123 45 67",
        "08{d}123\u00a0456\u00a078",
    ],
)
def test_phone_numbers_with_any_dash_are_found_whole(dash, template):
    number = template.format(d=dash)
    assert [(f.kind, f.text) for f in find_pii(f"Ring {number} i kväll.")] == [("phone", number)]


@pytest.mark.parametrize("dash", DASH_VARIANTS)
def test_ranges_of_years_times_and_dates_with_dashes_are_not_phone_numbers(dash):
    for text in (
        f"Åren 2019{dash}2023.",
        f"Öppet 08.00{dash}16.30.",
        f"Beslut 01{dash}02{dash}2023.",
        f"Vecka 12{dash}14.",
    ):
        assert find_pii(text) == [], text


def test_a_ten_digit_number_with_a_bad_check_digit_that_starts_with_zero_is_treated_as_a_phone_number():
    valid = with_check_digit("070123" + "456")
    wrong = valid[:-1] + str((int(valid[-1]) + 1) % 10)
    assert kinds(f"Nummer {valid}") == ["personnummer"]
    assert kinds(f"Nummer {wrong}") == ["phone"]


# --- e-mail --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address", ["anna.svensson@kungalv.se", "a+lst@example.com", "kalle_62@mail.polisen.se", "åsa@örebro.se"]
)
def test_email_addresses_are_found(address):
    found = find_pii(f"Skriv till {address}, tack.")
    assert [(f.kind, f.text) for f in found] == [("email", address)]


def test_an_at_sign_without_a_domain_is_not_an_email():
    assert find_pii("Vi ses @ torget kl 18 och på @kungalv.") == []


# --- registration numbers ------------------------------------------------------------------------


@pytest.mark.parametrize("plate", ["ABC 123", "ABC123", "ABC-123", "XYZ 12A", "MLB12E", "GHT 99W"])
def test_swedish_registration_numbers_are_found(plate):
    found = find_pii(f"En bil med reg.nr {plate} stod parkerad.")
    assert [(f.kind, f.text) for f in found] == [("registration_number", plate)]


def test_a_registration_number_with_an_en_dash_is_found():
    assert kinds("Bil ABC\u2013123 stod kvar.") == ["registration_number"]


@pytest.mark.parametrize(
    "text",
    [
        "Insatser enligt LSS 123 §",
        "SFS 2023:196 om kommunernas ansvar",
        "Trafiken på E6 och väg 168 stod still år 2023.",
        "abc 123 och och 123 personer",
        "ABI 123",  # I is not used on plates
        "ABC 12O",  # O is not used last
        "ABCD 123",
        "Covid-19 och NTU 2022",
    ],
)
def test_words_abbreviations_and_years_are_not_registration_numbers(text):
    assert find_pii(text) == []


# --- real Swedish text ---------------------------------------------------------------------------


def test_the_whole_reference_follow_up_report_has_nothing_flagged():
    text = (SHARED / "reference" / "uppfoljning-2023-trygg-i-kungalv.txt").read_text(encoding="utf-8")
    assert len(text) > 10_000
    assert find_pii(text) == []
    assert redact(text).text == text


def test_police_event_texts_have_nothing_flagged():
    events = json.loads((SHARED / "data" / "polisen_events_2023-12-31.json").read_text(encoding="utf-8"))
    texts = [t for e in events for t in (e["name"], e["summary"], e["location"]["name"])]
    assert len(texts) == 1500
    flagged = [(t, f.text) for t in texts for f in find_pii(t)]
    assert flagged == []


# --- redaction and explanation -------------------------------------------------------------------


def test_redact_replaces_each_finding_with_its_label_and_keeps_the_rest():
    text = (
        "Mannen (19121212-1212) ringde från 070-123 45 67 och mejlade kalle@example.se. "
        "Bilen ABC 123 stod vid Vita fläcken."
    )
    result = redact(text)
    assert result.text == (
        "Mannen ([borttaget: personnummer]) ringde från [borttaget: telefonnummer] och mejlade "
        "[borttaget: e-postadress]. Bilen [borttaget: registreringsnummer] stod vid Vita fläcken."
    )
    assert [f.kind for f in result.findings] == ["personnummer", "phone", "email", "registration_number"]
    assert [text[f.start : f.end] for f in result.findings] == [
        "19121212-1212",
        "070-123 45 67",
        "kalle@example.se",
        "ABC 123",
    ]
    assert result.changed


def test_ordinary_text_is_returned_untouched():
    text = "Nedskräpning och skadegörelse vid busshållplatsen på Komarken, 3 tillfällen under vecka 12."
    result = redact(text)
    assert result.text == text
    assert result.findings == []
    assert not result.changed


def test_explain_counts_each_kind_in_swedish():
    findings = find_pii("19121212-1212 och 070-123 45 67")
    assert explain(findings) == (
        "Vi tog bort 1 personnummer och 1 telefonnummer ur beskrivningen: "
        "personuppgifter hör inte hemma i lägesbilden."
    )
    many = find_pii("a@b.se, c@d.se, 0701234560, ABC 123")
    assert explain(many, where="anteckningen") == (
        "Vi tog bort 1 telefonnummer, 2 e-postadresser och 1 registreringsnummer ur anteckningen: "
        "personuppgifter hör inte hemma i lägesbilden."
    )
    assert explain([]) == ""
    assert "namn" in NO_NAMES_NOTICE


def test_a_finding_does_not_print_the_personal_data():
    finding = find_pii("ring 070-123 45 67")[0]
    assert "070" not in repr(finding)
    assert finding.label_sv == "telefonnummer"
    assert PiiFinding("email", 0, 3).placeholder == "[borttaget: e-postadress]"


pii_pieces = st.sampled_from(
    ["19121212-1212", "070-123 45 67", "+46 31 12 34 56", "a.b@c.se", "ABC 123", "XYZ12A", "121212+1212"]
)
words = st.sampled_from(
    ["Bilen", "stod", "vid", "Komarken", "kl", "18", "år 2023", "E6", "LSS", "(", ")", ","]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(pii_pieces, words), max_size=12))
def test_redacted_text_has_nothing_left_to_find(parts):
    text = " ".join(parts)
    result = redact(text)
    assert find_pii(result.text) == []
    n_pii = sum(
        p
        in {
            "19121212-1212",
            "070-123 45 67",
            "+46 31 12 34 56",
            "a.b@c.se",
            "ABC 123",
            "XYZ12A",
            "121212+1212",
        }
        for p in parts
    )
    assert len(result.findings) == n_pii


@pytest.mark.parametrize("text", ["19811218-9876s ärende", "811218-9876:s bil", "Personen 198112189876s."])
def test_a_personnummer_followed_by_letters_is_still_found(text):
    assert [f.kind for f in find_pii(text)] == ["personnummer"]


@pytest.mark.parametrize("text", ["19811218-98761", "811218-9876-12", "1981121898765"])
def test_a_personnummer_shape_inside_a_longer_number_is_not(text):
    assert not [f for f in find_pii(text) if f.kind == "personnummer"]
