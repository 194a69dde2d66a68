"""The offer: what a person was offered, as pydantic models (frozen, no unknown keys).

The same model comes from an offer file (TOML or JSON), from slash-command options, or from a form. Amounts
accept the human forms in :mod:`valuation.parsing`. Validation needs the price registry (to know model and GPU
ids), passed as pydantic context; :func:`valuation.loader.build_offer` does that and turns every failure into one
:class:`~valuation.errors.OfferError`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal, NoReturn, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from valuation.errors import Reason
from valuation.parsing import (
    MAX_AMOUNT,
    ParseError,
    currency_mark,
    parse_amount,
    parse_amount_or_share,
    parse_count,
    parse_share,
)
from valuation.registry import Registry

T = TypeVar("T")

# ISO 4217 codes an offer may name (the ones with a Babel locale in common use; others are refused as unknown).
CURRENCIES = frozenset(
    [
        "USD",
        "EUR",
        "GBP",
        "JPY",
        "CAD",
        "AUD",
        "CHF",
        "SEK",
        "NOK",
        "DKK",
        "PLN",
        "CZK",
        "INR",
        "CNY",
        "HKD",
        "SGD",
        "KRW",
        "TWD",
        "NZD",
        "ILS",
        "BRL",
        "MXN",
        "ZAR",
        "AED",
    ]
)


# The marks an amount in each currency may carry as its own: "$" is the local dollar in every dollar currency,
# "US$" is always the US dollar. A US-dollar mark in any other offer is converted with usd_rate; any other mark
# that is not the offer's own is refused (an amount is never silently read in the wrong currency).
NATIVE_MARKS: dict[str, frozenset[str]] = {
    **{code: frozenset({"$"}) for code in ("CAD", "AUD", "NZD", "HKD", "SGD", "MXN", "TWD")},
    "USD": frozenset({"$", "US$"}),
    "EUR": frozenset({"€"}),
    "GBP": frozenset({"£"}),
    "JPY": frozenset({"¥"}),
    "CNY": frozenset({"¥"}),
    "INR": frozenset({"₹"}),
}
# The currency to suggest for an amount marked with a mark the offer's currency does not use.
MARK_CURRENCY = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}
# A compute grant worth more a year (at list price) than this many times the base salary is no stipend anyone
# is offered: almost always a token count typed as money, or a figure off by a suffix. It is refused, not valued.
IMPLAUSIBLE_MULTIPLE_OF_BASE = Decimal(10)
MAX_RATE = Decimal(100000)


def currency_context(data: object) -> dict[str, Any]:
    """What the amount validators need to read currency marks: the offer's currency and its usd_rate, taken from
    the raw data before validation (both are checked again, field by field, by the model)."""
    if not isinstance(data, dict):
        return {}
    raw_currency = data.get("currency", "USD")
    currency = raw_currency.strip().upper() if isinstance(raw_currency, str) else None
    context: dict[str, Any] = {"currency": currency if currency in CURRENCIES else None, "usd_rate": None}
    assumptions = data.get("assumptions")
    raw_rate = assumptions.get("usd_rate") if isinstance(assumptions, dict) else None
    if raw_rate is not None:
        try:
            context["usd_rate"] = parse_amount(raw_rate, allow_zero=False, maximum=MAX_RATE)
        except ParseError:
            context["usd_rate_refused"] = True  # its own validator says why; amounts don't repeat it
    return context


def _raise(exc: ParseError) -> NoReturn:
    raise PydanticCustomError(exc.reason.value, exc.reason.value, {"limit": exc.limit})


def _validator(parse: Callable[[object], T]) -> Callable[[object], T]:
    """A parser from valuation.parsing as a pydantic validator: its ParseError becomes the error of that reason."""

    def validate(value: object) -> T:
        try:
            return parse(value)
        except ParseError as exc:
            _raise(exc)

    return validate


# "Larger than any real offer" is a billion US dollars' worth: a currency whose unit is worth far less than a dollar
# gets that limit scaled by a power of ten at or above its usual rate (a ₩1.5B grant is about a million dollars).
LIMIT_SCALE: dict[str, int] = {
    **dict.fromkeys(("CNY", "HKD", "SEK", "NOK", "DKK", "PLN", "BRL", "ILS", "AED"), 10),
    **dict.fromkeys(("INR", "CZK", "TWD", "MXN", "ZAR"), 100),
    "JPY": 1000,
    "KRW": 10000,
}


def max_amount(currency: str | None) -> Decimal:
    """The largest amount an offer in ``currency`` may state (see LIMIT_SCALE)."""
    return MAX_AMOUNT * LIMIT_SCALE.get(currency or "", 1)


def _offer_currency(info: ValidationInfo) -> tuple[str | None, dict[str, Any]]:
    context = info.context if isinstance(info.context, dict) else {}
    return context.get("currency", "USD"), context


def _in_offer_currency(value: object, amount: Decimal, info: ValidationInfo) -> Decimal:
    """The amount in the offer's currency, by the mark it was written with: the offer's own mark or none as
    written, US dollars converted with usd_rate, any other currency refused naming the field."""
    mark = currency_mark(value)
    currency, context = _offer_currency(info)
    if mark is None or currency is None or mark in NATIVE_MARKS.get(currency, frozenset()):
        return amount
    if mark in ("$", "US$"):
        rate = context.get("usd_rate")
        if rate is None:
            if context.get("usd_rate_refused"):
                return amount
            raise PydanticCustomError(
                Reason.DOLLARS_NEED_USD_RATE.value, Reason.DOLLARS_NEED_USD_RATE.value, {"limit": currency}
            )
        converted: Decimal = amount * rate
        if converted > max_amount(currency):
            _raise(ParseError(Reason.TOO_LARGE, limit=str(max_amount(currency))))
        return converted
    raise PydanticCustomError(
        Reason.MARK_MISMATCH.value,
        Reason.MARK_MISMATCH.value,
        {"limit": currency, "example": f'currency = "{MARK_CURRENCY[mark]}"'},
    )


def _marked(*, allow_zero: bool) -> Callable[[object, ValidationInfo], Decimal]:
    """An amount as a validator that reads the amount's currency mark against the offer's currency, and refuses it
    past that currency's limit."""

    def validate(value: object, info: ValidationInfo) -> Decimal:
        try:
            amount = parse_amount(value, allow_zero=allow_zero, maximum=max_amount(_offer_currency(info)[0]))
        except ParseError as exc:
            _raise(exc)
        return _in_offer_currency(value, amount, info)

    return validate


def _amount_or_share(value: object, info: ValidationInfo) -> Decimal | tuple[str, Decimal]:
    try:
        parsed = parse_amount_or_share(value, maximum=max_amount(_offer_currency(info)[0]))
    except ParseError as exc:
        _raise(exc)
    return parsed if isinstance(parsed, tuple) else _in_offer_currency(value, parsed, info)


def _rate(value: object, info: ValidationInfo) -> Decimal:
    """An exchange rate: a positive number of offer-currency units per US dollar. It may carry the offer's own
    mark ("¥150"); a dollar or other mark makes no sense on it and is refused."""
    try:
        rate = parse_amount(value, allow_zero=False, maximum=MAX_RATE)
    except ParseError as exc:
        _raise(exc)
    mark = currency_mark(value)
    currency, _ = _offer_currency(info)
    if mark is not None and currency is not None and mark not in NATIVE_MARKS.get(currency, frozenset()):
        raise PydanticCustomError(
            Reason.MARK_MISMATCH.value, Reason.MARK_MISMATCH.value, {"limit": currency, "example": '"0.92"'}
        )
    return rate


_money = _marked(allow_zero=True)
_positive_money = _marked(allow_zero=False)
_share = _validator(parse_share)
_count = _validator(parse_count)


def _below_one(value: object) -> Decimal:
    share = _share(value)
    if share >= Decimal("0.99"):
        raise PydanticCustomError(Reason.OUT_OF_RANGE.value, Reason.OUT_OF_RANGE.value, {"limit": "99%"})
    return share


Money = Annotated[Decimal, PlainValidator(_money)]
PositiveMoney = Annotated[Decimal, PlainValidator(_positive_money)]
Share = Annotated[Decimal, PlainValidator(_share)]
ShareBelowOne = Annotated[Decimal, PlainValidator(_below_one)]
Count = Annotated[Decimal, PlainValidator(_count)]
Rate = Annotated[Decimal, PlainValidator(_rate)]

Schedule = Literal["monthly", "quarterly", "5/15/40/40"]
Cadence = Literal["one-time", "monthly", "yearly"]
Departure = Literal["forfeit", "tail", "cash"]
TaxTreatment = Literal["taxable", "working-condition", "excluded"]
Stage = Literal["public", "pre-ipo", "late-stage", "series-b-c", "seed-a"]
Clawback = Literal["prorated", "full", "none"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Salary(_Model):
    base: PositiveMoney


class Bonus(_Model):
    target: Annotated[Decimal | tuple[str, Decimal], PlainValidator(_amount_or_share)]

    def yearly(self, base: Decimal) -> Decimal:
        if isinstance(self.target, tuple):
            return base * self.target[1]
        return self.target


class SignOn(_Model):
    amount: Money
    clawback_months: int = Field(default=0, ge=0, le=60)
    clawback: Clawback = "prorated"


def _schedule(value: object) -> Schedule | tuple[Decimal, ...]:
    if isinstance(value, str):
        if value in ("monthly", "quarterly", "5/15/40/40"):
            return value  # type: ignore[return-value]
        raise PydanticCustomError(Reason.NOT_ONE_OF.value, Reason.NOT_ONE_OF.value, {"limit": ""})
    if isinstance(value, list | tuple):
        parts: list[Decimal] = []
        for item in value:
            try:
                parts.append(
                    parse_share(item) * 100 if isinstance(item, str) else parse_amount(item, maximum=Decimal(100))
                )
            except ParseError as exc:
                _raise(exc)
        return tuple(parts)
    raise PydanticCustomError(Reason.WRONG_TYPE.value, Reason.WRONG_TYPE.value, {"limit": ""})


class _Vesting(_Model):
    years: int = Field(default=4, ge=1, le=10)
    cliff_months: int = Field(default=12, ge=0, le=120)
    schedule: Annotated[Schedule | tuple[Decimal, ...], PlainValidator(_schedule)] = "monthly"

    @model_validator(mode="after")
    def _check_vesting(self) -> _Vesting:
        if self.cliff_months > self.years * 12:
            raise PydanticCustomError(
                Reason.CLIFF_LONGER_THAN_VESTING.value,
                Reason.CLIFF_LONGER_THAN_VESTING.value,
                {"limit": str(self.years * 12), "field": "cliff_months"},
            )
        if isinstance(self.schedule, tuple):
            if len(self.schedule) != self.years:
                raise PydanticCustomError(
                    Reason.SCHEDULE_LENGTH.value,
                    Reason.SCHEDULE_LENGTH.value,
                    {"limit": str(self.years), "field": "schedule"},
                )
            if sum(self.schedule) != 100:
                raise PydanticCustomError(
                    Reason.SCHEDULE_SUM.value,
                    Reason.SCHEDULE_SUM.value,
                    {"limit": "100", "field": "schedule"},
                )
        if self.schedule == "5/15/40/40" and self.years != 4:
            raise PydanticCustomError(
                Reason.SCHEDULE_LENGTH.value, Reason.SCHEDULE_LENGTH.value, {"limit": "4", "field": "years"}
            )
        return self

    def yearly_percentages(self) -> tuple[Decimal, ...] | None:
        if self.schedule == "5/15/40/40":
            return (Decimal(5), Decimal(15), Decimal(40), Decimal(40))
        if isinstance(self.schedule, tuple):
            return self.schedule
        return None


class RsuGrant(_Vesting):
    kind: Literal["rsu"]
    grant_value: PositiveMoney


class OptionGrant(_Vesting):
    kind: Literal["option"]
    shares: Count
    strike: Money
    preferred_price: Money
    stage: Stage = "series-b-c"
    exercise_window_days: int = Field(default=90, ge=0, le=3650)


EquityGrant = Annotated[RsuGrant | OptionGrant, Field(discriminator="kind")]


class ComputeGrant(_Model):
    amount: Money | None = None
    tokens: Count | None = None
    model: str | None = Field(default=None, max_length=64)
    gpu_hours: Count | None = None
    gpu: str | None = Field(default=None, max_length=64)
    unit_price: Money | None = None
    cadence: Cadence = "yearly"
    expiry_months: int = Field(default=12, ge=0, le=120)
    rollover: bool = False
    on_departure: Departure = "forfeit"
    tail_months: int = Field(default=0, ge=0, le=120)
    personal_use: bool = False
    work_required: Share = Decimal("0.5")
    # Unstated (None), the treatment is uncertain: the scenarios run from taxable to excluded (see valuation.tranches).
    tax_treatment: TaxTreatment | None = None
    quoted_in_tc: bool = True

    @field_validator("model")
    @classmethod
    def _known_model(cls, value: str | None, info: ValidationInfo) -> str | None:
        registry = _registry(info)
        if value is not None and registry is not None and value not in registry.models:
            raise PydanticCustomError(Reason.UNKNOWN_MODEL.value, Reason.UNKNOWN_MODEL.value, {"limit": ""})
        return value

    @field_validator("gpu")
    @classmethod
    def _known_gpu(cls, value: str | None, info: ValidationInfo) -> str | None:
        registry = _registry(info)
        if value is not None and registry is not None and value not in registry.gpus:
            raise PydanticCustomError(Reason.UNKNOWN_GPU.value, Reason.UNKNOWN_GPU.value, {"limit": ""})
        return value

    @model_validator(mode="after")
    def _one_denomination(self) -> ComputeGrant:
        given = [name for name in ("amount", "tokens", "gpu_hours") if getattr(self, name) is not None]
        if len(given) != 1:
            raise PydanticCustomError(
                Reason.ONE_DENOMINATION.value,
                Reason.ONE_DENOMINATION.value,
                {"limit": "", "field": given[1] if len(given) > 1 else "amount"},
            )
        pairs = (
            ("tokens", "model", Reason.TOKENS_WITHOUT_MODEL, Reason.MODEL_WITHOUT_TOKENS),
            ("gpu_hours", "gpu", Reason.HOURS_WITHOUT_GPU, Reason.GPU_WITHOUT_HOURS),
        )
        for count_field, id_field, missing_id, missing_count in pairs:
            has_count = getattr(self, count_field) is not None
            has_id = getattr(self, id_field) is not None
            if has_count and not has_id:
                raise PydanticCustomError(missing_id.value, missing_id.value, {"limit": "", "field": id_field})
            if has_id and not has_count:
                raise PydanticCustomError(missing_count.value, missing_count.value, {"limit": "", "field": count_field})
        if self.on_departure == "tail" and self.tail_months == 0:
            raise PydanticCustomError(
                Reason.TAIL_WITHOUT_MONTHS.value,
                Reason.TAIL_WITHOUT_MONTHS.value,
                {"limit": "", "field": "tail_months"},
            )
        return self

    @property
    def denomination(self) -> Literal["dollars", "tokens", "gpu_hours"]:
        if self.tokens is not None:
            return "tokens"
        if self.gpu_hours is not None:
            return "gpu_hours"
        return "dollars"

    @property
    def units(self) -> Decimal:
        value = (
            self.tokens if self.tokens is not None else self.gpu_hours if self.gpu_hours is not None else self.amount
        )
        assert value is not None
        return value


class Negotiation(_Model):
    today: date | None = None
    decision_deadline: date | None = None
    floor: Money | None = None
    competing_offer_tc: Money | None = None

    @model_validator(mode="after")
    def _deadline_after_today(self) -> Negotiation:
        if self.today and self.decision_deadline and self.decision_deadline < self.today:
            raise PydanticCustomError(
                Reason.DEADLINE_BEFORE_TODAY.value,
                Reason.DEADLINE_BEFORE_TODAY.value,
                {"limit": self.today.isoformat(), "field": "decision_deadline"},
            )
        return self


def _deflation(value: object) -> Decimal:
    """A yearly price change: a fall below 100% (0.6 = prices fall 60% a year), or a rise given as a negative
    share (-0.2 = prices rise 20% a year), down to -100%."""
    if isinstance(value, str | int | float | Decimal) and str(value).strip().startswith("-"):
        rise = _share(str(value).strip()[1:])
        if rise > 1:
            raise PydanticCustomError(Reason.OUT_OF_RANGE.value, Reason.OUT_OF_RANGE.value, {"limit": "-100%"})
        return -rise
    return _below_one(value)


def _state(value: object) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError(Reason.WRONG_TYPE.value, Reason.WRONG_TYPE.value, {"limit": ""})
    code = value.strip().upper()
    if code not in US_STATES:
        raise PydanticCustomError(Reason.UNKNOWN_STATE.value, Reason.UNKNOWN_STATE.value, {"limit": ""})
    return code


Deflation = Annotated[Decimal, PlainValidator(_deflation)]
StateCode = Annotated[str, PlainValidator(_state)]
FilingStatus = Literal["single", "married-joint"]
Jurisdiction = Literal["US", "UK", "DE", "other"]
# The 50 states and DC, as two-letter postal codes (the tax tables carry one schedule for each).
US_STATES = frozenset(
    [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "DC",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
    ]
)


class Assumptions(_Model):
    """Every field optional: what is not given comes from personal, server or built-in defaults.

    ``state``, ``filing_status`` and ``jurisdiction`` feed the estimated marginal tax rate; a
    ``marginal_tax_rate`` given at any level replaces the estimate.
    """

    marginal_tax_rate: ShareBelowOne | None = None
    utilization: Share | None = None
    token_deflation: Deflation | None = None
    gpu_deflation: Deflation | None = None
    employer_cost_ratio: Share | None = None
    tenure_months: int | None = Field(default=None, ge=1, le=120)
    usd_rate: Rate | None = None
    state: StateCode | None = None
    filing_status: FilingStatus | None = None
    jurisdiction: Jurisdiction | None = None

    @model_validator(mode="after")
    def _other_needs_a_rate(self) -> Assumptions:
        if self.jurisdiction == "other" and self.marginal_tax_rate is None:
            raise PydanticCustomError(
                Reason.NEEDS_TAX_RATE.value,
                Reason.NEEDS_TAX_RATE.value,
                {"limit": "", "field": "marginal_tax_rate"},
            )
        return self


class Offer(_Model):
    employer: str | None = Field(default=None, max_length=100)
    currency: str = "USD"
    quoted_tc: Money | None = None
    salary: Salary
    bonus: Bonus | None = None
    sign_on: SignOn | None = None
    equity: tuple[EquityGrant, ...] = Field(default=(), max_length=10)
    compute: tuple[ComputeGrant, ...] = Field(default=(), max_length=10)
    negotiation: Negotiation = Negotiation()
    assumptions: Assumptions = Assumptions()

    @field_validator("currency", mode="before")
    @classmethod
    def _currency(cls, value: object) -> str:
        if not isinstance(value, str) or value.strip().upper() not in CURRENCIES:
            raise PydanticCustomError(Reason.BAD_CURRENCY.value, Reason.BAD_CURRENCY.value, {"limit": ""})
        return value.strip().upper()

    @model_validator(mode="after")
    def _usd_rate_for_priced_credits(self) -> Offer:
        if self.currency != "USD" and self.assumptions.usd_rate is None:
            for index, grant in enumerate(self.compute):
                if grant.denomination != "dollars" and grant.unit_price is None:
                    raise PydanticCustomError(
                        Reason.NEEDS_USD_RATE.value,
                        Reason.NEEDS_USD_RATE.value,
                        {"limit": "", "field": "assumptions.usd_rate", "grant": str(index)},
                    )
        return self

    @model_validator(mode="after")
    def _usd_rate_only_for_other_currencies(self) -> Offer:
        # A US-dollar offer's rate is 1 by definition: any other would scale every registry price.
        rate = self.assumptions.usd_rate
        if self.currency == "USD" and rate is not None and rate != 1:
            raise PydanticCustomError(
                Reason.USD_RATE_IN_USD_OFFER.value,
                Reason.USD_RATE_IN_USD_OFFER.value,
                {"limit": "1", "field": "assumptions.usd_rate", "value": format(rate, "f")},
            )
        return self

    @model_validator(mode="after")
    def _plausible_compute(self, info: ValidationInfo) -> Offer:
        limit = self.salary.base * IMPLAUSIBLE_MULTIPLE_OF_BASE
        for index, grant in enumerate(self.compute):
            yearly = yearly_list_value(grant, _registry(info), self._usd_rate())
            if yearly is not None and yearly > limit:
                field = {"dollars": "amount", "tokens": "tokens", "gpu_hours": "gpu_hours"}[grant.denomination]
                raise PydanticCustomError(
                    Reason.IMPLAUSIBLE_CREDITS.value,
                    Reason.IMPLAUSIBLE_CREDITS.value,
                    {
                        "limit": format(limit, "f"),
                        "field": f"compute[{index}].{field}",
                        "value": format(grant.units, "f"),
                        "currency": self.currency,
                        "example": field,  # the denomination, for the wording of what was meant
                    },
                )
        return self

    def _usd_rate(self) -> Decimal | None:
        return Decimal(1) if self.currency == "USD" else self.assumptions.usd_rate

    @property
    def bonus_yearly(self) -> Decimal:
        return self.bonus.yearly(self.salary.base) if self.bonus else Decimal(0)


_TRANCHES_PER_YEAR = {"one-time": 1, "monthly": 12, "yearly": 1}


def yearly_list_value(grant: ComputeGrant, registry: Registry | None, usd_rate: Decimal | None) -> Decimal | None:
    """What one year of the grant's tranches lists at, in the offer's currency (None when it can't be priced
    here: no registry, or a USD-priced grant in an offer without a usd_rate)."""
    per_year = _TRANCHES_PER_YEAR[grant.cadence]
    if grant.denomination == "dollars":
        return grant.units * per_year
    per_unit = grant.unit_price
    if per_unit is None:
        if registry is None or usd_rate is None:
            return None
        if grant.model is not None and grant.model in registry.models:
            per_unit = registry.models[grant.model].blended_range().base * usd_rate
        elif grant.gpu is not None and grant.gpu in registry.gpus:
            per_unit = registry.gpus[grant.gpu].hourly.base * usd_rate
        else:
            return None
    if grant.denomination == "tokens":
        per_unit = per_unit / 1_000_000  # token prices are per million
    return grant.units * per_unit * per_year


def _registry(info: ValidationInfo) -> Registry | None:
    context: Any = info.context
    if isinstance(context, dict):
        registry = context.get("registry")
        if isinstance(registry, Registry):
            return registry
    return None
