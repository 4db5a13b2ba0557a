"""Benchmark: kodomo_rules.Engine.evaluate_population on 1,000,000 synthetic households
(about 3.4 million persons) from a pyarrow Table, end to end; peak memory of the process.

Run: .venv/bin/python benches/python_population.py [households]   (results in benches/README.md)
"""

from __future__ import annotations

import resource
import sys
import time

import numpy as np
import pyarrow as pa

import kodomo_rules as kr


def population(households: int, seed: int = 1) -> pa.Table:
    rng = np.random.default_rng(seed)
    parents = rng.choice([1, 2], size=households, p=[0.15, 0.85])
    children = rng.choice([0, 1, 2, 3, 4], size=households, p=[0.05, 0.3, 0.4, 0.2, 0.05])
    sizes = parents + children
    hid = np.repeat(np.arange(households, dtype=np.int64), sizes)
    # Within each household: parents first, then children.
    starts = np.cumsum(sizes) - sizes
    pos = np.arange(hid.size) - np.repeat(starts, sizes)
    is_parent = pos < np.repeat(parents, sizes)
    birth = (np.datetime64("2001-01-01") + rng.integers(0, 24 * 365, size=hid.size).astype("timedelta64[D]")).astype("datetime64[D]")
    salary = rng.integers(0, 14_000_000, size=hid.size)
    return pa.table({
        "household_id": hid,
        "role": pa.array(np.where(is_parent, "parent", "child")),
        "birth_date": pa.array(birth, mask=is_parent),
        "salary": pa.array(salary, mask=~is_parent),
        "other_dependants": pa.array(np.zeros(hid.size, dtype=np.int64), mask=~is_parent),
    })


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    engine = kr.Engine()
    table = population(n)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{n:,} households, {table.num_rows:,} persons, table {table.nbytes / 2**20:.0f} MiB; peak RSS so far {rss_before:.0f} MiB")
    for month in ["2024-06", "2025-06"]:
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            out = engine.evaluate_population(table, month)
            times.append(time.perf_counter() - t0)
        total = sum(out.column("amount").to_pylist())
        print(f"{month}: best {min(times):.3f} s, median {sorted(times)[1]:.3f} s ({n / min(times) / 1e6:.2f} M households/s); total {total:,} yen")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the process {rss:.0f} MiB")


if __name__ == "__main__":
    main()
