"""Exact plain numbers keep every digit the engine computed."""

from __future__ import annotations

from decimal import Decimal

from valuation.serialize import exact


def test_exact_keeps_all_34_digits_and_drops_trailing_zeros() -> None:
    """8471.4999…9 (34 digits) stays below one half, so it later rounds to 8,471, not 8,472; 1E+3 is "1000"; a
    zero with an exponent is "0"; trailing zeros go."""
    long_value = Decimal("8471.499999999999999999999999999999")
    assert exact(long_value) == "8471.499999999999999999999999999999"
    assert exact(Decimal("1E+3")) == "1000"
    assert exact(Decimal("0E-10")) == "0"
    assert exact(Decimal("12.3400")) == "12.34"
    assert exact(Decimal("-0.00")) == "0"
