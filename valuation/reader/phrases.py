"""The words that say what a figure is ("base", "RSU", "cliff", "API credits") and the phrases that set a term
without a figure ("rolls over", "lost if I leave", "quarterly"), each with the part of the offer it belongs to.

Patterns run on normalized text (lower case, single spaces). Alternatives are fixed phrases, so matching is linear.
"""

from __future__ import annotations

import re

# Which part of the offer each keyword belongs to.
GROUPS = {
    "sign_on": "sign_on",
    "clawback": "sign_on",
    "quoted_tc": "quoted_tc",
    "salary": "salary",
    "bonus": "bonus",
    "rsu": "equity",
    "option": "equity",
    "equity": "equity",
    "vest": "equity",
    "cliff": "equity",
    "strike": "equity",
    "preferred": "equity",
    "equity_value": "equity",
    "credits": "compute",
    "stipend": "compute",
    "expiry": "compute",
    "tail": "compute",
    "work": "compute",
    "tax_rate": "assumptions",
    "utilization": "assumptions",
}
# What kind of figure each keyword takes.
ACCEPTS = {
    "sign_on": {"money"},
    "clawback": {"duration"},
    "quoted_tc": {"money"},
    "salary": {"money"},
    "bonus": {"money", "percent"},
    "rsu": {"money", "duration", "schedule", "percent"},
    "option": {"money", "duration", "schedule"},
    "equity": {"money", "duration", "schedule", "percent"},
    "vest": {"duration", "schedule", "percent"},
    "cliff": {"duration", "percent"},
    "strike": {"money"},
    "preferred": {"money"},
    "equity_value": {"money"},
    "credits": {"money"},
    "stipend": {"money"},
    "expiry": {"duration", "days"},
    "tail": {"duration", "days"},
    "work": {"percent"},
    "tax_rate": {"percent"},
    "utilization": {"percent"},
}
_B = r"(?:(?<![a-z0-9])|(?=/))"  # a word (or a "/month") starts here
_E = r"(?![a-z0-9])"  # and ends here
KEYWORD_PATTERNS = {
    "sign_on": r"sign[- ]?on(?: bonus)?|signing(?: bonus)?|sign[- ]?(?:in|up) bonus|(?:joining|welcome|hiring) bonus",
    "quoted_tc": r"total (?:target )?(?:comp(?:ensation)?|package|rewards?|cash and equity)|tc|all[- ]in",
    "salary": r"base salary|base pay|base comp(?:ensation)?|salary|base",
    "bonus": r"bonus(?:es)?",
    "rsu": r"rsus?|restricted stock(?: units?)?",
    "option": r"(?:stock |share |iso |nso )?options?|isos?|nsos?",
    "equity": r"equity|stock(?: grant| award)?|shares",
    "strike": r"strike(?: price)?|exercise price",
    "preferred": r"preferred(?: share| stock)?(?: price)?|last round price",
    "credits": (
        r"(?:api |compute |cloud |inference |llm |ai |model )?credits?"
        r"|(?:compute|ai|api|llm|inference|token|model|gpu) (?:budget|stipend|allowance)|tokens?"
    ),
    # A stipend, allowance or subscription is compute only in a clause that speaks of AI (see AI_CONTEXT).
    "stipend": r"stipend|allowance|subscriptions?",
    "cliff": r"cliff",
    "vest": r"vest(?:ing|s|ed)?",
    "clawback": r"claw[- ]?back|repa(?:y|id|yable|yment)|pay (?:it )?back|paid back|returned",
    "expiry": r"expir(?:e|es|y|ation|ing)|valid for|use it or lose it|lapses?",
    "tail": r"tail|keep (?:access|using (?:them|it)|them|it)|retain access|access (?:continues|remains)",
    "work": (
        r"for work|work[- ]related|on work|work use|for my (?:job|work)|for the job|job[- ]related"
        r"|assigned work|required for (?:the |my )?(?:job|work|role)|on the job|for the role"
    ),
    "tax_rate": r"(?:marginal )?tax (?:rate|bracket)|marginal rate",
    "utilization": r"utili[sz](?:e|ation)|(?:i'd|i would|i'll|i will|i'd actually|i would actually) use",
}
KEYWORDS = re.compile("|".join(f"{_B}(?P<{name}>{p}){_E}" for name, p in KEYWORD_PATTERNS.items()))

# Phrases that set a term on their own: (name, pattern). Earlier ones win where two overlap, so a negated form
# comes before the plain one ("don't roll over" before "roll over").
# "don't", "dont", "do not", "never", ...: a negation, however it is typed.
_NOT = r"(?:never|not|no|do not|does not|will not|cannot|can ?not|(?:don|doesn|won|can|isn|aren|wouldn|shouldn)'?t)"
FLAG_PATTERNS = (
    ("no_cliff", r"no cliff|without (?:a |any )?cliff"),
    (
        "never_expire",
        rf"{_NOT} expire|no expir(?:y|ation)|without expiry",
    ),
    (
        "rollover_no",
        rf"{_NOT} (?:roll|carry) ?(?:over|forward)"
        r"|no roll ?over|non[- ]roll ?over",
    ),
    ("rollover_yes", r"roll(?:s|ed)? ?over|rollover|carr(?:y|ies|ied) (?:over|forward)"),
    (
        "personal_no",
        r"(?:work|business|company)[- ]use only|only for (?:work|business|company)|for work only|work only"
        rf"|{_NOT} (?:be )?(?:used )?(?:for )?personal",
    ),
    ("personal_yes", r"personal (?:use|projects?)|side projects?|own projects?|anything you (?:want|like)|non[- ]work"),
    ("cash_out", r"paid out|cash(?:ed)? out|pay (?:you |it |them )?out|converted to cash"),
    (
        "forfeit",
        r"lost|lose|loses|losing|forfeit(?:ed|s)?|gone|go away|goes away|disappears?|cancel+ed|void|ends?|stops?",
    ),
    ("tax_excluded", r"tax[- ]free|not taxed|non[- ]taxable|not taxable|excluded from (?:income|tax)"),
    ("tax_working", r"working[- ]condition"),
    ("tax_taxable", r"taxable|taxed as (?:income|compensation|wages)|reported as income"),
    (
        "tc_out",
        r"(?:not (?:included|counted)|on top of|in addition to|excluded from) (?:in )?(?:the |your |our )?"
        r"(?:tc|total comp(?:ensation)?|package)",
    ),
    (
        "tc_in",
        r"(?:included|counted|part of|counts? toward) (?:in )?(?:the |your |our )?(?:tc|total comp(?:ensation)?|package)",
    ),
    ("claw_none", r"no clawback|not repayable|no repayment|non[- ]?refundable"),
    ("claw_full", r"in full|full amount|entire (?:amount|bonus)|100% of it"),
    ("claw_prorated", r"pro[- ]?rat(?:ed|a)|prorat(?:ed|a)"),
    ("monthly", r"per month|a month|/ ?mo(?:nth)?|monthly|each month|every month|/ ?mth"),
    ("quarterly", r"quarterly|each quarter|every quarter|per quarter|every 3 months"),
    ("yearly", r"per year|a year|/ ?y(?:ea)?r|annually|yearly|each year|every year|per annum|p\.a\.|annual"),
    ("one_time", r"(?:one|1)[- ]?time|one[- ]off|once|up[- ]?front|lump[- ]sum"),
    ("stage_seed_a", r"seed|series a|pre[- ]seed"),
    ("stage_b_c", r"series [bc]"),
    ("stage_late", r"series [d-h]|late[- ]stage"),
    ("stage_pre_ipo", r"pre[- ]ipo"),
    ("stage_public", r"publicly traded|public company|listed on|nasdaq|nyse"),
)
FLAGS = re.compile("|".join(f"{_B}(?P<{name}>{p})(?![a-z0-9])" for name, p in FLAG_PATTERNS))
# Which parts of the offer a flag can belong to.
FLAG_GROUPS = {
    "no_cliff": ("equity",),
    "never_expire": ("compute",),
    "rollover_no": ("compute",),
    "rollover_yes": ("compute",),
    "personal_no": ("compute",),
    "personal_yes": ("compute",),
    "cash_out": ("compute",),
    "forfeit": ("compute",),
    "tax_excluded": ("compute",),
    "tax_working": ("compute",),
    "tax_taxable": ("compute",),
    "tc_out": ("compute",),
    "tc_in": ("compute",),
    "claw_none": ("sign_on",),
    "claw_full": ("sign_on",),
    "claw_prorated": ("sign_on",),
    "monthly": ("compute", "equity", "salary"),
    "quarterly": ("equity",),
    "yearly": ("compute", "equity"),
    "one_time": ("compute",),
    "stage_seed_a": ("equity",),
    "stage_b_c": ("equity",),
    "stage_late": ("equity",),
    "stage_pre_ipo": ("equity",),
    "stage_public": ("equity",),
}
# Leaving the job: "lost" or "paid out" are departure terms only beside one of these.
LEAVING = re.compile(
    r"(?<![a-z])(?:leave|leaving|left|depart\w*|quit|quitting|terminat\w*|separation|exit|last day)(?![a-z])"
)
# Words that make a clause about AI compute, so a stipend or subscription in it is a compute grant.
AI_CONTEXT = re.compile(
    r"(?<![a-z])(?:ai|api|apis|llms?|compute|gpus?|tokens?|models?|inference|claude|chatgpt|gpt[-a-z0-9.]*|openai"
    r"|anthropic|gemini|cursor|copilot|ml|cloud|h100s?)(?![a-z])"
)
# Perks that are not compute, whatever they are called: taken before keywords are looked for.
OTHER_PERKS = re.compile(
    r"(?<![a-z])(?:learning|education|educational|tax|wellness|wellbeing|travel|course|training|book|conference"
    r"|health|gym|meal|food|lunch|commuter|commute|transit|phone|internet|home office|office|relocation|moving"
    r"|childcare|parental) (?:credits?|stipend|allowance|budget|subscriptions?)(?![a-z])"
)
# Figures that are no amount: retirement plan names. Not after a currency mark ("$401k" is money) nor before what
# only pay is ("401k base", "401k salary", "401k a year").
NOT_FIGURES = re.compile(
    r"(?<![\w.$€£¥])(?<![$€£¥] )(?:401 ?\(?k\)?|403 ?\(?b\)?|457 ?\(?b\)?)(?![a-z0-9])"
    r"(?! ?(?:base|salary|annual|a year|per year|/ ?y(?:ea)?r))"
)
# "base salary: 401k", "base of 401k": what comes right after the word for pay is the pay.
PAY_BEFORE = re.compile(r"(?<![a-z])(?:base|salary|base pay)(?: of| is| at)?[ :=-]*$")
