"""Throughput benchmark of the valuation core: ``python -m bench``."""
