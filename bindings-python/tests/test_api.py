"""The Python API: inputs in several shapes, results, explanations, receipts, HTML."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import pathlib

import pytest

import kodomo_rules as kr

# 3歳未満 15,000円 from 2024-10 (FACTS.md §1.3, J7, J8).
HH = {"persons": [{"id": "p", "role": "parent"}, {"id": "c", "role": "child", "birth_date": "2023-05-10"}]}


def test_dict_json_text_and_bytes_give_the_same_result(engine: kr.Engine) -> None:
    a = engine.evaluate(HH, "2025-06")
    b = engine.evaluate(json.dumps(HH), "2025-06")
    c = engine.evaluate(json.dumps(HH).encode(), dt.date(2025, 6, 30))
    assert a.totals == b.totals == c.totals == {"monthly": 15_000}
    assert a.to_dict() == b.to_dict() == c.to_dict()


@dataclasses.dataclass
class Person:
    id: str
    role: str
    birth_date: dt.date | None = None


@dataclasses.dataclass
class Household:
    persons: list[Person]


def test_dataclasses_with_dates(engine: kr.Engine) -> None:
    hh = Household([Person("p", "parent"), Person("c", "child", dt.date(2023, 5, 10))])
    assert engine.evaluate(hh, "2025-06").totals["monthly"] == 15_000


def test_result_fields_explain_and_receipt(engine: kr.Engine) -> None:
    r = engine.evaluate(HH, "2025-06", trace=True)
    ca = r["child_allowance"]
    assert (ca.status, ca.amount, ca.regime, ca.claimant) == ("eligible", 15_000, "2024", "p")
    assert ca.children == [{"id": "c", "band": "under_3", "rank": 1, "amount": 15_000}]
    assert ca.trace and any(step["rule"] == "child_allowance.2024.child_amount" for step in ca.trace)
    assert "15,000円" in r.explain() and "15,000 yen" in r.explain("en")
    assert r.receipt["engine"].startswith("kodomo-rules ") and r.receipt["rulesets_hash"].startswith("sha256:")
    assert r.receipt["evaluated"] == "2025-06"
    html = r._repr_html_()
    assert "<table>" in html and "15,000円" in html


def test_timeline_payments(engine: kr.Engine) -> None:
    # 2024-10 and 2024-11 are paid in December 2024 (FACTS.md §1.5, J8).
    t = engine.timeline(HH, "2024-10", "2024-11", scheme="child_allowance")
    assert t.payments == [{"payment_month": "2024-12", "months": ["2024-10", "2024-11"], "amount": 30_000}]
    assert t.total == 30_000 and len(t.months) == 2
    assert "2024-12" in t.explain("en") and "<table>" in t._repr_html_()


def test_rulesets_schema_and_income_year(engine: kr.Engine) -> None:
    ids = [r["id"] for r in engine.rulesets()]
    assert ids == [
        "municipal/382019/nhi_rates",
        "municipal/382060/nhi_rates",
        "employment_insurance/leave_benefits",
        "income/employment_income_deduction",
        "nhi/income_reduction",
        "child_allowance/2012",
        "child_allowance/2024",
        "child_rearing_allowance/2019",
        "special_child_allowance/2018",
        "disabled_child_welfare_allowance/2019",
        "birth_support_grant/2022",
        "pregnancy_support_benefit/2025",
        "childbirth_lump_sum/2006",
        "maternity_allowance/2016",
        "pension_maternity_exemption/2019",
        "social_insurance_premium_exemption/2014",
        "nhi_maternity_reduction/2024",
        "nhi_preschool_reduction/2022",
        "postnatal_leave_benefit/2022",
        "childcare_leave_benefit/2013",
        "post_birth_leave_support_benefit/2025",
        "reduced_hours_benefit/2025",
    ]
    assert engine.rulesets_hash.startswith("sha256:")
    assert "persons" in kr.Engine.schema()["properties"]
    # The June switch (FACTS.md §1.4): 2023-05 reads 2021 income, 2023-06 reads 2022; none after the reform.
    y = lambda m: engine.income_year_for(m, "child_allowance")  # noqa: E731
    assert (y("2023-05"), y("2023-06"), y("2025-06")) == (2021, 2022, None)
    assert y("2012-05") is None
    assert engine.population_income_year("2023-06") == 2022 and engine.population_schemes == ["child_allowance"]
    # 児童扶養手当: 11月分〜翌10月分 on the previous year (FACTS.md §2.4); 特児扶: 8月分〜翌7月分 (法第6条).
    assert engine.income_year_for("2025-10", scheme="child_rearing_allowance") == 2023
    assert engine.income_year_for("2025-11", scheme="child_rearing_allowance") == 2024
    assert engine.income_year_for("2025-08", scheme="special_child_allowance") == 2024
    with pytest.raises(kr.InputError) as info:
        engine.income_year_for("2025-08", scheme="nope")
    assert info.value.path == "/scheme" and "child_rearing_allowance" in str(info.value)


def test_other_schemes_per_household(engine: kr.Engine) -> None:
    # 児童扶養手当 2025-06, one child, full (FACTS.md §2.2 FY2025 46,690; §2.4 limit 1,070,000 for 1
    # dependant from 2024-11; 2025-06 reads 2023 income: 1,000,000 − 100,000 − 80,000 = 820,000).
    hh = {
        "persons": [
            {"id": "mother", "role": "parent", "child_rearing_reason": "divorce",
             "income": {"2023": {"employment_income": 1_000_000, "dependants": 1}}},
            {"id": "c1", "role": "child", "birth_date": "2018-06-01"},
        ]
    }
    r = engine.evaluate(hh, "2025-06")
    assert r.scheme("child_rearing_allowance").amount == 46_690
    assert r.totals["monthly"] == 46_690 + 10_000  # plus 児童手当 3歳以上 10,000 (FACTS.md §1.3)
    assert r.scheme("special_child_allowance").reason == "no_eligible_child"
    t = engine.timeline(hh, "2025-04", "2025-06", scheme="child_rearing_allowance")
    # Odd payment months, each the previous two months (FACTS.md §2.5): 4月 in 5月, 5・6月 in 7月.
    assert [p["payment_month"] for p in t.payments] == ["2025-05", "2025-07"]
    with pytest.raises(kr.InputError):
        r.scheme("nope")
    with pytest.raises(kr.InputError):
        engine.timeline(hh, "2025-04", "2025-06", scheme="nope")


def test_schemes_and_sources(engine: kr.Engine) -> None:
    # The four national allowances, then the pregnancy and birth grants, with their names, kinds
    # and labels from their scheme.json.
    schemes = engine.schemes()
    assert [s["id"] for s in schemes] == [
        "child_allowance", "child_rearing_allowance", "special_child_allowance", "disabled_child_welfare_allowance",
        "birth_support_grant", "pregnancy_support_benefit", "childbirth_lump_sum", "maternity_allowance",
        "pension_maternity_exemption", "social_insurance_premium_exemption",
        "nhi_maternity_reduction", "nhi_preschool_reduction", "postnatal_leave_benefit",
        "childcare_leave_benefit", "post_birth_leave_support_benefit", "reduced_hours_benefit",
    ]
    assert schemes[0]["name"] == {"ja": "児童手当", "en": "Child allowance"}
    assert all(s["kind"] == "monthly" and s["level"] == "national" for s in schemes[:4])
    assert [s["kind"] for s in schemes[4:]] == ["grant"] * 4 + ["exemption"] * 4 + ["wage_units"] * 4
    assert schemes[1]["labels"]["reason"]["spouse_in_household"]["ja"].startswith("父又は母の配偶者")
    # Every source a trace cites resolves to a document in sources().
    sources = engine.sources()
    r = engine.evaluate(HH, "2025-06", trace=True)
    cited = {
        src
        for s in r.schemes
        for step in s.trace or []
        for p in step.get("parameters", [])
        for src in ([p["source"]] if isinstance(p["source"], str) else p["source"])
    }
    assert cited and all(c in sources or c.startswith("http") for c in cited), cited
    assert sources["J10"]["kind"] == "official"


def test_rules_bundles(engine: kr.Engine, tmp_path: pathlib.Path) -> None:
    # A bundle adding a scheme (児童扶養手当's logic under a municipal id) from a folder, a mapping
    # and bytes; an application for it is accepted and it is evaluated like any scheme.
    root = pathlib.Path(__file__).resolve().parents[2] / "rulesets" / "national" / "child_rearing_allowance"
    meta = json.loads((root / "scheme.json").read_text(encoding="utf-8"))
    meta["id"] = "municipal/999999/rearing_copy"
    version = json.loads((root / "2019.json").read_text(encoding="utf-8"))
    files = {"municipal/999999/rearing_copy/scheme.json": meta, "municipal/999999/rearing_copy/2019.json": version}
    hh = {
        "persons": [
            {"id": "mother", "role": "parent", "child_rearing_reason": "divorce",
             "income": {"2023": {"employment_income": 1_000_000, "dependants": 1}}},
            {"id": "c1", "role": "child", "birth_date": "2018-06-01"},
        ],
        "applications": [{"scheme": "municipal/999999/rearing_copy", "claimant": "mother", "date": "2025-03-10"}],
    }
    with pytest.raises(kr.UnknownReferenceError):
        engine.evaluate(hh, "2025-06")
    folder = tmp_path / "bundle"
    for path, data in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    for rules in (folder, files, json.dumps({"files": files}).encode()):
        e = engine.with_rules(rules)
        assert "municipal/999999/rearing_copy" in [s["id"] for s in e.schemes()]
        # 児童扶養手当 FY2025 全部支給 46,690 (FACTS.md §2.2, §2.4), from the month after the application.
        assert e.evaluate(hh, "2025-06")["municipal/999999/rearing_copy"].amount == 46_690
    version["logic"] = "template/unknown@1"
    with pytest.raises(kr.RulesetError) as info:
        engine.with_rules(files)
    assert [f for f, _, _ in info.value.errors] == ["municipal/999999/rearing_copy"]
    assert "template/unknown@1" in info.value.errors[0][2]
