"""``/offer form``: the offer typed into two modals instead of options — pay first (base, bonus, sign-on, equity,
credits: Discord allows five inputs a modal), then, from a button under the breakdown, the compute grant's terms.
Both pages are prefilled: the first from the person's last offer (kept in memory by bot.recent), the second from the
offer the first page made. Each submit answers with the breakdown as ``/offer evaluate`` gives it.

The "Compute terms…" button is a dynamic item like the result buttons: it finds the offer in the shared button store
by the id of the interaction whose reply carries it, and answers the "expired" notice when the entry is gone.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.breakdown import BreakdownRequest, Source, answer_breakdown
from bot.button_store import ResultState
from bot.features.common import locale_of
from bot.messages import answers_privately, notice
from bot.offer_input import EvaluateOptions
from bot.views import origin_of
from prompts.commands import COMMANDS

if TYPE_CHECKING:
    from bot.app import FourthPillar

log = logging.getLogger("fourth_pillar.form")

MODAL_TIMEOUT_SECONDS = 15 * 60  # Discord lets a person keep a modal open; after this the submit is not ours
MONEY_FIELDS = ("base", "bonus", "sign_on", "equity", "credits")
MAX_VALUE_LENGTH = 40
CADENCES = ("yearly", "monthly", "one-time")
DEPARTURES = ("forfeit", "tail", "cash")


def _word(bot: FourthPillar, key: str, locale: str) -> str:
    return bot.renderer.text("form/text", locale=locale, key=key).strip()


def _first(items: Any, kind: str | None = None) -> Mapping[str, Any]:
    """The first mapping of a list of grants (of ``kind``, for equity), or an empty one."""
    for item in items if isinstance(items, list) else []:
        if isinstance(item, Mapping) and (kind is None or item.get("kind", "rsu") == kind):
            return item
    return {}


def _table(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    table = data.get(key)
    return table if isinstance(table, Mapping) else {}


def money_prefill(data: Mapping[str, Any] | None) -> dict[str, str]:
    """Page one's values from an offer's plain data (what the person last evaluated), as they would type them."""
    if not data:
        return {}
    values = {
        "base": _table(data, "salary").get("base"),
        "bonus": _table(data, "bonus").get("target"),
        "sign_on": _table(data, "sign_on").get("amount"),
        "equity": _first(data.get("equity"), "rsu").get("grant_value"),
        "credits": _first(data.get("compute")).get("amount"),
    }
    return {k: str(v)[:MAX_VALUE_LENGTH] for k, v in values.items() if v is not None and str(v) != ""}


def compute_prefill(data: Mapping[str, Any]) -> dict[str, str]:
    grant = _first(data.get("compute"))
    values = {
        "cadence": grant.get("cadence"),
        "work_required": grant.get("work_required"),
        "personal_use": None if grant.get("personal_use") is None else ("yes" if grant["personal_use"] else "no"),
        "on_departure": grant.get("on_departure"),
        "expiry_months": grant.get("expiry_months"),
    }
    return {k: str(v)[:MAX_VALUE_LENGTH] for k, v in values.items() if v is not None}


class _FormModal(discord.ui.Modal):
    def __init__(self, bot: FourthPillar, locale: str, title_key: str) -> None:
        super().__init__(title=_word(bot, title_key, locale)[:45], timeout=MODAL_TIMEOUT_SECONDS)
        self.bot = bot
        self.locale = locale
        self.inputs: dict[str, discord.ui.TextInput[Any] | discord.ui.Select[Any]] = {}

    def text_input(self, key: str, value: str | None, *, required: bool = False) -> None:
        field: discord.ui.TextInput[Any] = discord.ui.TextInput(
            custom_id=f"form:{key}",
            placeholder=_word(self.bot, f"{key}_hint", self.locale),
            default=value,
            required=required,
            max_length=MAX_VALUE_LENGTH,
        )
        self.inputs[key] = field
        self.add_item(discord.ui.Label(text=_word(self.bot, key, self.locale)[:45], component=field))

    def choice(self, key: str, choices: tuple[str, ...], value: str | None) -> None:
        options = [
            discord.SelectOption(label=_word(self.bot, c, self.locale), value=c, default=c == value) for c in choices
        ]
        field: discord.ui.Select[Any] = discord.ui.Select(custom_id=f"form:{key}", options=options, required=False)
        self.inputs[key] = field
        self.add_item(discord.ui.Label(text=_word(self.bot, key, self.locale)[:45], component=field))

    def values(self) -> dict[str, str]:
        """What was filled in (empty inputs and unanswered choices left out)."""
        out: dict[str, str] = {}
        for key, field in self.inputs.items():
            value = field.value.strip() if isinstance(field, discord.ui.TextInput) else next(iter(field.values), "")
            if value:
                out[key] = value
        return out

    async def on_error(self, interaction: discord.Interaction[Any], error: Exception, /) -> None:  # type: ignore[override]
        from bot.tree import report_error  # noqa: PLC0415 - the tree imports the bot, which imports the features

        await report_error(self.bot, interaction, error)


class MoneyModal(_FormModal):
    """Page one: the pay."""

    def __init__(
        self, bot: FourthPillar, locale: str, prefill: Mapping[str, str], data: dict[str, Any] | None = None
    ) -> None:
        """``data``: the offer being corrected (Edit under "Read as"): what the form does not show is kept."""
        super().__init__(bot, locale, "money_title")
        self.data = data
        for key in MONEY_FIELDS:
            self.text_input(key, prefill.get(key), required=key == "base")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        values = self.values()
        get = values.get
        options = EvaluateOptions(
            base=get("base"), bonus=get("bonus"), sign_on=get("sign_on"), equity=get("equity"), credits=get("credits")
        )
        data = None if self.data is None else without_cleared(self.data, values)
        await answer_with_breakdown(self.bot, interaction, options, data)


def without_cleared(data: Mapping[str, Any], values: Mapping[str, str]) -> dict[str, Any]:
    """The offer with what the person emptied in the form taken out (a misread sign-on is fixed by clearing it)."""
    out = dict(data)
    if "bonus" not in values:
        out.pop("bonus", None)
    if "sign_on" not in values:
        out.pop("sign_on", None)
    if "equity" not in values:
        rsu = _first(out.get("equity"), "rsu")
        if rsu.get("grant_value") is not None:
            out["equity"] = [g for g in out["equity"] if g is not rsu]
    if "credits" not in values:
        grant = _first(out.get("compute"))
        if grant.get("amount") is not None:
            out["compute"] = [g for g in out["compute"] if g is not grant]
    return out


class ComputeModal(_FormModal):
    """Page two: the first compute grant's terms, over the offer page one made."""

    def __init__(self, bot: FourthPillar, locale: str, data: dict[str, Any]) -> None:
        super().__init__(bot, locale, "compute_title")
        self.data = data
        prefill = compute_prefill(data)
        self.choice("cadence", CADENCES, prefill.get("cadence"))
        self.text_input("work_required", prefill.get("work_required"))
        self.choice("personal_use", ("yes", "no"), prefill.get("personal_use"))
        self.choice("on_departure", DEPARTURES, prefill.get("on_departure"))
        self.text_input("expiry_months", prefill.get("expiry_months"))

    async def on_submit(self, interaction: discord.Interaction) -> None:
        values = self.values()
        personal = values.get("personal_use")
        options = EvaluateOptions(
            credits_cadence=values.get("cadence"),
            work_required=values.get("work_required"),
            personal_use=None if personal is None else personal == "yes",
            on_departure=values.get("on_departure"),
        )
        data = dict(self.data)
        if "expiry_months" in values and _first(data.get("compute")):
            # Typed text: the offer model checks it (a refusal names compute grant #1's expiry months).
            first = {**_first(data["compute"]), "expiry_months": values["expiry_months"]}
            data["compute"] = [first, *data["compute"][1:]]
        await answer_with_breakdown(self.bot, interaction, options, data)


async def answer_with_breakdown(
    bot: FourthPillar, interaction: discord.Interaction, options: EvaluateOptions, file_data: dict[str, Any] | None
) -> None:
    """The breakdown as evaluate gives it (private wherever others read along), with the result buttons and the one
    that opens page two."""

    async def read() -> Source:
        return file_data, None

    page_two = ComputeButton(label=_word(bot, "compute_button", locale_of(interaction)))
    request = BreakdownRequest(options, read=read, private=answers_privately(interaction), buttons=(page_two,))
    await answer_breakdown(bot, interaction, request)


class ComputeButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"form:compute"):
    """Opens page two (a modal: the first response to the press) over the offer under which it was pressed."""

    def __init__(self, *, label: str | None = None) -> None:
        super().__init__(discord.ui.Button(label=label or "compute", custom_id="form:compute"))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any
    ) -> ComputeButton:
        return cls()

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        bot: FourthPillar = interaction.client
        state = await _state_or_notice(bot, interaction, "compute")
        if state is not None:
            await interaction.response.send_modal(ComputeModal(bot, state.locale, json.loads(state.offer_json)))


class EditButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"form:edit"):
    """Under a "Read as: …" breakdown: opens page one prefilled with what was read, so a misread is one fix away."""

    def __init__(self, *, label: str | None = None) -> None:
        super().__init__(discord.ui.Button(label=label or "edit", custom_id="form:edit"))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any
    ) -> EditButton:
        return cls()

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        bot: FourthPillar = interaction.client
        state = await _state_or_notice(bot, interaction, "edit")
        if state is not None:
            data = json.loads(state.offer_json)
            await interaction.response.send_modal(MoneyModal(bot, state.locale, money_prefill(data), data))


def edit_button(bot: FourthPillar, locale: str) -> EditButton:
    return EditButton(label=_word(bot, "edit_button", locale))


async def _state_or_notice(bot: FourthPillar, interaction: discord.Interaction, action: str) -> ResultState | None:
    """The offer under the pressed button, or None once the person was told why not (expired, not theirs)."""
    locale = interaction.locale.value
    state = bot.button_store.get(origin_of(interaction))
    if state is None:
        log.info("button form:%s refused: expired", action)
        await notice(interaction, bot.renderer.text("ui/expired", locale=locale))
        return None
    if interaction.user.id != state.owner_id:
        log.info("button form:%s refused: not the owner", action)
        await notice(interaction, bot.renderer.text("ui/not_yours", locale=locale))
        return None
    return state


def build_form_command(bot: FourthPillar) -> app_commands.Command[Any, ..., Any]:
    @app_commands.command(name="form", description=COMMANDS["offer form"])
    async def form(interaction: discord.Interaction) -> None:
        # A modal must be the first response: nothing slow (no database) comes before it.
        prefill = money_prefill(bot.recent_offers.last(interaction.user.id))
        await interaction.response.send_modal(MoneyModal(bot, locale_of(interaction), prefill))

    return form


async def setup(bot: FourthPillar) -> None:
    group = bot.tree.get_command("offer")
    assert isinstance(group, app_commands.Group)
    group.add_command(build_form_command(bot))
    bot.add_dynamic_items(ComputeButton, EditButton)
