"""A faster ``__init__`` for the core's frozen result rows (see :func:`direct_init`)."""

from __future__ import annotations

from dataclasses import MISSING, fields
from typing import Any, TypeVar

Frozen = TypeVar("Frozen")


class _Nothing:
    """A default_factory field's parameter when the caller passed nothing."""


def direct_init(cls: type[Frozen]) -> type[Frozen]:
    """Give a frozen, slotted dataclass an ``__init__`` that writes its slots directly.

    A frozen dataclass's own ``__init__`` goes through ``object.__setattr__`` for every field, which costs about
    three times as much; a valuation, its advice and their rendering build a few hundred such objects. The
    instances stay frozen: only this ``__init__`` writes the slots. The parameters are the dataclass's own, in its
    order, with its defaults (a ``default_factory`` is called when the argument is left out). Like
    :mod:`dataclasses` itself, the method is generated from source, with the slot setters and the defaults bound as
    closure variables. Only for plain fields: no ``__post_init__``, no keyword-only or ``init=False`` fields.
    """
    found = fields(cls)  # type: ignore[arg-type]
    assert not hasattr(cls, "__post_init__") and all(f.init and not f.kw_only for f in found), cls
    bound: dict[str, Any] = {}
    parameters, body = [], []
    for i, f in enumerate(found):
        bound[f"_set{i}"] = getattr(cls, f.name).__set__
        if f.default is not MISSING:
            bound[f"_default{i}"] = f.default
            parameters.append(f"{f.name}=_default{i}")
        elif f.default_factory is not MISSING:
            bound[f"_factory{i}"] = f.default_factory
            parameters.append(f"{f.name}=_Nothing")
            body.append(f"        if {f.name} is _Nothing:\n            {f.name} = _factory{i}()\n")
        else:
            parameters.append(f.name)
        body.append(f"        _set{i}(self, {f.name})\n")
    bound["_Nothing"] = _Nothing
    source = (
        f"def _make({', '.join(bound)}):\n"
        f"    def __init__(self, {', '.join(parameters)}):\n{''.join(body)}"
        "    return __init__\n"
    )
    namespace: dict[str, Any] = {}
    exec(source, namespace)
    init = namespace["_make"](**bound)
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    setattr(cls, "__init__", init)  # noqa: B010 (mypy refuses an assignment to a method)
    return cls
