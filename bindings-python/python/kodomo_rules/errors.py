"""Exceptions of kodomo_rules.

Every input error names the offending field as a JSON pointer (``path``) and has a stable
``code``. Input errors are ``ValueError``s; wrong types are also ``TypeError``s.
"""

from __future__ import annotations

from typing import Any


class Error(Exception):
    """Base class of every kodomo_rules error."""

    code: str
    path: str
    message: str

    def __init__(self, message: str, code: str = "error", path: str = "") -> None:
        self.code = code
        self.path = path
        self.message = message
        where = path if path else "(document)"
        super().__init__(f"{where}: {message} [{code}]")

    def __reduce__(self) -> tuple[Any, ...]:
        # Picklable (e.g. across multiprocessing), including the combined override classes.
        kind = "ruleset" if isinstance(self, RulesetError) else "override" if isinstance(self, OverrideError) else "input"
        return (from_native, (kind, self.code, self.path, self.message))


class InputError(Error, ValueError):
    """Bad input (household, month, population table, option)."""


class InvalidJsonError(InputError):
    """The input is not JSON."""


class UnknownFieldError(InputError):
    """A field (or column) the model does not have."""


class MissingFieldError(InputError):
    """A required field (or column) is absent."""


class InvalidTypeError(InputError, TypeError):
    """A value of the wrong type."""


class InvalidDateError(InputError):
    """A date that does not exist or is out of range."""


class InvalidMonthError(InputError):
    """A month that is not YYYY-MM."""


class InvalidValueError(InputError):
    """A value of the right type that the rules cannot accept."""


class DuplicateIdError(InputError):
    """Two persons with one id."""


class UnknownReferenceError(InputError):
    """A reference to no such person, ruleset or parameter."""


class OverrideError(InputError):
    """A bad parameter override (see ``Engine.with_overrides``)."""


class RulesetError(Error):
    """A ruleset failed validation: an embedded one (a packaging defect) or a bundle given to
    ``Engine.with_rules``. ``path`` is ``<file>:<JSON pointer>`` of the first error; ``errors``
    lists every one as ``(file, pointer, message)``."""

    @property
    def errors(self) -> list[tuple[str, str, str]]:
        out = []
        for line in self.message.split("\n"):
            file, _, rest = line.partition(": ")
            pointer, _, message = rest.partition(": ")
            out.append((file, "" if pointer == "(document)" else pointer, message))
        return out


_BY_CODE: dict[str, type[InputError]] = {
    "invalid_json": InvalidJsonError,
    "unknown_field": UnknownFieldError,
    "missing_field": MissingFieldError,
    "invalid_type": InvalidTypeError,
    "invalid_date": InvalidDateError,
    "invalid_month": InvalidMonthError,
    "invalid_value": InvalidValueError,
    "duplicate_id": DuplicateIdError,
    "unknown_reference": UnknownReferenceError,
}


_OVERRIDE: dict[type[InputError], type[InputError]] = {}


def _override_class(base: type[InputError]) -> type[InputError]:
    """``OverrideError`` combined with the class for the code (e.g. also an InvalidTypeError)."""
    if base not in _OVERRIDE:
        _OVERRIDE[base] = type(f"Override{base.__name__}", (OverrideError, base), {"__module__": __name__})
    return _OVERRIDE[base]


def from_native(kind: str, code: str, path: str, message: str) -> Error:
    """Build the exception for an error reported by the native module."""
    if kind == "ruleset":
        return RulesetError(message, code, path)
    base = _BY_CODE.get(code, InvalidValueError)
    cls = _override_class(base) if kind == "override" else base
    return cls(message, code, path)
