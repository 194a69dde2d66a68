"""The words of ``/offer form`` fit Discord's modal limits."""

from __future__ import annotations

from prompts import Renderer

TITLES = ("money_title", "compute_title")
LABELS = ("base", "bonus", "sign_on", "equity", "credits", "cadence", "work_required", "personal_use", "on_departure")
LABELS += ("expiry_months",)
CHOICES = ("yes", "no", "yearly", "monthly", "one-time", "forfeit", "tail", "cash", "compute_button", "edit_button")


def test_titles_and_labels_fit_a_modal(renderer: Renderer) -> None:
    """Modal titles and field labels are 1–45 characters, choices and the button label 1–80."""

    def word(key: str) -> str:
        return renderer.text("form/text", key=key).strip()

    for key in TITLES + LABELS:
        assert 1 <= len(word(key)) <= 45, key
    for key in CHOICES:
        assert 1 <= len(word(key)) <= 80, key
    assert word("base") == "Base salary per year"
