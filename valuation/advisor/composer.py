"""The verdict and the anchor: at most three asks that lift the offer's worth toward a target.

The candidates are each compute grant's strategy ask (see :mod:`valuation.advisor.strategy`) and each flexible
component at its limit; the three that would add most to year 1 if granted are chosen. The chosen components are
then sized to what the target still needs; one not needed gives its place to the next grant strategy, and grant
strategies that still don't fit are kept in reserve. Every ask names one round figure for its component (the new sign-on, base or grant value, or the cash instead of a
grant's credits). A component sized to close the gap is rounded up, so the asks reach the target, but never past the
component's limit (registry ``[limits]``), where it is rounded down.

Gap-closing components, most flexible first: the sign-on (one-time), then equity grants (most year-1 effect per
dollar first), then base. An offer with nothing but salary counters on base first: there is nothing else that
recurs. When the offer already reaches its target, the anchor is the usual counter: base at its limit.

Effects, per unit asked: sign-on 1 (year 1 and horizon); equity ``(1 - stage discount) * share vested in the
period``; base ``months / 12 * (1 + bonus share)``, because a bonus set as a share of base rises with it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from valuation.advisor.facts import Facts, cents, round_down, round_nearest, round_up
from valuation.advisor.result import (
    Anchor,
    Ask,
    AskId,
    Fallback,
    Reason,
    TargetKind,
    TargetSource,
    Verdict,
    VerdictKind,
)
from valuation.formulas import ONE, TWELVE, ZERO
from valuation.offer import OptionGrant, RsuGrant

MAX_ASKS = 3


@dataclass(frozen=True, slots=True)
class _Lever:
    """A gap-closing component: asking ``total`` (a new figure for it) adds ``(total - current) * multiplier``."""

    id: AskId
    index: int | None
    current: Decimal
    most: Decimal  # the largest round total allowed
    multiplier_year1: Decimal
    multiplier_horizon: Decimal
    minimum: Decimal = ZERO  # the smallest total worth asking for (the back-loading sign-on)

    def multiplier(self, kind: TargetKind) -> Decimal:
        return self.multiplier_year1 if kind == "year1" else self.multiplier_horizon

    def moves(self, total: Decimal) -> bool:
        """Whether asking ``total`` changes the figure a person reads: money shows in whole units, so $100 asked
        on $99.50 offered would read "$100 instead of $100"."""
        return total > max(self.current, self.current.quantize(ONE, ROUND_HALF_UP))

    def ask(self, total: Decimal, reason: Reason) -> Ask:
        raised = total - self.current
        scope = {"sign-on": "sign_on", "base-raise": "base", "equity-raise": "equity"}[self.id]
        return Ask(
            id=self.id,
            scope=scope,  # type: ignore[arg-type]
            index=self.index,
            reason=reason,
            numbers={"current": cents(self.current), "amount": total},
            gain_year1=cents(raised * self.multiplier_year1),
            gain_horizon=cents(raised * self.multiplier_horizon),
        )


def back_loading_sign_on(facts: Facts) -> Decimal:
    """Sign-on cash that evens out year 1 of every back-loaded equity grant (0 when none is back-loaded)."""
    threshold = facts.threshold("back_loaded_year1_share")
    total = ZERO
    for result in facts.valuation.equity:
        grant = facts.offer.equity[result.index]
        if result.first_year_share < threshold:
            total += max(ZERO, result.value_cash_equivalent * (ONE / Decimal(grant.years) - result.first_year_share))
    return total


def _sign_on(facts: Facts) -> _Lever:
    current = facts.offer.sign_on.amount if facts.offer.sign_on else ZERO
    most = round_down(facts.limit("sign_on_share_of_base") * facts.offer.salary.base)
    evening = back_loading_sign_on(facts)
    minimum = min(most, round_up(current + evening)) if evening > 0 else ZERO
    return _Lever("sign-on", None, current, most, ONE, ONE, minimum)


def _equity(facts: Facts) -> list[_Lever]:
    levers = []
    for result in facts.valuation.equity:
        grant: RsuGrant | OptionGrant = facts.offer.equity[result.index]
        kept = ONE - result.discount
        year1 = kept * facts.vested_share(grant, facts.year1_months)
        horizon = kept * facts.vested_share(grant, facts.horizon)
        current = result.value_advertised
        most = round_down(current * (ONE + facts.limit("equity_raise_share")))
        if year1 <= 0 and horizon <= 0:
            continue
        levers.append(_Lever("equity-raise", result.index, current, most, year1, horizon))
    return sorted(levers, key=lambda lever: (-lever.multiplier_year1, lever.index or 0))


def _base(facts: Facts) -> _Lever:
    base = facts.offer.salary.base
    bonus = ONE + facts.bonus_share()
    most = round_down(base * (ONE + facts.limit("base_raise_share")))
    year1 = Decimal(facts.year1_months) / TWELVE * bonus
    horizon = Decimal(facts.horizon) / TWELVE * bonus
    return _Lever("base-raise", None, base, most, year1, horizon)


def salary_only(facts: Facts) -> bool:
    return not facts.offer.equity and not facts.offer.compute


def default_target(facts: Facts, kind: TargetKind) -> tuple[Decimal, TargetSource]:
    """The advertised TC; for year 1, raised to the competing offer or the floor when either is higher."""
    headline = facts.valuation.headline
    if kind == "horizon":
        return cents(headline.advertised_tc_horizon), "advertised"
    negotiation = facts.offer.negotiation
    amount, source = headline.advertised_tc_year1, "advertised"
    if negotiation.competing_offer_tc is not None and negotiation.competing_offer_tc > amount:
        amount, source = negotiation.competing_offer_tc, "competing-offer"
    if negotiation.floor is not None and negotiation.floor > amount:
        amount, source = negotiation.floor, "floor"
    return cents(amount), source  # type: ignore[return-value]


def _size(lever: _Lever, remaining: Decimal, kind: TargetKind) -> Decimal:
    """The round total that adds at least ``remaining`` (or the most allowed), and at least the lever's minimum."""
    multiplier = lever.multiplier(kind)
    wanted = round_up(lever.current + remaining / multiplier) if multiplier > 0 and remaining > 0 else lever.current
    return min(lever.most, max(wanted, lever.minimum))


def _with_sign_on_fallback(ask: Ask, sign_on: _Lever, asks: list[Ask]) -> Ask:
    """If base or equity won't move, the same year-1 money as a one-time sign-on (when no sign-on is asked already
    and there is room for it)."""
    if ask.id not in ("base-raise", "equity-raise") or any(a.id == "sign-on" for a in asks):
        return ask
    total = min(sign_on.most, round_up(sign_on.current + ask.gain_year1))
    if not sign_on.moves(total):
        return ask
    return replace(ask, fallbacks=(Fallback("sign-on", {"amount": total}),))


def _anchor_amount(total: Decimal, goal: Decimal) -> Decimal:
    """The total as a round figure: the nearest one, unless that falls below a target the asks do reach (the usual
    counter's goal is only what its asks add up to, so it never forces rounding up)."""
    nearest = round_nearest(total)
    return round_up(total) if total >= goal > nearest else nearest


def verdict(facts: Facts, start: Decimal, target: Decimal, source: TargetSource) -> Verdict:
    worth_year1 = cents(facts.valuation.headline.cash_equivalent_tc_year1)
    floor = facts.offer.negotiation.floor
    if floor is not None and worth_year1 < floor:
        return Verdict("below-floor", start, worth_year1, cents(floor), cents(floor - worth_year1), target, source)
    kind: VerdictKind = "strong" if start >= target else "negotiate"
    return Verdict(kind, start, worth_year1, None if floor is None else cents(floor), ZERO, target, source)


def _fill(
    start: Decimal,
    goal: Decimal,
    fixed: list[Ask],
    chosen: list[_Lever],
    levers: list[_Lever],
    reason: Reason,
    base: _Lever,
    kind: TargetKind,
) -> tuple[list[Ask], Decimal]:
    """The fixed asks, then the chosen gap closers sized (most flexible first) to what the target still needs; if
    it still needs more and a place is free, the next components in the same order. Returns the asks and the goal
    (the usual counter's goal is what base at its limit adds)."""

    def gain(ask: Ask) -> Decimal:
        return ask.gain_year1 if kind == "year1" else ask.gain_horizon

    asks = list(fixed)
    if reason in ("usual-counter", "near-target"):
        base_room = (base.most - base.current) * base.multiplier(kind) if base in chosen else ZERO
        goal = cents(start + sum((gain(a) for a in asks), ZERO) + base_room)
    remaining = goal - start - sum((gain(a) for a in asks), ZERO)
    rest = [lever for lever in levers if lever not in chosen]
    for lever in [*chosen, *rest]:
        if len(asks) >= MAX_ASKS:
            break
        if remaining <= 0 and lever.minimum <= lever.current:
            continue
        total = _size(lever, remaining, kind)
        if not lever.moves(total):
            continue
        lever_reason: Reason = "back-loaded" if lever.minimum > 0 and total == lever.minimum else reason
        ask = lever.ask(total, lever_reason)
        asks.append(ask)
        remaining -= gain(ask)
    return asks, goal


def compose(
    facts: Facts, strategy_asks: list[Ask], target: Decimal | None, kind: TargetKind
) -> tuple[Verdict, Anchor, tuple[Ask, ...], tuple[Ask, ...]]:
    """The verdict, the anchor, its primary asks (largest year-1 gain first) and the grant asks held in reserve."""
    headline = facts.valuation.headline
    start = cents(headline.cash_equivalent_tc_year1 if kind == "year1" else headline.cash_equivalent_tc_horizon)
    goal, source = (cents(target), "given") if target is not None else default_target(facts, kind)
    judged = verdict(facts, start, goal, source)  # type: ignore[arg-type]

    def gain(ask: Ask) -> Decimal:
        return ask.gain_year1 if kind == "year1" else ask.gain_horizon

    sign_on, base = _sign_on(facts), _base(facts)
    reason: Reason = "gap"
    # Short of the advertised figure by less than the estimates can tell apart (a small grant of credits): asking the
    # employer to close a few hundred dollars reads as haggling; it is negotiated as an offer that is there.
    near = source == "advertised" and start < goal <= start + facts.threshold("negligible_gap_share") * goal
    if start >= goal or near:
        # Already there: counter with base at its limit (and the sign-on that evens out back-loaded vesting).
        source, reason = "usual-counter", "near-target" if near else "usual-counter"
        levers = [sign_on, base] if sign_on.minimum > 0 else [base]
    elif salary_only(facts):
        levers = [base, sign_on]
    else:
        levers = [sign_on, *_equity(facts), base]
    # At most three asks, chosen by what each would add to year 1 if granted (a gap closer at its limit) ...
    pool: list[tuple[Ask, _Lever | None]] = [(ask, None) for ask in strategy_asks]
    pool += [(lever.ask(lever.most, reason), lever) for lever in levers if lever.moves(lever.most)]
    pool.sort(key=lambda entry: (-entry[0].gain_year1, entry[0].id, entry[0].index or 0))
    chosen = pool[:MAX_ASKS]
    fixed = [ask for ask, lever in chosen if lever is None]
    chosen_levers = [lever for lever in levers if any(lever is entry[1] for entry in chosen)]
    spare = [
        ask for ask in sorted(strategy_asks, key=lambda a: (-a.gain_year1, a.id, a.index or 0)) if ask not in fixed
    ]
    while True:
        asks, goal = _fill(start, goal, fixed, chosen_levers, levers, reason, base, kind)
        # A grant's strategy left out for a gap closer that turned out not to be needed gets the free place.
        if len(asks) >= MAX_ASKS or not spare:
            break
        fixed = [*fixed, spare.pop(0)]
    asks = [_with_sign_on_fallback(ask, sign_on, asks) for ask in asks]
    ordered = tuple(sorted(asks, key=lambda a: (-a.gain_year1, a.id, a.index or 0)))
    total_worth = start + sum((gain(a) for a in ordered), ZERO)
    reached = total_worth >= goal
    anchor = Anchor(
        target_kind=kind,
        target_source=source,  # type: ignore[arg-type]
        target=goal,
        start=start,
        total=total_worth,
        amount=_anchor_amount(total_worth, goal if source != "usual-counter" else ZERO),
        reached=reached,
        shortfall=ZERO if reached else goal - total_worth,
    )
    return judged, anchor, ordered, tuple(spare)
