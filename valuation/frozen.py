"""A faster ``__init__`` for the core's frozen result rows (see :func:`direct_init`)."""

from __future__ import annotations

from dataclasses import MISSING, fields
from typing import Any, TypeVar

Frozen = TypeVar("Frozen")


def direct_init(cls: type[Frozen]) -> type[Frozen]:
    """Give a frozen, slotted dataclass an ``__init__`` that writes its slots directly.

    A frozen dataclass's own ``__init__`` goes through ``object.__setattr__`` for every field, which costs about
    three times as much; a valuation builds a few hundred of these rows. The instances stay frozen: only this
    ``__init__`` writes the slots. Like :mod:`dataclasses` itself, the method is generated from source, here with
    the slot setters bound as closure variables.
    """
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    assert all(f.default is MISSING and f.default_factory is MISSING for f in fields(cls))  # type: ignore[arg-type]
    setters = [getattr(cls, name).__set__ for name in names]
    body = "".join(f"        _set{i}(self, {name})\n" for i, name in enumerate(names))
    source = (
        f"def _factory({', '.join(f'_set{i}' for i in range(len(names)))}):\n"
        f"    def __init__(self, {', '.join(names)}):\n{body}"
        "    return __init__\n"
    )
    namespace: dict[str, Any] = {}
    exec(source, namespace)
    init = namespace["_factory"](*setters)
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    setattr(cls, "__init__", init)  # noqa: B010 (mypy refuses an assignment to a method)
    return cls
