"""The toy scheme of rules-core/tests/toy/ (issue 16's proof: a scheme added as its folder and one
registry line, behind the test-only cargo feature `toy`) through the Python package, with its
conformance cases. scripts/test.sh builds the package with the feature and sets KODOMO_TOY=1; a
package built without it skips these tests."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

import kodomo_rules as kr
from conftest import ROOT
from test_conformance import match

TOY = ROOT / "rules-core" / "tests" / "toy"
CASES = json.loads((TOY / "conformance" / "toy_allowance.json").read_text(encoding="utf-8"))["cases"]

pytestmark = pytest.mark.skipif(os.environ.get("KODOMO_TOY") != "1", reason="package built without the toy feature")


@pytest.fixture(scope="module")
def toy() -> kr.Engine:
    return kr.Engine().with_rules(TOY / "rulesets")


def test_listed(toy: kr.Engine) -> None:
    assert any(s["id"] == "toy_allowance" and s["kind"] == "monthly" for s in toy.schemes())
    assert not any(s["id"] == "toy_allowance" for s in kr.Engine().schemes())


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(toy: kr.Engine, case: dict[str, Any]) -> None:
    errs: list[str] = []
    if "month" in case:
        r = toy.evaluate(case["household"], case["month"])
        match("", case["expect"], r["toy_allowance"].to_dict(), errs)
    else:
        t = toy.timeline(case["household"], case["span"]["from"], case["span"]["to"], scheme="toy_allowance").to_dict()
        t["months"] = {m["month"]: m for m in t["months"]}
        match("", case["expect"], t, errs)
    assert not errs, "\n".join(errs)
