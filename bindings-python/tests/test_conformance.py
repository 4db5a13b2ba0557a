"""Every case in conformance/ through the Python API, with the same partial matching as the Rust
runner (conformance/README.md): the same expected values, to the yen."""

from __future__ import annotations

import json
from typing import Any

import pytest

import kodomo_rules as kr
from conftest import ROOT


def _cases() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted((ROOT / "conformance").rglob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8"))["cases"]:
            out.append((case["id"], case))
    return out


CASES = _cases()


def test_the_corpus_is_there() -> None:
    assert len(CASES) >= 136


def match(path: str, expected: Any, actual: Any, errs: list[str]) -> None:
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            errs.append(f"{path}: expected an object, got {actual!r}")
            return
        for key, ev in expected.items():
            av = actual.get(key)
            p = f"{path}/{key}"
            if key == "children":
                for ec in ev:
                    ac = next((c for c in av or [] if c["id"] == ec["id"]), None)
                    if ac is None:
                        errs.append(f"{p}: no child {ec['id']}")
                    else:
                        match(f"{p}[{ec['id']}]", ec, ac, errs)
            elif key == "missing":
                if sorted(ev) != sorted(av or []):
                    errs.append(f"{p}: expected {sorted(ev)}, got {sorted(av or [])}")
            else:
                match(p, ev, av, errs)
    elif isinstance(expected, list) and expected and all(isinstance(e, dict) for e in expected):
        if not isinstance(actual, list) or len(actual) != len(expected):
            errs.append(f"{path}: expected {len(expected)} entries, got {actual!r}")
            return
        for i, (ev, av) in enumerate(zip(expected, actual)):
            match(f"{path}/{i}", ev, av, errs)
    elif expected != actual:
        errs.append(f"{path}: expected {expected!r}, got {actual!r}")


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[i for i, _ in CASES])
def test_case(engine: kr.Engine, case: dict[str, Any]) -> None:
    errs: list[str] = []
    if "expect_error" in case:
        with pytest.raises(kr.InputError) as info:
            engine.evaluate(case["household"], "2024-01")
        match("error", case["expect_error"], {"code": info.value.code, "path": info.value.path}, errs)
    elif "month" in case:
        r = engine.evaluate(case["household"], case["month"], trace=True)
        # A scheme answering person by person is matched by the expected beneficiary.
        ben = case["expect"].get("beneficiary")
        found = [s.to_dict() for s in r.schemes if s.scheme == case["scheme"]]
        match("", case["expect"], next(o for o in found if ben is None or o.get("beneficiary") == ben), errs)
    else:
        t = engine.timeline(case["household"], case["span"]["from"], case["span"]["to"], scheme=case["scheme"]).to_dict()
        t["months"] = {m["month"]: m for m in t["months"]}
        match("", case["expect"], t, errs)
    assert not errs, "\n".join(errs)
