"""Errors the user caused, carrying what the templates need to explain them."""

from __future__ import annotations

from typing import Any

from discord import app_commands

from valuation import OfferError


class InputError(app_commands.AppCommandError):
    """Bad input: rendered from the core's OfferError as the templated, ephemeral error message."""

    def __init__(self, error: OfferError) -> None:
        super().__init__(str(error))
        self.error = error


class NoticeError(app_commands.AppCommandError):
    """A refusal worded by a UI template (``ui/<template_id>``), e.g. a missing permission."""

    def __init__(self, template_id: str, **data: Any) -> None:
        super().__init__(template_id)
        self.template_id = template_id
        self.data = data
