"""The .pyi stubs match the compiled module (mypy.stubtest); the package type-checks (mypy --strict)."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, cwd=ROOT)


def test_stubs_match_the_native_module() -> None:
    r = run("mypy.stubtest", "kodomo_rules._native")
    assert r.returncode == 0, r.stdout + r.stderr


def test_package_type_checks_strictly() -> None:
    r = run("mypy", "--config-file", "bindings-python/mypy.ini", "bindings-python/python/kodomo_rules")
    assert r.returncode == 0, r.stdout + r.stderr


def test_py_typed_marker_is_shipped() -> None:
    assert (ROOT / "bindings-python/python/kodomo_rules/py.typed").exists()
