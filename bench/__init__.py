"""Benchmarks: ``python -m bench`` (the valuation core: bench/core.py)."""
