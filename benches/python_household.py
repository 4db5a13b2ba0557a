"""Time one household evaluated through the Python package, from a dict and from JSON text.

The same household as the native criterion benchmark `one_household_3_children` (benches/engine.rs):
two parents with salaries, three children, 2024-06 (the income test month). The native figures to
compare with are `all_schemes_with_receipt` (Engine::evaluate, all schemes, a parsed household) and
`parse_and_validate_json`. Usage: .venv/bin/python benches/python_household.py
"""

from __future__ import annotations

import json
import statistics
import time

import kodomo_rules as kr

HOUSEHOLD = {
    "persons": [
        {"id": "mother", "role": "parent", "income": {"2023": {"salary": 6_500_000, "other_dependants": 0}}},
        {"id": "father", "role": "parent", "income": {"2023": {"salary": 4_000_000, "other_dependants": 0}}},
        {"id": "c1", "role": "child", "birth_date": "2009-05-20"},
        {"id": "c2", "role": "child", "birth_date": "2014-11-02"},
        {"id": "c3", "role": "child", "birth_date": "2022-08-01"},
    ]
}


def per_call(f, n: int = 20_000, rounds: int = 7) -> float:
    """Median over `rounds` of the mean time per call of `f`, in microseconds."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(n):
            f()
        times.append((time.perf_counter() - start) / n * 1e6)
    return statistics.median(times)


def main() -> None:
    engine = kr.Engine()
    text = json.dumps(HOUSEHOLD)
    # The amount is read so the result is really produced (FACTS.md §1.3: 2024-06, 特例給付 or full).
    assert engine.evaluate(HOUSEHOLD, "2024-06").totals["monthly"] == engine.evaluate(text, "2024-06").totals["monthly"]
    rows = [
        ("evaluate(dict)", per_call(lambda: engine.evaluate(HOUSEHOLD, "2024-06"))),
        ("evaluate(json text)", per_call(lambda: engine.evaluate(text, "2024-06"))),
        ("evaluate(dict) and read the total", per_call(lambda: engine.evaluate(HOUSEHOLD, "2024-06").totals)),
    ]
    for name, us in rows:
        print(f"{name:<36} {us:7.2f} µs")


if __name__ == "__main__":
    main()
