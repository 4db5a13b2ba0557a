"""Reforms: overrides and the baseline/reform comparison."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

import kodomo_rules as kr

REFORM = {"child_allowance/2024.amount_third_or_later": [{"from": "2026-04", "value": 40000, "source": "reform A"}]}


def three_children_population() -> pa.Table:
    rows = []
    # Household 1: three children (the third is 第3子); household 2: one child; household 3: no parent.
    for h, births in [(1, ["2012-05-05", "2015-05-05", "2019-05-05"]), (2, ["2019-05-05"])]:
        rows.append({"household_id": h, "role": "parent", "birth_date": None})
        rows += [{"household_id": h, "role": "child", "birth_date": dt.date.fromisoformat(b)} for b in births]
    rows.append({"household_id": 3, "role": "child", "birth_date": dt.date(2019, 5, 5)})
    return pa.Table.from_pylist(rows)


def test_override_changes_amounts_from_its_month(engine: kr.Engine) -> None:
    reform = engine.with_overrides(REFORM)
    hh = {"persons": [{"id": "m", "role": "parent"}] + [{"id": f"c{i}", "role": "child", "birth_date": b} for i, b in enumerate(["2012-05-05", "2015-05-05", "2019-05-05"])]}
    # Law: 10,000 + 10,000 + 30,000 (FACTS.md §1.3); the reform raises the third to 40,000 from 2026-04.
    assert engine.evaluate(hh, "2026-04").totals["monthly"] == 50_000
    assert reform.evaluate(hh, "2026-03").totals["monthly"] == 50_000
    r = reform.evaluate(hh, "2026-04")
    assert r.totals["monthly"] == 60_000 and r.receipt["overrides_hash"].startswith("sha256:")
    assert "overrides_hash" not in engine.evaluate(hh, "2026-04").receipt


def test_compare_costs_the_reform(engine: kr.Engine) -> None:
    c = kr.compare(engine, engine.with_overrides(REFORM), three_children_population(), "2026-04")
    # Only household 1's third child gains 10,000.
    assert (c.households, c.gaining, c.losing, c.unchanged, c.cost) == (3, 1, 0, 2, 10_000)
    assert c.baseline_total == 50_000 + 10_000 and c.reform_total == 70_000
    assert [b["band"] for b in c.by_income_band] == ["unknown"]  # no income test after the reform
    assert "<table>" in c._repr_html_()


@pytest.mark.parametrize(
    ("overrides", "cls"),
    [
        ({"child_allowance/2099.x": {"from": "2026-04", "value": 1}}, kr.UnknownReferenceError),
        ({"child_allowance/2024.amount_fifth": {"from": "2026-04", "value": 1}}, kr.UnknownReferenceError),
        ({"child_allowance/2024.amount_under_3": {"from": "2026-04", "value": "lots"}}, kr.InvalidTypeError),
        ({"child_allowance/2024.amount_under_3": {"from": "2026-13", "value": 1}}, kr.InvalidMonthError),
        ({"child_allowance/2024.amount_under_3": {"value": 1}}, kr.MissingFieldError),
        ({"child_allowance/2024.amount_under_3": 15000}, kr.InvalidTypeError),
    ],
)
def test_bad_overrides(engine: kr.Engine, overrides: dict[str, object], cls: type[kr.Error]) -> None:
    with pytest.raises(kr.OverrideError) as info:
        engine.with_overrides(overrides)
    assert isinstance(info.value, cls) and isinstance(info.value, ValueError)
    with pytest.raises(kr.OverrideError):
        engine.with_overrides(["not", "a", "mapping"])  # type: ignore[arg-type]


def test_compare_bands_below_the_first_edge_and_errors(engine: kr.Engine) -> None:
    rows = [
        {"household_id": 1, "role": "parent", "birth_date": None, "employment_income": 1_000_000},
        {"household_id": 1, "role": "child", "birth_date": dt.date(2015, 5, 5), "employment_income": None},
        {"household_id": 2, "role": "parent", "birth_date": None, "employment_income": 9_000_000},
        {"household_id": 2, "role": "child", "birth_date": dt.date(2015, 5, 5), "employment_income": None},
    ]
    table = pa.Table.from_pylist(rows)
    reform = engine.with_overrides({"child_allowance/2012.amount_primary_first_second": {"from": "2023-04", "value": 12_000}})
    c = kr.compare(engine, reform, table, "2023-07", income_bands=[5_000_000, 8_000_000])
    # 2022 所得額: 1,000,000 − 180,000 = 820,000 (below the first edge; full amount, gains 2,000);
    # 9,000,000 − 180,000 = 8,820,000: at or above the limit for 1 dependant, but the count is not
    # given and 7 or more would lift the limit above it (8,880,000) → undetermined, not counted as
    # gaining or losing. FACTS.md §1.3, §1.4.
    assert [(b["band"], b["households"], b["gaining"], b["undetermined"]) for b in c.by_income_band] == [
        ("<5,000,000", 1, 1, 0),
        ("8,000,000+", 1, 0, 1),
    ]
    assert c.undetermined == 1
    with pytest.raises(kr.InvalidValueError):
        kr.compare(engine, reform, table, "2023-07", income_bands=[])
