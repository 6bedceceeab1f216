from trygg.indicators import queries
from trygg.indicators.demo import (
    CRIMES_BY_CATEGORY,
    CRIMES_PER_100K,
    NTU_UNSAFE_EVENING,
    load_demo_indicators,
)


def test_series_returns_each_region_in_period_order_in_one_query(db, django_assert_num_queries):
    load_demo_indicators(with_population=False)
    with django_assert_num_queries(1):
        result = queries.series(NTU_UNSAFE_EVENING, ["1482", "PR-VAST", "00", "0180"])
    assert result["1482"][-2:] == [("2022", 20.0), ("2023", 23.0)]
    assert [p for p, _v in result["00"]] == [str(y) for y in range(2017, 2024)]
    assert result["0180"] == []  # asked for, no data


def test_series_can_be_limited_to_years(db):
    load_demo_indicators(with_population=False)
    result = queries.series(CRIMES_PER_100K, ["1482"], start=2020, end=2022)
    assert [p for p, _v in result["1482"]] == ["2020", "2021", "2022"]


def test_breakdown_series_by_category_and_gender_in_one_query(db, django_assert_num_queries):
    load_demo_indicators(with_population=False)
    with django_assert_num_queries(1):
        by_gender = queries.breakdown_series(NTU_UNSAFE_EVENING, "1482", prefix="kön=")
    assert set(by_gender) == {"kön=K", "kön=M"}
    categories = queries.breakdown_series(CRIMES_BY_CATEGORY, "1482")
    assert len(categories) == 5
    assert len(categories["brottskategori=Stöld- och tillgreppsbrott"]) == 10


def test_latest_values_per_municipality(db, django_assert_num_queries):
    load_demo_indicators(with_population=False)
    with django_assert_num_queries(1):
        latest = queries.latest_values("DEMO.oppna_jamforelser_rang")
    assert latest == {"1482": ("2023", 71.0)}


def test_observations_carry_status_margin_and_preliminary_flag(db, django_assert_num_queries):
    load_demo_indicators(with_population=False)
    with django_assert_num_queries(1):
        rows = list(queries.observations(NTU_UNSAFE_EVENING, ["1482"], breakdowns=[""]))
    assert rows[-1].margin == 3.5
    assert rows[-1].region.code == "1482"
    assert rows[-1].indicator.unit == "procent"
