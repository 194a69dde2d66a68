"""The counter-offer composer: asks, most flexible component first, each within its limit, up to a target.

Bookkeeping is in whole cents: the start is the offer's figure rounded to the cent, every ask is whole cents, and
every step's effect is its exact effect rounded to the cent. Each component's effect is exact:

- ``sign_on``: a one-time payment in year 1; adds ``asked`` to year 1 and to the horizon (multiplier 1).
- ``compute_to_cash``: cash instead of one grant's credits for the target's period; adds ``asked`` minus the
  credits' cash-equivalent for that period (multiplier 1). Asked from max(0, cash-equivalent) to the limit.
- ``equity``: a raise of one grant's value; adds ``asked * (1 - stage discount) * share vested in the period``.
- ``base``: a raise of base salary; adds ``asked * months / 12 * (1 + bonus share)``, because a bonus set as a
  share of base rises with it (a fixed bonus does not).

The last step takes exactly the remainder. When its multiplier cannot land on the remainder to the cent (a base
raise with a percentage bonus moves the total by more than a cent per cent asked), it asks the cent above and
takes the few cents over back from the earliest step that can lose exactly that much (the sign-on first). Two
cases stay out of exact reach, and are reported as a shortfall: a remainder a base raise cannot land on with no
earlier step to give cents back, and a remainder smaller than what converting a grant with a negative
cash-equivalent adds at its least (dropping credits that cost you tax is itself worth that much). Limits are
computed from the offer as it stands (a base raise does not lift the sign-on limit).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from valuation.advisor.facts import CENT, Facts, cents, cents_down
from valuation.advisor.result import COMPONENTS, Component, CounterOffer, CounterStep, TargetKind, TargetSource
from valuation.formulas import ONE, TWELVE, ZERO


@dataclass(frozen=True, slots=True)
class _Lever:
    """One component the composer may pull: ``effect(asked) = cents(multiplier * asked - offset)``."""

    component: Component
    index: int | None
    current: Decimal
    lowest: Decimal  # the smallest ask that makes sense (whole cents)
    limit: Decimal  # the largest ask allowed (whole cents)
    limit_id: str
    multiplier: Decimal
    offset: Decimal = ZERO  # whole cents

    def effect(self, asked: Decimal) -> Decimal:
        return cents(self.multiplier * asked - self.offset)


def _sign_on(facts: Facts, kind: TargetKind) -> list[_Lever]:
    current = facts.offer.sign_on.amount if facts.offer.sign_on else ZERO
    cap = cents_down(facts.limit("sign_on_share_of_base") * facts.offer.salary.base)
    room = max(ZERO, cents_down(cap - current))
    return [_Lever("sign_on", None, current, ZERO, room, "sign_on_share_of_base", ONE)]


def _compute_to_cash(facts: Facts, kind: TargetKind) -> list[_Lever]:
    share = facts.limit("compute_to_cash_share")
    levers = []
    for grant in facts.valuation.grants:
        figures = grant.years[0] if kind == "year1" else grant.total
        cash_equivalent = cents(figures.cash_equivalent)
        limit = cents_down(share * figures.employer_cost)
        if limit <= cash_equivalent:
            continue  # the credits are worth at least as much as the cash: keep them
        lowest = max(ZERO, cash_equivalent)
        levers.append(
            _Lever(
                "compute_to_cash",
                grant.index,
                cash_equivalent,
                lowest,
                limit,
                "compute_to_cash_share",
                ONE,
                cash_equivalent,
            )
        )
    # The grant with the most to gain first; ties by index.
    return sorted(levers, key=lambda lever: (-(lever.limit - lever.offset), lever.index or 0))


def _equity(facts: Facts, kind: TargetKind) -> list[_Lever]:
    share = facts.limit("equity_raise_share")
    period = facts.year1_months if kind == "year1" else facts.horizon
    levers = []
    for result in facts.valuation.equity:
        grant = facts.offer.equity[result.index]
        multiplier = (ONE - result.discount) * facts.vested_share(grant, period)
        limit = cents_down(share * result.value_advertised)
        if multiplier <= 0 or limit <= 0:
            continue
        levers.append(
            _Lever("equity", result.index, result.value_advertised, ZERO, limit, "equity_raise_share", multiplier)
        )
    # The most effect per dollar first; ties by index.
    return sorted(levers, key=lambda lever: (-lever.multiplier, lever.index or 0))


def _base(facts: Facts, kind: TargetKind) -> list[_Lever]:
    base = facts.offer.salary.base
    months = facts.year1_months if kind == "year1" else facts.horizon
    multiplier = Decimal(months) / TWELVE * (ONE + facts.bonus_share())
    limit = cents_down(facts.limit("base_raise_share") * base)
    return [_Lever("base", None, base, ZERO, limit, "base_raise_share", multiplier)]


# The order levers are pulled in comes from COMPONENTS (most flexible first); this maps each to its builder.
_BUILDERS: dict[Component, Callable[[Facts, TargetKind], list[_Lever]]] = {
    "sign_on": _sign_on,
    "compute_to_cash": _compute_to_cash,
    "equity": _equity,
    "base": _base,
}


def _smallest_ask_reaching(lever: _Lever, needed: Decimal) -> Decimal:
    """The smallest whole-cent ask in [lowest, limit] whose effect is at least ``needed`` (it exists: caller checks)."""
    low = int(lever.lowest / CENT)
    high = int(lever.limit / CENT)
    while low < high:
        middle = (low + high) // 2
        if lever.effect(Decimal(middle) * CENT) >= needed:
            high = middle
        else:
            low = middle + 1
    return Decimal(low) * CENT


def _ask_for(lever: _Lever, needed: Decimal) -> Decimal:
    """The ask whose effect is ``needed``: the algebraic answer to the cent when it lands exactly (so 60,000 rather
    than 59,999.98 when both round to the same effect), else the smallest ask reaching it."""
    nearest = cents((needed + lever.offset) / lever.multiplier)
    if lever.lowest <= nearest <= lever.limit and lever.effect(nearest) == needed:
        return nearest
    return _smallest_ask_reaching(lever, needed)


def _give_back(taken: list[tuple[_Lever, Decimal]], over: Decimal) -> list[tuple[_Lever, Decimal]] | None:
    """The earlier asks with ``over`` taken off the first one that can lose exactly that much, or None."""
    for position, (lever, asked) in enumerate(taken):
        smaller_effect = lever.effect(asked) - over
        if smaller_effect < lever.effect(lever.lowest):
            continue
        smaller = _ask_for(lever, smaller_effect)
        if lever.effect(smaller) == smaller_effect:
            return [*taken[:position], (lever, smaller), *taken[position + 1 :]]
    return None


def default_target(facts: Facts, kind: TargetKind) -> tuple[Decimal, TargetSource]:
    """The advertised TC; for year 1, raised to the competing offer or the floor when either is higher."""
    headline = facts.valuation.headline
    if kind == "horizon":
        return cents(headline.advertised_tc_horizon), "advertised"
    negotiation = facts.offer.negotiation
    candidates: list[tuple[Decimal, TargetSource]] = [(headline.advertised_tc_year1, "advertised")]
    if negotiation.competing_offer_tc is not None:
        candidates.append((negotiation.competing_offer_tc, "competing-offer"))
    if negotiation.floor is not None:
        candidates.append((negotiation.floor, "floor"))
    amount, source = candidates[0]
    for candidate, candidate_source in candidates[1:]:
        if candidate > amount:
            amount, source = candidate, candidate_source
    return cents(amount), source


def compose(facts: Facts, target: Decimal | None, kind: TargetKind) -> CounterOffer:
    """Pull levers in COMPONENTS order until the target is met exactly, or say by how much it is out of reach."""
    headline = facts.valuation.headline
    start = cents(headline.cash_equivalent_tc_year1 if kind == "year1" else headline.cash_equivalent_tc_horizon)
    if target is None:
        goal, source = default_target(facts, kind)
    else:
        goal, source = cents(target), "given"
    needed = max(ZERO, goal - start)
    remaining = needed
    taken: list[tuple[_Lever, Decimal]] = []
    levers = [lever for component in COMPONENTS for lever in _BUILDERS[component](facts, kind)]
    for lever in levers:
        if remaining <= 0:
            break
        most = lever.effect(lever.limit)
        if most <= 0:
            continue
        if most <= remaining:
            taken.append((lever, lever.limit))
            remaining -= most
            continue
        asked = _ask_for(lever, remaining)
        over = lever.effect(asked) - remaining
        if over == 0:
            taken.append((lever, asked))
            remaining = ZERO
            break
        given_back = _give_back(taken, over)
        if given_back is not None:
            taken = [*given_back, (lever, asked)]
            remaining = ZERO
            break
        # No cents to give back: take the largest ask that stays under, and let the next lever go on.
        below = asked - CENT
        if below >= lever.lowest and lever.effect(below) > 0:
            taken.append((lever, below))
            remaining -= lever.effect(below)
    steps: list[CounterStep] = []
    total = start
    for lever, asked in taken:
        effect = lever.effect(asked)
        if effect == 0:
            continue
        steps.append(
            CounterStep(
                component=lever.component,
                index=lever.index,
                current=lever.current,
                asked=asked,
                limit=lever.limit,
                limit_id=lever.limit_id,
                multiplier=lever.multiplier,
                effect=effect,
                total_before=total,
                total_after=total + effect,
            )
        )
        total += effect
    reached = needed == 0 or total == goal
    return CounterOffer(
        target_kind=kind,
        target_source=source,
        target=goal,
        start=start,
        needed=needed,
        total=total,
        reached=reached,
        shortfall=ZERO if reached else goal - total,
        steps=tuple(steps),
    )
