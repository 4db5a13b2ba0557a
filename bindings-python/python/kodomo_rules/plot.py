"""Plot helper (needs the optional extra ``kodomo-rules[plot]``, i.e. matplotlib)."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

from . import Engine, MonthLike


def benefit_by_income(
    engine: Engine,
    household: Mapping[str, Any],
    month: MonthLike,
    *,
    parent: str,
    scheme: str,
    incomes: Iterable[int] = range(0, 16_000_001, 50_000),
    field: str = "salary",
    ax: Any = None,
) -> Any:
    """Draw one scheme's monthly amount against one parent's income for a household type.

    For each value in ``incomes`` the parent ``parent`` gets that ``field`` (``salary`` or
    ``employment_income``) for the income year the month's income test of ``scheme`` reads (other
    fields of that year are kept), and the household is evaluated by the engine. Returns the
    matplotlib Axes.
    """
    import matplotlib.pyplot as plt

    year = engine.income_year_for(month, scheme)
    names = {s["id"]: s["name"] for s in engine.schemes()}
    xs: list[int] = []
    ys: list[int] = []
    for income in incomes:
        hh = copy.deepcopy(dict(household))
        person = next((p for p in hh["persons"] if p.get("id") == parent), None)
        if person is None:
            raise KeyError(f"no person {parent!r} in the household")
        if year is not None:
            entry = dict(person.setdefault("income", {}).get(str(year), {}))
            entry.pop("salary", None)
            entry.pop("employment_income", None)
            entry[field] = income
            person["income"][str(year)] = entry
        xs.append(income)
        ys.append(engine.evaluate(hh, month).scheme(scheme).amount)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    ax.step(xs, ys, where="post")
    ax.set_xlabel(f"{parent} {field} (yen, income year {year})")
    ax.set_ylabel(f"benefit for {month if isinstance(month, str) else month.isoformat()[:7]} (yen)")
    name = names.get(scheme, {"en": scheme})["en"]
    ax.set_title(f"{name} by income")
    ax.grid(True, alpha=0.3)
    return ax
