"""Model configurations as arnn stores them in a checkpoint's `arnn.config` (JSON, arnn's field names).

Each model declares its fields once, as a table of `Field`s: name, type, default (or required) and the
range arnn's `validate()` accepts. Reading refuses unknown fields with a message naming them (a config
written by a newer arnn, e.g. with a field this package does not implement yet, must not be half-read),
and writing always writes every field, because arnn's synthesised decoders require every key.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any, Callable, Optional

from .errors import ArnnError

REQUIRED = object()


@dataclass(frozen=True)
class Field:
    name: str
    type: type
    default: Any = REQUIRED
    check: Optional[Callable[[Any], bool]] = None
    expected: str = ""
    # None (JSON null) is a value of its own: "unset" (arnn's optional fields, e.g. bottomPushBias).
    optional: bool = False


class Config:
    """A model's config: attribute access by arnn's field names (`config.memoryRows`)."""

    model = ""
    fields: tuple[Field, ...] = ()
    # What the model reads: bit vectors ("bits", widths inputSize/outputSize) or token ids ("tokens").
    reads = "bits"

    def __init__(self, **values: Any) -> None:
        known = {f.name for f in self.fields}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ArnnError(f"{self.model} config: unknown field {unknown[0]!r} "
                            f"(arnn_torch knows {', '.join(sorted(known))}; a newer arnn may have added it)")
        for f in self.fields:
            if f.name in values:
                value = values[f.name]
            elif f.default is REQUIRED:
                raise ArnnError(f"{self.model} config: missing field {f.name!r}")
            else:
                value = f.default
            if value is None and f.optional:
                setattr(self, f.name, None)
                continue
            value = self._coerce(f, value)
            if f.check is not None and not f.check(value):
                raise ArnnError(f"{self.model} config: {f.name} must be {f.expected}, got {value!r}")
            setattr(self, f.name, value)
        self.validate()

    def _coerce(self, f: Field, value: Any) -> Any:
        if f.type is int:
            if isinstance(value, bool) or not isinstance(value, int):
                if isinstance(value, float) and value.is_integer():
                    return int(value)
                raise ArnnError(f"{self.model} config: {f.name} must be an integer, got {value!r}")
            return value
        if f.type is float:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ArnnError(f"{self.model} config: {f.name} must be a number, got {value!r}")
            return float(value)
        if not isinstance(value, f.type):
            raise ArnnError(f"{self.model} config: {f.name} must be a {f.type.__name__}, got {value!r}")
        return value

    @property
    def io_sizes(self) -> tuple[int, int]:
        """The widths a task must have: (input, output) bits, or (source, target) vocabulary sizes."""
        return self.inputSize, self.outputSize

    def validate(self) -> None:
        """Checks between fields (each field's own range is checked on construction)."""

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in self.fields}

    def to_json(self) -> str:
        """Compact JSON with sorted keys, as arnn's JSONEncoder writes it."""
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> "Config":
        try:
            values = json.loads(text)
        except json.JSONDecodeError as e:
            raise ArnnError(f"arnn.config is not JSON ({e.msg} at character {e.pos})") from None
        if not isinstance(values, dict):
            raise ArnnError("arnn.config must be a JSON object")
        return cls(**values)

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.to_dict() == other.to_dict()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.to_json()})"


def in_range(low: float, high: float) -> Callable[[Any], bool]:
    return lambda v: low <= v <= high


def finite(v: float) -> bool:
    return math.isfinite(v)
