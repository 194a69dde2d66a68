"""Server settings with their audit trail, personal defaults, and the assumption layers they produce."""

from __future__ import annotations

from decimal import Decimal

import pytest

from storage import Database
from tests.storage.conftest import FakeClock
from valuation import OfferError, build_offer, default_registry, value_offer
from valuation.errors import Reason

pytestmark = pytest.mark.asyncio


async def test_server_settings_show_source_and_keep_an_audit_trail(db: Database, clock: FakeClock) -> None:
    """Set, change and reset a setting: values show their source, and each change is audited old → new, by whom,
    when."""
    await db.server_settings.set(1, 100, "marginal_tax_rate", "32%")
    clock.advance(minutes=1)
    await db.server_settings.set(1, 101, "marginal_tax_rate", "35%")
    values = {s.name: (s.value, s.source) for s in await db.server_settings.get(1)}
    assert values["marginal_tax_rate"] == ("0.35", "server")
    assert values["utilization"] == ("0.7", "built-in") and values["share_button"] == ("on", "built-in")
    clock.advance(minutes=1)
    assert await db.server_settings.reset(1, 102, "marginal_tax_rate") == ["marginal_tax_rate"]
    trail = [(e.actor, e.setting, e.old_value, e.new_value, e.changed_at) for e in await db.server_settings.audit(1)]
    start = clock.now.replace(minute=0)
    assert trail == [
        ("102", "marginal_tax_rate", "0.35", None, start.replace(minute=2)),
        ("101", "marginal_tax_rate", "0.32", "0.35", start.replace(minute=1)),
        ("100", "marginal_tax_rate", None, "0.32", start),
    ]


async def test_reset_all_audits_every_setting_and_returns_to_built_ins(db: Database) -> None:
    """Resetting everything removes each server value, audits each one, and leaves other servers alone."""
    await db.server_settings.set(1, 100, "currency", "eur")
    await db.server_settings.set(1, 100, "charts", "no")
    await db.server_settings.set(2, 100, "charts", "off")
    assert await db.server_settings.reset(1, 103) == ["charts", "currency"]
    assert {s.source for s in await db.server_settings.get(1)} == {"built-in"}
    assert [(e.setting, e.old_value, e.new_value) for e in await db.server_settings.audit(1, limit=2)] == [
        ("currency", "EUR", None),
        ("charts", "off", None),
    ]
    assert await db.server_settings.stored(2) == {"charts": "off"}
    assert await db.server_settings.reset(1, 103) == []  # nothing left: nothing audited
    assert len(await db.server_settings.audit(1, limit=50)) == 4


async def test_the_audit_shows_the_last_n_entries_newest_first(db: Database) -> None:
    """``audit(limit=N)`` returns the N most recent changes."""
    for percent in range(10, 20):
        await db.server_settings.set(1, 100, "utilization", f"{percent}%")
    assert [e.new_value for e in await db.server_settings.audit(1, limit=3)] == ["0.19", "0.18", "0.17"]


@pytest.mark.parametrize(
    ("name", "value", "reason"),
    [
        ("utilization", "130%", Reason.SHARE_OVER_100),
        ("currency", "XYZ", Reason.BAD_CURRENCY),
        ("share_button", "maybe", Reason.NOT_ONE_OF),
        ("colour", "blue", Reason.UNKNOWN_KEY),
        ("marginal_tax_rate", "lots", Reason.NOT_A_SHARE),
        ("tenure_months", "12", Reason.UNKNOWN_KEY),  # a personal default, not a server setting
    ],
)
async def test_bad_setting_values_are_refused_and_nothing_is_written(
    db: Database, name: str, value: str, reason: Reason
) -> None:
    """Invalid values raise the core's OfferError with a reason, and leave no setting and no audit entry."""
    with pytest.raises(OfferError) as caught:
        await db.server_settings.set(1, 100, name, value)
    assert caught.value.first.reason is reason
    assert await db.server_settings.stored(1) == {} and await db.server_settings.audit(1) == []


async def test_resetting_an_unknown_setting_is_refused(db: Database) -> None:
    """Reset names are validated too: a typo is an OfferError, not a silent no-op."""
    with pytest.raises(OfferError):
        await db.server_settings.reset(1, 100, "colour")
    with pytest.raises(OfferError):
        await db.personal_defaults.reset(7, "share_button")


async def test_personal_defaults_set_get_reset(db: Database) -> None:
    """A person's defaults are validated, show their source, and reset one at a time or all together."""
    assert (await db.personal_defaults.set(7, "tenure_months", "24")).value == "24"
    await db.personal_defaults.set(7, "utilization", "50%")
    await db.personal_defaults.set(7, "currency", "gbp")
    values = {s.name: (s.value, s.source) for s in await db.personal_defaults.get(7)}
    assert values["tenure_months"] == ("24", "personal") and values["currency"] == ("GBP", "personal")
    assert values["marginal_tax_rate"][1] == "built-in"
    with pytest.raises(OfferError) as caught:
        await db.personal_defaults.set(7, "tenure_months", "500")
    assert caught.value.first.field == "tenure_months"
    await db.personal_defaults.reset(7, "utilization")
    assert await db.personal_defaults.stored(7) == {"tenure_months": "24", "currency": "GBP"}
    await db.personal_defaults.reset(7)
    assert await db.personal_defaults.stored(7) == {}


async def test_personal_defaults_override_server_defaults(db: Database) -> None:
    """A valuation with the produced layers takes the personal value over the server's, and says so."""
    await db.server_settings.set(1, 100, "marginal_tax_rate", "40%")
    await db.server_settings.set(1, 100, "utilization", "60%")
    await db.server_settings.set(1, 100, "charts", "off")  # not an assumption: stays out of the layers
    await db.personal_defaults.set(7, "marginal_tax_rate", "25%")
    layers = await db.personal_defaults.layers_for(user_id=7, guild_id=1)
    offer = build_offer({"salary": {"base": "100k"}}, default_registry())
    used = {a.name: (a.level, a.value.base if a.value else None) for a in value_offer(offer, layers=layers).assumptions}
    assert used["marginal_tax_rate"] == ("personal", Decimal("0.25"))
    assert used["utilization"] == ("server", Decimal("0.6"))
    other = await db.personal_defaults.layers_for(user_id=8, guild_id=1)
    assert [layer.level for layer in other] == ["server"]  # another person sees none of user 7's defaults
    assert [layer.level for layer in await db.personal_defaults.layers_for(user_id=7, guild_id=None)] == ["personal"]


async def test_the_default_currency_comes_from_the_person_then_the_server(db: Database) -> None:
    """An offer that names no currency takes the person's default, else the server's, else none."""
    await db.server_settings.set(1, 100, "currency", "EUR")
    assert await db.personal_defaults.default_currency(user_id=7, guild_id=1) == "EUR"
    assert await db.personal_defaults.default_currency(user_id=7, guild_id=None) is None
    await db.personal_defaults.set(7, "currency", "JPY")
    assert await db.personal_defaults.default_currency(user_id=7, guild_id=1) == "JPY"


async def test_removing_a_guild_deletes_its_settings_and_history(db: Database) -> None:
    """When the bot leaves a server, that server's settings and audit go; other servers keep theirs."""
    await db.server_settings.set(1, 100, "share_button", "off")
    await db.server_settings.set(2, 100, "share_button", "off")
    assert await db.server_settings.share_allowed(1) is False
    await db.server_settings.delete_guild(1)
    assert await db.server_settings.stored(1) == {} and await db.server_settings.audit(1) == []
    assert await db.server_settings.stored(2) == {"share_button": "off"}
    assert await db.server_settings.share_allowed(1) is True
    assert len(await db.server_settings.audit(2)) == 1


async def test_switches_default_on_and_follow_the_server(db: Database) -> None:
    """Share and charts are on by default and outside servers; a server can switch each off on its own."""
    await db.server_settings.set(1, 100, "charts", "false")
    assert await db.server_settings.charts_enabled(1) is False and await db.server_settings.share_allowed(1) is True
    assert await db.server_settings.charts_enabled(2) is True and await db.server_settings.charts_enabled(None) is True


async def test_a_negative_deflation_reads_back(db: Database) -> None:
    """A deflation of "-40%" (prices rising), accepted by /defaults set and /config set, reads back as -0.4: it used to
    be stored as -0.4 and refused on every read as a bare fraction, failing all of its owner's commands."""
    await db.personal_defaults.set(7, "token_deflation", "-40%")
    await db.server_settings.set(11, 1, "gpu_deflation", "-12.5%")
    assert {s.name: s.value for s in await db.personal_defaults.get(7)}["token_deflation"] == "-0.4"
    personal, server = await db.personal_defaults.layers_for(user_id=7, guild_id=11)
    assert personal.assumptions.token_deflation == Decimal("-0.4")  # -40 / 100
    assert server.assumptions.gpu_deflation == Decimal("-0.125")  # -12.5 / 100


async def test_a_persons_charts_switch_is_theirs_alone(db: Database) -> None:
    """The personal charts switch is unset (None) until set; "off" and "on" are read back as given, per person."""
    assert await db.personal_defaults.charts_choice(7) is None
    await db.personal_defaults.set(7, "charts", "off")
    assert await db.personal_defaults.charts_choice(7) is False
    assert await db.personal_defaults.charts_choice(8) is None
    await db.personal_defaults.set(7, "charts", "yes")
    assert await db.personal_defaults.charts_choice(7) is True
