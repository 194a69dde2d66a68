"""The ``fourth-pillar`` command line: offline valuation, advice and prices, and the bot's run/sync/migrate."""
