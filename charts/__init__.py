"""Charts of what the valuation computed: where the money is, what leaving costs, offers compared.

``charts.figures`` builds a small picklable spec from a core result (figures and words, no arithmetic on money);
``charts.render`` draws it to deterministic PNG bytes with matplotlib's object-oriented API on the Agg canvas.
Only ``charts.render`` imports matplotlib, so a process that only builds specs (the bot, whose workers draw) never
does.
"""

from __future__ import annotations

from charts.figures import Chart, CompareChart, LeaveChart, MoneyChart, compare_chart, leave_chart, money_chart

__all__ = [
    "Chart",
    "CompareChart",
    "LeaveChart",
    "MoneyChart",
    "compare_chart",
    "leave_chart",
    "money_chart",
]
