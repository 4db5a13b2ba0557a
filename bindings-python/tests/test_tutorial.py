"""docs/python-tutorial.md runs as written."""

from __future__ import annotations

import os
import pathlib
import re

import pytest

from conftest import ROOT


def test_tutorial_runs(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (ROOT / "docs" / "python-tutorial.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert len(blocks) >= 5
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, "python-tutorial.md", "exec"), namespace)
    assert os.path.getsize(tmp_path / "benefit_by_income.png") > 10_000
