"""kodomo_rules — Japanese child benefit rules (児童手当 …), exact to the yen, with explanations.

The rules run in the Rust core (the same engine vendors embed and browsers run as WebAssembly);
this package converts Python values to and from it.

    >>> import kodomo_rules as kr
    >>> engine = kr.Engine()
    >>> r = engine.evaluate({"persons": [{"id": "p", "role": "parent"},
    ...                                  {"id": "c", "role": "child", "birth_date": "2023-05-10"}]},
    ...                     month="2025-06")
    >>> r.totals
    {'monthly': 15000}
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import html
import json
import os
import pathlib
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from . import _native
from .errors import (
    DuplicateIdError,
    Error,
    InputError,
    InvalidDateError,
    InvalidJsonError,
    InvalidMonthError,
    InvalidTypeError,
    InvalidValueError,
    MissingFieldError,
    OverrideError,
    RulesetError,
    UnknownFieldError,
    UnknownReferenceError,
)

if TYPE_CHECKING:
    import pyarrow

__version__: str = _native.__version__

__all__ = [
    "Engine",
    "Evaluation",
    "SchemeResult",
    "TimelineResult",
    "compare",
    "Comparison",
    "Error",
    "InputError",
    "InvalidJsonError",
    "UnknownFieldError",
    "MissingFieldError",
    "InvalidTypeError",
    "InvalidDateError",
    "InvalidMonthError",
    "InvalidValueError",
    "DuplicateIdError",
    "UnknownReferenceError",
    "OverrideError",
    "RulesetError",
    "POPULATION_COLUMNS",
]

Lang = Literal["ja", "en"]
MonthLike = str | _dt.date
HouseholdLike = Mapping[str, Any] | str | bytes | Any

#: The columns of the long population format (one row per person); see ``Engine.evaluate_population``.
POPULATION_COLUMNS: tuple[str, ...] = tuple(_native.POPULATION_COLUMNS)


def _month(value: MonthLike, field: str = "month") -> str:
    if isinstance(value, _dt.date):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, str):
        return value
    raise InvalidTypeError(f"expected a month as 'YYYY-MM' or a date, got {type(value).__name__}", "invalid_type", f"/{field}")


def _json_default(value: Any) -> Any:
    if isinstance(value, _dt.datetime):  # a birth "date" given as a datetime: its calendar date
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: v for k, v in dataclasses.asdict(value).items() if v is not None}
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _household_arg(household: HouseholdLike) -> str | dict[str, Any]:
    """A household as the native module reads it: JSON text, or a dict read directly (no JSON
    round trip). Also accepts bytes, a dataclass or a pydantic model."""
    if isinstance(household, str):
        return household
    if isinstance(household, (bytes, bytearray)):
        try:
            return household.decode("utf-8")
        except UnicodeDecodeError as e:
            raise InvalidJsonError(f"the household bytes are not UTF-8: {e}", "invalid_json", "") from e
    if hasattr(household, "model_dump"):  # pydantic v2
        household = household.model_dump(exclude_none=True)
    elif dataclasses.is_dataclass(household) and not isinstance(household, type):
        household = _json_default(household)
    if isinstance(household, dict):
        return household
    if not isinstance(household, Mapping):
        raise InvalidTypeError(
            f"expected a household as a dict, JSON text, a dataclass or a pydantic model, got {type(household).__name__}",
            "invalid_type",
            "",
        )
    try:
        return json.dumps(household, default=_json_default, ensure_ascii=False, allow_nan=False)
    except ValueError as e:  # NaN or infinity: no amount of yen
        raise InvalidValueError(f"household contains a NaN or infinite number: {e}", "invalid_value", "") from e
    except TypeError as e:
        raise InvalidTypeError(f"household is not JSON-serialisable: {e}", "invalid_type", "") from e


def _yen(amount: int) -> str:
    return f"{amount:,}円"


class SchemeResult:
    """One scheme's result for one month (e.g. 児童手当)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    scheme = property(lambda self: self._data["scheme"], doc="Scheme id, e.g. 'child_allowance'.")
    kind = property(lambda self: self._data["kind"], doc="The kind of benefit: 'monthly', 'grant', …")
    month = property(lambda self: self._data.get("month"), doc="The month, 'YYYY-MM' (a monthly result; None for other kinds).")
    status = property(lambda self: self._data["status"], doc="eligible | not_eligible | undetermined | not_in_force | not_known.")
    amount = property(
        lambda self: self._data.get("amount", self._data.get("waived")),
        doc="Yen: the month's amount (0 unless eligible), a grant's sum, or the premiums waived (None when not computable).",
    )
    range = property(lambda self: self._data.get("range"), doc="{'min', 'max'} when undetermined.")
    missing = property(lambda self: self._data.get("missing", []), doc="JSON pointers of the inputs that would decide it.")
    reason = property(lambda self: self._data.get("reason"), doc="Why not eligible / not known.")
    regime = property(lambda self: self._data.get("regime"), doc="Logic version, e.g. '2024'.")
    claimant = property(lambda self: self._data.get("claimant"), doc="The legal 受給者's person id, whoever applied.")
    applicant = property(lambda self: self._data.get("applicant"), doc="Who applied, when not the legal 受給者.")
    warnings = property(lambda self: self._data.get("warnings", []), doc="Codes to act on, e.g. 'application_by_other_parent'.")
    children = property(lambda self: self._data.get("children", []), doc="Per-child band, rank and amount.")
    income_test = property(lambda self: self._data.get("income_test"), doc="The income test, where one applies.")
    trace = property(lambda self: self._data.get("trace"), doc="Trace steps (when evaluated with trace=True).")

    def to_dict(self) -> dict[str, Any]:
        return dict(self._data)

    def __repr__(self) -> str:
        return f"SchemeResult({self.scheme} {self.month or self.kind}: {self.status} {self.amount})"


class _Result:
    """A native result with its JSON form: explanation, dict, receipt."""

    def __init__(self, native: _native.Evaluation | _native.Timeline) -> None:
        self._native = native
        self._parsed: dict[str, Any] | None = None

    @property
    def _data(self) -> dict[str, Any]:
        # Converted on first use: an evaluation whose fields are never read costs no JSON.
        if self._parsed is None:
            self._parsed = json.loads(self._native.to_json())
        return self._parsed

    @property
    def receipt(self) -> dict[str, Any]:
        """Engine version, ruleset version and hashes, what was evaluated, overrides hash."""
        return dict(self._data["receipt"])

    def explain(self, lang: Lang = "ja") -> str:
        """A readable explanation (with the trace when evaluated with trace=True)."""
        return self._native.explain(lang)

    def to_dict(self) -> dict[str, Any]:
        return json.loads(self._native.to_json())  # type: ignore[no-any-return]


class Evaluation(_Result):
    """Every scheme's result for one month, the totals per kind of benefit and the receipt."""

    @property
    def month(self) -> str:
        return str(self._data["month"])

    @property
    def totals(self) -> dict[str, int]:
        """Sum of the amounts per kind of benefit (``monthly``, ``grant`` …), never across kinds."""
        native = self._native
        assert isinstance(native, _native.Evaluation)
        return dict(native.totals())

    @property
    def schema_version(self) -> str:
        """The version of the output format."""
        return str(self._data["schema_version"])

    @property
    def schemes(self) -> list[SchemeResult]:
        return [SchemeResult(s) for s in self._data["schemes"]]

    def scheme(self, scheme_id: str) -> SchemeResult:
        """One scheme's result by id (``Engine.schemes()`` lists them), e.g. ``r.scheme("child_allowance")``."""
        for s in self.schemes:
            if s.scheme == scheme_id:
                return s
        ids = ", ".join(s.scheme for s in self.schemes)
        raise UnknownReferenceError(f"unknown scheme {scheme_id!r} (schemes: {ids})", "unknown_reference", "/scheme")

    def __getitem__(self, scheme_id: str) -> SchemeResult:
        """``r["child_allowance"]``: the same as ``r.scheme("child_allowance")``."""
        return self.scheme(scheme_id)

    def __repr__(self) -> str:
        return f"Evaluation({self.month}: totals {self.totals})"

    def _repr_html_(self) -> str:
        rows = []
        for s in self.schemes:
            for c in s.children:
                amount = "?" if c.get("amount") is None else _yen(c["amount"])
                rank = "" if c.get("rank") is None else f"第{c['rank']}子"
                rows.append(f"<tr><td>{html.escape(c['id'])}</td><td>{html.escape(c['band'])}</td><td>{rank}</td><td style='text-align:right'>{amount}</td></tr>")
        head = f"<b>{html.escape(self.month)}</b>: " + ", ".join(
            f"{html.escape(s.scheme)} {html.escape(s.status)} {'' if s.amount is None else _yen(s.amount)}" for s in self.schemes
        )
        table = "<table><tr><th>child</th><th>band</th><th>rank</th><th>amount</th></tr>" + "".join(rows) + "</table>"
        explanation = f"<details><summary>explanation</summary><pre>{html.escape(self.explain('ja'))}</pre></details>"
        totals = ", ".join(f"{html.escape(k)} {_yen(v)}" for k, v in self.totals.items())
        return f"<div>{head}{table}<p>total {totals}</p>{explanation}</div>"


class TimelineResult(_Result):
    """児童手当 month by month with its payments."""

    @property
    def months(self) -> list[SchemeResult]:
        return [SchemeResult(m) for m in self._data["months"]]

    @property
    def payments(self) -> list[dict[str, Any]]:
        """[{'payment_month', 'months', 'amount'}, …]"""
        return list(self._data["payments"])

    @property
    def total(self) -> int:
        return int(self._data["total"])

    def __repr__(self) -> str:
        return f"TimelineResult({self._data['from']}..{self._data['to']}: total {self.total})"

    def _repr_html_(self) -> str:
        months = "".join(
            f"<tr><td>{m.month}</td><td>{html.escape(m.status)}</td><td style='text-align:right'>{_yen(m.amount)}</td></tr>" for m in self.months
        )
        pays = "".join(
            f"<tr><td>{p['payment_month']}</td><td>{', '.join(p['months'])}</td><td style='text-align:right'>{_yen(p['amount'])}</td></tr>"
            for p in self.payments
        )
        return (
            "<div><table><tr><th>month</th><th>status</th><th>amount</th></tr>" + months + "</table>"
            "<table><tr><th>payment</th><th>months</th><th>amount</th></tr>" + pays + f"</table><p>total {_yen(self.total)}</p></div>"
        )


def _flag(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidTypeError(f"{name} must be True or False, got {value!r}", "invalid_type", f"/{name}")
    return value


def _scheme(value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidTypeError(f"scheme must be a scheme id string, got {type(value).__name__}", "invalid_type", "/scheme")
    return value


def _frame_kind(data: Any) -> str:
    module = type(data).__module__.split(".")[0]
    if module == "pandas":
        return "pandas"
    if module == "polars":
        return "polars"
    return "arrow"


def _to_arrow(persons: Any) -> Any:
    """A pyarrow Table (or an object with the Arrow C stream interface) for the native call."""
    kind = _frame_kind(persons)
    if kind in ("pandas", "polars"):
        import pyarrow as pa

        try:
            # polars via pyarrow: its own export of all-null columns is not readable here.
            return pa.Table.from_pandas(persons, preserve_index=False) if kind == "pandas" else persons.to_arrow()
        except (pa.ArrowException, OverflowError, TypeError, ValueError) as e:
            raise InvalidTypeError(f"the frame cannot be converted to Arrow: {e}", "invalid_type", "") from e
    if hasattr(persons, "__arrow_c_stream__"):
        return persons
    if hasattr(persons, "__arrow_c_array__"):  # a RecordBatch from an older pyarrow
        import pyarrow as pa

        return pa.Table.from_batches([persons])
    raise InvalidTypeError(
        f"expected a pyarrow Table or RecordBatch, a polars DataFrame or a pandas DataFrame, got {type(persons).__name__}",
        "invalid_type",
        "",
    )


def _from_arrow(batch: Any, kind: str) -> Any:
    import pyarrow as pa

    table = pa.Table.from_batches([batch])
    if kind == "pandas":
        import pandas as pd

        # Arrow-backed columns keep yen as integers (nullable) instead of floats with NaN.
        return table.to_pandas(types_mapper=pd.ArrowDtype)
    if kind == "polars":
        import polars as pl

        return pl.from_arrow(table)
    return table


class Engine:
    """The rules engine with its embedded, validated rulesets (and any overrides)."""

    def __init__(self, *, _native_engine: _native.Engine | None = None) -> None:
        self._engine = _native_engine if _native_engine is not None else _native.Engine()

    def evaluate(self, household: HouseholdLike, month: MonthLike, *, trace: bool = False) -> Evaluation:
        """Every scheme for one month. ``household`` is a dict, JSON text, a dataclass or a
        pydantic model in the household format (``engine.schema()``)."""
        return Evaluation(self._engine.evaluate(_household_arg(household), _month(month), _flag(trace, "trace")))

    def timeline(
        self,
        household: HouseholdLike,
        start: MonthLike,
        end: MonthLike,
        *,
        scheme: str,
        trace: bool = False,
    ) -> TimelineResult:
        """One monthly scheme (an id of ``schemes()``, e.g. ``child_allowance``; a grant scheme is an
        ``InputError``: its outcome is in ``evaluate``) for every month from
        ``start`` to ``end`` (both included), with payments."""
        return TimelineResult(
            self._engine.timeline(
                _household_arg(household), _month(start, "start"), _month(end, "end"), _flag(trace, "trace"), _scheme(scheme)
            )
        )

    def schemes(self) -> list[dict[str, Any]]:
        """Every scheme: ``id``, ``name`` and ``law`` (``ja``/``en``), ``level``, ``kind``, ``claimants``,
        the ``inputs`` it reads, the ``labels`` of its codes (reasons, bands, …) and its ``rulesets``."""
        return list(json.loads(self._engine.schemes_json()))

    def sources(self) -> dict[str, dict[str, Any]]:
        """The documents the rulesets cite, by the ids a trace's ``parameters[].source`` gives
        (title, url or statute or path, kind, date seen)."""
        return dict(json.loads(self._engine.sources_json())["sources"])

    def rulesets(self) -> list[dict[str, Any]]:
        """The rulesets: id, scheme, logic version, months covered, content hash, file."""
        return list(json.loads(self._engine.rulesets_json())["rulesets"])

    @property
    def rulesets_hash(self) -> str:
        return str(json.loads(self._engine.rulesets_json())["rulesets_hash"])

    @staticmethod
    def schema() -> dict[str, Any]:
        """JSON Schema of the household input."""
        return json.loads(_native.Engine.schema_json())  # type: ignore[no-any-return]

    def with_overrides(self, overrides: Mapping[str, Any]) -> Engine:
        """A new engine whose parameters are replaced by dated values, e.g.
        ``{"child_allowance/2024.amount_third_or_later": [{"from": "2026-04", "value": 40000}]}``.
        Keys are ``<ruleset id>.<parameter>``; unknown keys and wrong types raise OverrideError."""
        if not isinstance(overrides, Mapping):
            raise OverrideError(f"overrides must be a mapping, got {type(overrides).__name__}", "invalid_type", "")
        try:
            text = json.dumps(overrides, default=_json_default)
        except (TypeError, ValueError) as e:
            raise OverrideError(f"overrides are not JSON-serialisable: {e}", "invalid_type", "") from e
        return Engine(_native_engine=self._engine.with_overrides_json(text))

    def with_rules(self, rules: str | os.PathLike[str] | bytes | Mapping[str, Any]) -> Engine:
        """A new engine with a ruleset bundle added (a municipality's schemes, next April's amounts),
        validated exactly like the embedded rulesets. ``rules`` is a folder laid out as ``rulesets/``
        (e.g. ``municipal/382060/<scheme>/scheme.json``), a ``{"files": {...}}`` JSON file or its
        bytes, or a mapping ``{"<path>": <file as dict or JSON text>, ...}``. A path the engine has
        replaces that file. Raises ``RulesetError`` listing every error (``.errors``)."""
        if isinstance(rules, (bytes, bytearray)):
            text = bytes(rules).decode("utf-8", errors="strict")
        elif isinstance(rules, Mapping):
            files = {p: json.loads(f) if isinstance(f, (str, bytes)) else f for p, f in rules.items()}
            text = json.dumps({"files": files}, ensure_ascii=False)
        elif isinstance(rules, (str, os.PathLike)):
            root = pathlib.Path(rules)
            if root.is_dir():
                files = {
                    p.relative_to(root).as_posix(): json.loads(p.read_text(encoding="utf-8"))
                    for p in sorted(root.rglob("*.json"))
                }
                text = json.dumps({"files": files}, ensure_ascii=False)
            else:
                text = root.read_text(encoding="utf-8")
        else:
            raise InvalidTypeError(
                f"rules must be a folder, a bundle file or its bytes, or a mapping, got {type(rules).__name__}", "invalid_type", "/rules"
            )
        return Engine(_native_engine=self._engine.with_bundle_json(text))

    def income_year_for(self, month: MonthLike, scheme: str) -> int | None:
        """The calendar year whose income the income test of ``scheme`` in ``month`` reads
        (None: no test that month)."""
        return self._engine.income_year_for(_month(month), _scheme(scheme))

    @property
    def population_schemes(self) -> list[str]:
        """The schemes ``evaluate_population`` covers (the columnar path)."""
        return list(self._engine.population_schemes())

    def population_income_year(self, month: MonthLike) -> int | None:
        """The calendar year whose income the population path reads at ``month`` (None: no
        income test): the year the income columns of ``evaluate_population`` describe."""
        return self._engine.population_income_year(_month(month))

    def evaluate_population(
        self,
        persons: Any,
        month: MonthLike,
        *,
        schemes: Sequence[str] | None = None,
        per_child: bool = False,
        threads: int | None = None,
        max_persons: int = 200,
    ) -> Any:
        """Evaluate a whole population at one month (entitlement mode).

        ``persons`` is a long table — one row per person, the rows of a household contiguous —
        as a pyarrow Table/RecordBatch, a polars DataFrame or a pandas DataFrame, with the columns
        in ``POPULATION_COLUMNS`` (``household_id``, ``role`` and ``birth_date`` required; income
        columns describe the income year ``population_income_year(month)``; a parent whose money columns
        are all null has unknown income). Returns one row per household (``household_id``,
        ``status``, ``amount``, ``min_amount``, ``max_amount``, ``claimant_income``) in the same
        kind of frame; with ``per_child=True`` a tuple (households, children). Runs without the
        GIL, on ``threads`` threads (default: all cores); Ctrl-C interrupts it (KeyboardInterrupt).
        A household of more than ``max_persons`` rows is an error naming its first row beyond it.
        """
        covered = self.population_schemes
        schemes = covered if schemes is None else list(schemes)
        unknown = [s for s in schemes if s not in covered]
        if unknown:
            raise InvalidValueError(
                f"unknown scheme(s) {unknown}: the population path covers {', '.join(covered)}; "
                "evaluate the other schemes per household with Engine.evaluate",
                "invalid_value",
                "/schemes",
            )
        if threads is not None and (isinstance(threads, bool) or not isinstance(threads, int) or threads < 1):
            raise InvalidValueError("threads must be a positive integer (capped at the number of cores)", "invalid_value", "/threads")
        if not schemes:
            raise InvalidValueError("schemes must name at least one scheme", "invalid_value", "/schemes")
        if isinstance(max_persons, bool) or not isinstance(max_persons, int) or max_persons < 1:
            raise InvalidValueError("max_persons must be a positive integer", "invalid_value", "/max_persons")
        per_child = _flag(per_child, "per_child")
        kind = _frame_kind(persons)
        households, children = self._engine.evaluate_population(
            _to_arrow(persons), _month(month), per_child, threads, max_persons
        )
        out = _from_arrow(households, kind)
        if per_child:
            return out, _from_arrow(children, kind)
        return out


@dataclasses.dataclass(frozen=True)
class Comparison:
    """Baseline against reform over one population and month."""

    month: str
    households: int
    baseline_total: int
    reform_total: int
    gaining: int
    losing: int
    unchanged: int
    #: Per income band: {'band', 'households', 'gaining', 'losing', 'undetermined', 'baseline_total', 'reform_total', 'cost'}.
    by_income_band: list[dict[str, Any]]
    #: Households whose result is not determined in either engine (not counted as gaining or losing).
    undetermined: int

    @property
    def cost(self) -> int:
        """Monthly cost of the reform (reform total − baseline total), yen."""
        return self.reform_total - self.baseline_total

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(str(b['band']))}</td><td>{b['households']}</td><td>{b['gaining']}</td><td>{b['losing']}</td><td style='text-align:right'>{_yen(b['cost'])}</td></tr>"
            for b in self.by_income_band
        )
        return (
            f"<div><p>{self.month}: cost {_yen(self.cost)} per month; {self.gaining} gain, {self.losing} lose, {self.unchanged} unchanged</p>"
            f"<table><tr><th>claimant 所得額</th><th>households</th><th>gain</th><th>lose</th><th>cost</th></tr>{rows}</table></div>"
        )


def compare(
    baseline: Engine,
    reform: Engine,
    persons: Any,
    month: MonthLike,
    *,
    income_bands: Iterable[int] = (0, 2_000_000, 4_000_000, 6_000_000, 8_000_000, 10_000_000),
) -> Comparison:
    """Cost a reform: evaluate ``persons`` with both engines at ``month`` and compare household by
    household (total cost, who gains or loses, and the distribution by the claimant's 所得額 band —
    the income the month's income test read). Households whose income is unknown, and every
    household in a month without an income test (2012-04/05, from 2024-10), form the band
    'unknown'."""
    import pyarrow as pa

    table = _to_arrow(persons)
    if not isinstance(table, (pa.Table, pa.RecordBatch)):
        table = pa.table(table)
    base = baseline.evaluate_population(table, month)
    new = reform.evaluate_population(table, month)
    edges = sorted(income_bands)
    if not edges:
        raise InvalidValueError("income_bands needs at least one edge", "invalid_value", "/income_bands")
    labels = [f"{lo:,}–{hi - 1:,}" for lo, hi in zip(edges, edges[1:])] + [f"{edges[-1]:,}+"]
    below = f"<{edges[0]:,}"
    bands: dict[str, dict[str, Any]] = {}
    gaining = losing = unchanged = undetermined = 0
    base_amount = base.column("amount").to_pylist()
    new_amount = new.column("amount").to_pylist()
    base_status = base.column("status").to_pylist()
    new_status = new.column("status").to_pylist()
    incomes = base.column("claimant_income").to_pylist()
    for b_amt, n_amt, b_st, n_st, income in zip(base_amount, new_amount, base_status, new_status, incomes):
        if income is None:
            label = "unknown"
        else:
            label = below if income < edges[0] else labels[max(i for i, e in enumerate(edges) if income >= e)]
        band = bands.setdefault(
            label, {"band": label, "households": 0, "gaining": 0, "losing": 0, "undetermined": 0, "baseline_total": 0, "reform_total": 0}
        )
        band["households"] += 1
        band["baseline_total"] += b_amt
        band["reform_total"] += n_amt
        if "undetermined" in (b_st, n_st):
            undetermined += 1
            band["undetermined"] += 1
        elif n_amt > b_amt:
            gaining += 1
            band["gaining"] += 1
        elif n_amt < b_amt:
            losing += 1
            band["losing"] += 1
        else:
            unchanged += 1
    order = {label: i for i, label in enumerate([below, *labels, "unknown"])}
    rows = sorted(bands.values(), key=lambda b: order[b["band"]])
    for b in rows:
        b["cost"] = b["reform_total"] - b["baseline_total"]
    return Comparison(
        month=_month(month),
        households=len(base_amount),
        baseline_total=sum(base_amount),
        reform_total=sum(new_amount),
        gaining=gaining,
        losing=losing,
        unchanged=unchanged,
        by_income_band=rows,
        undetermined=undetermined,
    )
