"""``python -m bench``: run the valuation benchmark and print its report."""

from bench.run import main

raise SystemExit(main())
