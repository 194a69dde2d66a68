"""Marginal tax rate estimated from the offer, from dated, sourced schedules (US federal and states, UK, DE).

:mod:`valuation.tax.tables` reads the schedules, :mod:`valuation.tax.schedules` computes each part of the rate on
the next unit of pay, :mod:`valuation.tax.estimate` applies them to an offer.
"""
