"""Command groups, one module each. ``EXTENSIONS`` lists them for loading."""

EXTENSIONS = (
    "bot.features.offer",
    "bot.features.tokens",
    "bot.features.info",
    "bot.features.settings",
    "bot.features.saved",
    "bot.features.message_menu",
    "bot.features.advise",
    "bot.features.form",
    "bot.features.whatif",
)
