"""The one error type the core raises for bad input.

The core carries no sentences: a problem is a field path, the offending value, a reason code and an example of a
good value. Templates in ``prompts/`` turn problems into words.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum


class Reason(StrEnum):
    """Why a value was refused. Each code has a template in ``prompts/templates/errors``."""

    INVALID_TOML = "invalid_toml"
    INVALID_JSON = "invalid_json"
    NOT_A_TABLE = "not_a_table"
    UNKNOWN_KEY = "unknown_key"
    MISSING = "missing"
    WRONG_TYPE = "wrong_type"
    NOT_AN_AMOUNT = "not_an_amount"
    NOT_A_SHARE = "not_a_share"
    NOT_A_COUNT = "not_a_count"
    NEGATIVE = "negative"
    ZERO = "zero"
    TOO_LARGE = "too_large"
    SHARE_OVER_100 = "share_over_100"
    NOT_ONE_OF = "not_one_of"
    UNKNOWN_MODEL = "unknown_model"
    UNKNOWN_GPU = "unknown_gpu"
    CLIFF_LONGER_THAN_VESTING = "cliff_longer_than_vesting"
    SCHEDULE_LENGTH = "schedule_length"
    SCHEDULE_SUM = "schedule_sum"
    NEEDS_USD_RATE = "needs_usd_rate"
    ONE_DENOMINATION = "one_denomination"
    MODEL_WITHOUT_TOKENS = "model_without_tokens"
    TOKENS_WITHOUT_MODEL = "tokens_without_model"
    GPU_WITHOUT_HOURS = "gpu_without_hours"
    HOURS_WITHOUT_GPU = "hours_without_gpu"
    OPTION_FIELDS = "option_fields"
    RSU_FIELDS = "rsu_fields"
    BAD_DATE = "bad_date"
    DEADLINE_BEFORE_TODAY = "deadline_before_today"
    BAD_CURRENCY = "bad_currency"
    CURRENCY_MISMATCH = "currency_mismatch"
    TOO_MANY = "too_many"
    TOO_LONG = "too_long"
    OUT_OF_RANGE = "out_of_range"
    TAIL_WITHOUT_MONTHS = "tail_without_months"
    FILE_TOO_LARGE = "file_too_large"
    NOT_TEXT = "not_text"
    BAD_REGISTRY = "bad_registry"
    SHARE_WITHOUT_PERCENT = "share_without_percent"
    MARK_MISMATCH = "mark_mismatch"
    DOLLARS_NEED_USD_RATE = "dollars_need_usd_rate"
    USD_RATE_IN_USD_OFFER = "usd_rate_in_usd_offer"
    IMPLAUSIBLE_CREDITS = "implausible_credits"
    CREDITS_WITHOUT_MODEL = "credits_without_model"
    TAIL_MONTHS_WITHOUT_TAIL = "tail_months_without_tail"
    TOO_FEW = "too_few"
    HORIZON_MISMATCH = "horizon_mismatch"
    IMPLAUSIBLE_GPU_HOURS = "implausible_gpu_hours"
    DOLLARS_ONLY = "dollars_only"
    UNKNOWN_LOCALE = "unknown_locale"
    DOLLAR_CREDITS_WITH_MODEL = "dollar_credits_with_model"
    FEW_TOKENS = "few_tokens"
    NEEDS_TAX_RATE = "needs_tax_rate"
    PAY_NEEDS_USD_RATE = "pay_needs_usd_rate"
    UNKNOWN_STATE = "unknown_state"
    NESTED_TOO_DEEP = "nested_too_deep"
    NUMBER_TOO_LONG = "number_too_long"
    NOTHING_READ = "nothing_read"
    UNCLEAR_TEXT = "unclear_text"


@dataclass(frozen=True, slots=True)
class Problem:
    """One refused value: where it is, what it was, why, and what a good one looks like."""

    field: str
    value: str
    reason: Reason
    example: str
    limit: str = ""
    source: str = ""  # the offer it is in (a file or saved name) when several are read at once
    currency: str = ""  # the currency value and limit are in, when they are money

    def as_dict(self) -> dict[str, str]:
        return {
            "field": self.field,
            "value": self.value,
            "reason": self.reason.value,
            "example": self.example,
            "limit": self.limit,
            "source": self.source,
            "currency": self.currency,
        }


class OfferError(ValueError):
    """Raised for any invalid offer, assumption, price file or comparison. Carries one or more problems."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        if not problems:
            raise ValueError("OfferError needs at least one problem")
        self.problems: tuple[Problem, ...] = tuple(problems)
        first = self.problems[0]
        super().__init__(f"{first.field}: {first.reason.value}")

    @property
    def first(self) -> Problem:
        return self.problems[0]

    @classmethod
    def single(
        cls, field: str, value: object, reason: Reason, example: str, limit: str = "", *, source: str = ""
    ) -> OfferError:
        return cls([Problem(field, show_value(value), reason, example, limit, source)])

    def within(self, source: str) -> OfferError:
        """The same problems, marked as found in ``source`` (a file or saved offer among several)."""
        return OfferError([replace(p, source=source) for p in self.problems])


def show_value(value: object, limit: int = 80) -> str:
    """A short, printable form of a bad value (never the whole of a long paste)."""
    text = value if isinstance(value, str) else repr(value)
    text = text.replace("\n", " ").replace("\r", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"
