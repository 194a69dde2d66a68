"""Fixtures shared by every test package."""

from __future__ import annotations

from pathlib import Path

import pytest

from valuation import Registry, default_registry

EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture
def examples_dir() -> Path:
    """The sample offer files shipped in examples/."""
    return EXAMPLES_DIR


@pytest.fixture
def builtin_registry() -> Registry:
    """The price registry shipped with the package."""
    return default_registry()
