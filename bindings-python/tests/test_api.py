"""The Python API: inputs in several shapes, results, explanations, receipts, HTML."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import kodomo_rules as kr

# 3歳未満 15,000円 from 2024-10 (FACTS.md §1.3, J7, J8).
HH = {"persons": [{"id": "p", "role": "parent"}, {"id": "c", "role": "child", "birth_date": "2023-05-10"}]}


def test_dict_json_text_and_bytes_give_the_same_result(engine: kr.Engine) -> None:
    a = engine.evaluate(HH, "2025-06")
    b = engine.evaluate(json.dumps(HH), "2025-06")
    c = engine.evaluate(json.dumps(HH).encode(), dt.date(2025, 6, 30))
    assert a.total == b.total == c.total == 15_000
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
    assert engine.evaluate(hh, "2025-06").total == 15_000


def test_result_fields_explain_and_receipt(engine: kr.Engine) -> None:
    r = engine.evaluate(HH, "2025-06", trace=True)
    ca = r.child_allowance
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
    t = engine.timeline(HH, "2024-10", "2024-11")
    assert t.payments == [{"payment_month": "2024-12", "months": ["2024-10", "2024-11"], "amount": 30_000}]
    assert t.total == 30_000 and len(t.months) == 2
    assert "2024-12" in t.explain("en") and "<table>" in t._repr_html_()


def test_rulesets_schema_and_income_year(engine: kr.Engine) -> None:
    ids = [r["id"] for r in engine.rulesets()]
    assert ids == ["income/employment_income_deduction", "child_allowance/2012", "child_allowance/2024"]
    assert engine.rulesets_hash.startswith("sha256:")
    assert "persons" in kr.Engine.schema()["properties"]
    # The June switch (FACTS.md §1.4): 2023-05 reads 2021 income, 2023-06 reads 2022; none after the reform.
    assert (engine.income_year_for("2023-05"), engine.income_year_for("2023-06"), engine.income_year_for("2025-06")) == (2021, 2022, None)
    assert engine.income_year_for("2012-05") is None
