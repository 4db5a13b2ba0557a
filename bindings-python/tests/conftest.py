from __future__ import annotations

import pathlib

import pytest

import kodomo_rules as kr

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def engine() -> kr.Engine:
    return kr.Engine()
