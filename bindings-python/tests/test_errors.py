"""Bad input raises a kodomo_rules exception naming the field — never a crash."""

from __future__ import annotations

import pytest

import kodomo_rules as kr


@pytest.mark.parametrize(
    ("household", "cls", "path"),
    [
        ({"persons": [{"id": "a", "role": "parent", "wat": 1}]}, kr.UnknownFieldError, "/persons/0/wat"),
        ({"persons": [{"id": "a", "role": "parent", "income": {"2023": {"salary": "lots"}}}]}, kr.InvalidTypeError, "/persons/0/income/2023/salary"),
        ({"persons": [{"id": "a", "role": "parent", "income": {"2023": {"salary": 1.5}}}]}, kr.InvalidTypeError, "/persons/0/income/2023/salary"),
        ({"persons": [{"id": "c", "role": "child", "birth_date": "2023-02-29"}]}, kr.InvalidDateError, "/persons/0/birth_date"),
        ({"persons": [{"id": "a", "role": "parent", "income": {"2023": {"salary": -1}}}]}, kr.InvalidValueError, "/persons/0/income/2023/salary"),
        ({"persons": [{"id": "c", "role": "child"}]}, kr.MissingFieldError, "/persons/0/birth_date"),
        ({"persons": [{"id": "a", "role": "parent"}, {"id": "a", "role": "parent"}]}, kr.DuplicateIdError, "/persons/1/id"),
        ({"persons": "nobody"}, kr.InvalidTypeError, "/persons"),
    ],
)
def test_input_errors(engine: kr.Engine, household: object, cls: type[kr.Error], path: str) -> None:
    with pytest.raises(cls) as info:
        engine.evaluate(household, "2024-01")
    assert info.value.path == path
    assert isinstance(info.value, ValueError) and isinstance(info.value, kr.Error)
    assert path in str(info.value)


def test_wrong_python_types(engine: kr.Engine) -> None:
    with pytest.raises(kr.InvalidTypeError):
        engine.evaluate(42, "2024-01")
    with pytest.raises(TypeError) as info:  # InvalidTypeError is a TypeError too
        engine.evaluate({"persons": [{"id": object(), "role": "parent"}]}, "2024-01")
    assert info.value.path == "/persons/0/id"  # type: ignore[attr-defined]
    # A dict is read field by field: an unknown field is reported as such, whatever its value.
    with pytest.raises(kr.UnknownFieldError):
        engine.evaluate({"persons": [{"id": "a", "role": "parent", "x": object()}]}, "2024-01")
    # Lists where the model has an object, and keys that are not strings, are errors too.
    with pytest.raises(kr.InvalidTypeError) as info2:
        engine.evaluate({"persons": [["a", "parent"]]}, "2024-01")
    assert info2.value.path == "/persons/0"
    with pytest.raises(kr.InputError):
        engine.evaluate({"persons": [{"id": "a", "role": "parent", "income": {2023: {}}}]}, "2024-01")
    with pytest.raises(kr.InvalidJsonError):
        engine.evaluate("{not json", "2024-01")


def test_months(engine: kr.Engine) -> None:
    hh = {"persons": []}
    for bad in ["2024-13", "2024/01", "", "24-01"]:
        with pytest.raises(kr.InvalidMonthError) as info:
            engine.evaluate(hh, bad)
        assert info.value.path == "/month"
    with pytest.raises(kr.InvalidTypeError):
        engine.evaluate(hh, 202401)  # type: ignore[arg-type]
    with pytest.raises(kr.InvalidValueError) as info2:
        engine.timeline(hh, "2025-01", "2024-01", scheme="child_allowance")
    assert info2.value.path == "/to"
    with pytest.raises(kr.InvalidMonthError):
        engine.timeline(hh, "2025-01", "2025-99", scheme="child_allowance")


def test_months_before_2012_are_not_in_force_not_errors(engine: kr.Engine) -> None:
    r = engine.evaluate({"persons": [{"id": "p", "role": "parent"}, {"id": "c", "role": "child", "birth_date": "2005-01-01"}]}, "2010-06")
    assert r["child_allowance"].status == "not_in_force"


def test_review_regressions(engine: kr.Engine) -> None:
    import pickle

    with pytest.raises(kr.InvalidValueError):
        engine.evaluate({"persons": [{"id": "a", "role": "parent", "income": {"2023": {"salary": float("nan")}}}]}, "2024-01")
    with pytest.raises(kr.InvalidTypeError):
        engine.evaluate({"persons": []}, "2024-01", trace=1)  # type: ignore[arg-type]
    with pytest.raises(kr.InvalidJsonError):
        engine.evaluate(b"\xff\xfe", "2024-01")
    import datetime as dt

    hh = {"persons": [{"id": "p", "role": "parent"}, {"id": "c", "role": "child", "birth_date": dt.datetime(2023, 5, 10, 0, 0)}]}
    assert engine.evaluate(hh, "2025-06").totals["monthly"] == 15_000
    try:
        engine.with_overrides({"child_allowance/2024.amount_under_3": {"from": "2026-04", "value": "lots"}})
    except kr.OverrideError as e:
        again = pickle.loads(pickle.dumps(e))
        assert isinstance(again, kr.OverrideError) and isinstance(again, kr.InvalidTypeError) and again.path == e.path
    with pytest.raises(kr.OverrideError):
        engine.with_overrides({"child_allowance/2024.amount_under_3": {"from": "2026-04", "value": -1}})


def test_trailing_data_duplicate_keys_and_limits_are_errors() -> None:
    # Issue 18 items 3 and 6: one JSON document, no key twice, at most 200 applications.
    engine = kr.Engine()
    with pytest.raises(kr.InvalidJsonError):
        engine.evaluate('{"persons": []} {"persons": []}', "2025-06")
    with pytest.raises(kr.InvalidJsonError) as info:
        engine.evaluate('{"persons": [{"id": "a", "id": "b", "role": "parent"}]}', "2025-06")
    assert info.value.path == "/persons/0"
    apps = [{"scheme": "child_allowance", "claimant": "m", "date": "2020-01-01"}] * 201
    household = {"persons": [{"id": "m", "role": "parent"}], "applications": apps}
    with pytest.raises(kr.InvalidValueError) as info:
        engine.evaluate(household, "2025-06")
    assert info.value.path == "/applications/200"
