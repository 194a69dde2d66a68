"""The what-if presets: each changes one offer-level assumption or one term of every compute grant, and stacks."""

from __future__ import annotations

from typing import Any

from bot.features.whatif import CHANGES, applied
from valuation import build_offer, default_registry

OFFER: dict[str, Any] = {
    "salary": {"base": "180000"},
    "compute": [{"amount": "50000", "personal_use": True, "work_required": "60%"}, {"gpu_hours": "100", "gpu": "h100"}],
}


def test_each_preset_sets_what_it_names() -> None:
    """Utilization, price fall and tenure are offer assumptions; work share and tax treatment go on every grant."""
    assert applied(OFFER, "util:90")["assumptions"] == {"utilization": "90%"}
    assert applied(OFFER, "decline:0")["assumptions"] == {"token_deflation": "0%", "gpu_deflation": "0%"}
    assert applied(OFFER, "tenure:36")["assumptions"] == {"tenure_months": 36}
    assert [g["work_required"] for g in applied(OFFER, "work:30")["compute"]] == ["30%", "30%"]
    assert [g["tax_treatment"] for g in applied(OFFER, "tax:excluded")["compute"]] == ["excluded", "excluded"]
    assert "assumptions" not in OFFER and "tax_treatment" not in OFFER["compute"][0]  # the input is not changed


def test_changes_stack_and_every_result_is_a_valid_offer() -> None:
    """Applied one after another, every preset stays and the offer still builds."""
    data = OFFER
    for change in CHANGES:
        data = applied(data, change)
        build_offer(data, default_registry())
    assert data["assumptions"] == {
        "utilization": "90%",
        "token_deflation": "90%",
        "gpu_deflation": "90%",
        "tenure_months": 36,
    }
    assert data["compute"][0]["work_required"] == "80%" and data["compute"][0]["tax_treatment"] == "excluded"
