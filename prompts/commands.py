"""Names and descriptions of the bot's slash commands and options: words users read in Discord's command picker.

Kept here with the other wording; the bot reads them when it builds its command tree. Descriptions are at most
100 characters (Discord's limit; a test checks).
"""

from __future__ import annotations

COMMANDS: dict[str, str] = {
    "offer": "Value a job offer, including AI credits, tokens and GPU hours",
    "offer evaluate": "What an offer is really worth: year by year, each compute grant, the cost of leaving",
    "tokens": "Tokens and GPU-hours in dollars",
    "tokens value": "Tokens or GPU-hours to dollars (or dollars to tokens) at list price",
    "help": "How to use Fourth Pillar",
    "about": "How Fourth Pillar values offers: methodology, sources, price date, disclaimers",
    "privacy": "What Fourth Pillar stores about you, and the privacy policy",
    "offer save": "Keep your last evaluated offer (or an offer file) under a name, encrypted",
    "offer list": "Your saved offers (only you can see them)",
    "offer delete": "Delete one of your saved offers",
    "offer compare": "Compare two or three of your saved offers (or an offer file) side by side",
    "offer advise": "What to ask for (toward a target if you give one), and an email to send",
    "offer form": "Type your offer into a form, prefilled from your last one",
    "config": "This server's defaults for offer valuations (moderators)",
    "config show": "Show this server's defaults, where each comes from, and the last changes",
    "config set": "Set one of this server's defaults",
    "config reset": "Put one of this server's defaults (or all) back to the built-in value",
    "defaults": "Your own default assumptions, used wherever you evaluate an offer",
    "defaults show": "Show your defaults (only you can see them)",
    "defaults set": "Set one of your defaults",
    "defaults reset": "Clear one of your defaults (or all)",
}

# Message context-menu entries (right-click a message → Apps): shown as written, at most 32 characters.
CONTEXT_MENUS: dict[str, str] = {
    "evaluate message": "Evaluate offer (private)",
}

OPTIONS: dict[str, dict[str, str]] = {
    "offer evaluate": {
        "base": "Yearly base salary, e.g. 180k (not needed with offer_file)",
        "bonus": "Target bonus: a share of base (15%) or an amount per year (25k)",
        "sign_on": "Sign-on bonus, e.g. 30k",
        "equity": "RSU grant value over the whole vesting period, e.g. 400k",
        "equity_years": "Vesting years of that grant (default 4, with a 1-year cliff)",
        "credits": "Compute stipend per tranche: money (50k), or a token count (100M) or GPU-hours with model",
        "model": "Model or GPU the credits are in (for token or GPU-hour counts)",
        "credits_cadence": "How often the credits land (default yearly)",
        "on_departure": "What happens to unspent credits when you leave (default forfeit)",
        "tail_months": "Months unspent credits stay usable after you leave (sets on_departure to tail)",
        "work_required": "Share of the credits you'd spend on assigned work anyway, e.g. 60%",
        "personal_use": "May you spend the credits on your own projects? (default no)",
        "tax_treatment": "How the credits are taxed (if unset: a range from taxed in full to untaxed)",
        "expiry_months": "Months until each tranche expires (0 = never; default 12)",
        "employer": "Employer name, shown in the result",
        "quoted_tc": "The total compensation the employer quoted, e.g. 450k",
        "currency": "The offer's currency (default: your or the server's default, else USD)",
        "usd_rate": "For a non-USD offer: how many units of its currency one US dollar buys, e.g. 0.92",
        "offer_file": "A TOML or JSON offer file (up to 64 KB), or a .txt file with the offer as written",
        "text": "The offer as written, e.g. pasted from the recruiter's email (options override what it says)",
    },
    "offer save": {
        "name": "A name for it, e.g. acme",
        "offer_file": "Save this TOML or JSON offer file instead of your last evaluated offer",
    },
    "offer delete": {"name": "Which saved offer"},
    "offer advise": {
        "target": "Year-1 total you aim for, e.g. 250k",
        "target_horizon": "Target is the whole horizon's total, not year 1",
        "name": "A saved offer",
        "text": "The offer as written (options override it)",
        "offer_file": "TOML/JSON offer file, or .txt as written",
        "base": "Yearly base, e.g. 180k",
        "bonus": "Bonus: 15% or 25k",
        "credits": "Compute per tranche: 50k, or 100M with model",
        "model": "Model or GPU of the credits",
    },
    "offer compare": {
        "first": "A saved offer",
        "second": "Another saved offer",
        "third": "Optionally a third",
        "offer_file": "A TOML or JSON offer file to compare without saving it",
        "months": "Compare over this many months (default: the shortest of the offers' horizons)",
    },
    "privacy": {"retention_days": "Days to keep saved offers (1–365; default 30)"},
    "config set": {
        "setting": "Which default to set",
        "value": "The new value, e.g. 32%, EUR, CA, on or off",
    },
    "config reset": {"setting": "Which default to reset (leave empty for all)"},
    "defaults set": {
        "setting": "Which default to set",
        "value": "The new value, e.g. 32%, EUR, CA, married-joint, 36 or off",
    },
    "defaults reset": {"setting": "Which default to clear (leave empty for all)"},
    "tokens value": {
        "amount": "A token count (100M), GPU-hours (2000), or dollars ($500)",
        "model": "Model or GPU id from the price registry",
    },
}

CHOICES: dict[str, dict[str, str]] = {
    "credits_cadence": {"one-time": "One-time", "monthly": "Every month", "yearly": "Every year"},
    "on_departure": {"forfeit": "Forfeited", "tail": "Usable for a tail period", "cash": "Paid out in cash"},
    "tax_treatment": {
        "taxable": "Taxable at full value",
        "working-condition": "Work share excluded",
        "excluded": "Not taxed",
    },
}
