"""Charts of what the valuation computed: where the money is, what leaving costs, offers compared.

``charts.figures`` builds a small picklable spec from a core result (figures and words, no arithmetic on money);
``charts.render`` draws it to deterministic PNG bytes with matplotlib's object-oriented API on the Agg canvas.
"""

from charts.figures import Chart, CompareChart, LeaveChart, MoneyChart, compare_chart, leave_chart, money_chart
from charts.render import MAX_PNG_BYTES, render

__all__ = [
    "MAX_PNG_BYTES",
    "Chart",
    "CompareChart",
    "LeaveChart",
    "MoneyChart",
    "compare_chart",
    "leave_chart",
    "money_chart",
    "render",
]
