"""Discord's documented size and schema limits, checked the way Discord checks them.

Every ``validate_*`` function returns a list of :class:`FieldError`; an empty list means Discord would accept
the data. :func:`invalid_form_body` turns errors into Discord's 400 body
(``{"code": 50035, "message": "Invalid Form Body", "errors": {...}}``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .models import JSON

MAX_CONTENT = 2000
MAX_EMBEDS = 10
MAX_EMBED_TITLE = 256
MAX_EMBED_DESCRIPTION = 4096
MAX_EMBED_FIELDS = 25
MAX_FIELD_NAME = 256
MAX_FIELD_VALUE = 1024
MAX_FOOTER_TEXT = 2048
MAX_AUTHOR_NAME = 256
MAX_EMBED_TOTAL = 6000
MAX_ACTION_ROWS = 5
MAX_ROW_BUTTONS = 5
MAX_BUTTON_LABEL = 80
MAX_CUSTOM_ID = 100
MAX_SELECT_OPTIONS = 25
MAX_SELECT_PLACEHOLDER = 150
MAX_SELECT_OPTION_TEXT = 100
MAX_V2_COMPONENTS = 40
MAX_TEXT_DISPLAY_TOTAL = 4000
MAX_MODAL_TITLE = 45
MAX_MODAL_COMPONENTS = 5
MAX_TEXT_INPUT_LENGTH = 4000
MAX_TEXT_INPUT_LABEL = 45
MAX_TEXT_INPUT_PLACEHOLDER = 100
MAX_LABEL_DESCRIPTION = 100
MAX_AUTOCOMPLETE_CHOICES = 25
MAX_CHOICE_NAME = 100
MAX_CHOICE_STRING_VALUE = 100
MAX_FILES = 10

MAX_COMMAND_NAME = 32
MAX_COMMAND_DESCRIPTION = 100
MAX_COMMAND_OPTIONS = 25
MAX_COMMAND_CHOICES = 25
MAX_COMMAND_TOTAL_CHARS = 8000
MAX_GLOBAL_CHAT_COMMANDS = 100
MAX_CONTEXT_MENU_COMMANDS = 15
COMMAND_NAME_RE = re.compile(r"^[-_\w]{1,32}$")

FLAG_SUPPRESS_EMBEDS = 1 << 2
FLAG_EPHEMERAL = 1 << 6
FLAG_LOADING = 1 << 7
FLAG_SUPPRESS_NOTIFICATIONS = 1 << 12
FLAG_COMPONENTS_V2 = 1 << 15

SELECT_TYPES = (3, 5, 6, 7, 8)
SUBCOMMAND, SUBCOMMAND_GROUP = 1, 2

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class FieldError:
    """One rejected field: where (``path``), Discord's error ``code`` and human ``message``."""

    path: Path
    code: str
    message: str

    def __str__(self) -> str:
        where = ".".join(str(p) for p in self.path) or "<root>"
        return f"{where}: {self.message} ({self.code})"


def invalid_form_body(errors: Sequence[FieldError], prefix: Path = ()) -> JSON:
    """Discord's ``50035 Invalid Form Body`` response body with nested per-field ``_errors``."""
    tree: dict[str, Any] = {}
    for error in errors:
        node = tree
        for part in (*prefix, *error.path):
            node = node.setdefault(str(part), {})
        node.setdefault("_errors", []).append({"code": error.code, "message": error.message})
    return {"code": 50035, "message": "Invalid Form Body", "errors": tree}


class _Checker:
    """Accumulates :class:`FieldError` for one payload."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, path: Path, code: str, message: str) -> None:
        self.errors.append(FieldError(path, code, message))

    def max_len(self, path: Path, value: Any, limit: int) -> None:
        if isinstance(value, str | list) and len(value) > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def between(self, path: Path, value: Any, low: int, high: int) -> None:
        if value is None:
            value = ""
        if isinstance(value, str | list) and not low <= len(value) <= high:
            self.add(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")

    def int_range(self, path: Path, value: Any, low: int, high: int) -> None:
        if value is None:
            return
        if not isinstance(value, int) or not low <= value <= high:
            self.add(path, "NUMBER_TYPE_MIN_MAX", f"int value should be between {low} and {high}.")

    def required(self, path: Path, value: Any) -> bool:
        if value is None or value == "":
            self.add(path, "BASE_TYPE_REQUIRED", "This field is required")
            return False
        return True


# --------------------------------------------------------------------------- messages


def embed_total_chars(embed: JSON) -> int:
    """The characters Discord counts towards the 6000-per-message embed total."""
    total = len(embed.get("title") or "") + len(embed.get("description") or "")
    total += len((embed.get("footer") or {}).get("text") or "")
    total += len((embed.get("author") or {}).get("name") or "")
    for fld in embed.get("fields") or []:
        total += len(fld.get("name") or "") + len(fld.get("value") or "")
    return total


def _check_embeds(c: _Checker, embeds: Any, path: Path) -> None:
    if not isinstance(embeds, list):
        return
    c.max_len(path, embeds, MAX_EMBEDS)
    total = 0
    for i, embed in enumerate(embeds):
        if not isinstance(embed, dict):
            c.add((*path, i), "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
            continue
        here = (*path, i)
        c.max_len((*here, "title"), embed.get("title"), MAX_EMBED_TITLE)
        c.max_len((*here, "description"), embed.get("description"), MAX_EMBED_DESCRIPTION)
        c.max_len((*here, "footer", "text"), (embed.get("footer") or {}).get("text"), MAX_FOOTER_TEXT)
        c.max_len((*here, "author", "name"), (embed.get("author") or {}).get("name"), MAX_AUTHOR_NAME)
        fields = embed.get("fields") or []
        c.max_len((*here, "fields"), fields, MAX_EMBED_FIELDS)
        for j, fld in enumerate(fields):
            fpath = (*here, "fields", j)
            if c.required((*fpath, "name"), fld.get("name")):
                c.max_len((*fpath, "name"), fld.get("name"), MAX_FIELD_NAME)
            if c.required((*fpath, "value"), fld.get("value")):
                c.max_len((*fpath, "value"), fld.get("value"), MAX_FIELD_VALUE)
        total += embed_total_chars(embed)
    if total > MAX_EMBED_TOTAL:
        c.add(path, "MAX_EMBED_SIZE_EXCEEDED", f"Embed size exceeds maximum size of {MAX_EMBED_TOTAL}")


def walk_components(components: Any) -> Iterator[JSON]:
    """Every component in a (possibly nested) component tree, depth first."""
    if not isinstance(components, list):
        return
    for comp in components:
        if not isinstance(comp, dict):
            continue
        yield comp
        yield from walk_components(comp.get("components"))
        if isinstance(comp.get("component"), dict):
            yield from walk_components([comp["component"]])
        if isinstance(comp.get("accessory"), dict):
            yield from walk_components([comp["accessory"]])


def _check_button(c: _Checker, comp: JSON, path: Path) -> None:
    c.max_len((*path, "label"), comp.get("label"), MAX_BUTTON_LABEL)
    style = comp.get("style")
    if style == 5:
        c.required((*path, "url"), comp.get("url"))
    elif style != 6 and c.required((*path, "custom_id"), comp.get("custom_id")):
        c.max_len((*path, "custom_id"), comp.get("custom_id"), MAX_CUSTOM_ID)


def _check_select(c: _Checker, comp: JSON, path: Path) -> None:
    if c.required((*path, "custom_id"), comp.get("custom_id")):
        c.max_len((*path, "custom_id"), comp.get("custom_id"), MAX_CUSTOM_ID)
    c.max_len((*path, "placeholder"), comp.get("placeholder"), MAX_SELECT_PLACEHOLDER)
    c.int_range((*path, "min_values"), comp.get("min_values"), 0, MAX_SELECT_OPTIONS)
    c.int_range((*path, "max_values"), comp.get("max_values"), 1, MAX_SELECT_OPTIONS)
    if comp.get("type") == 3:
        options = comp.get("options") or []
        c.between((*path, "options"), options, 1, MAX_SELECT_OPTIONS)
        for k, opt in enumerate(options):
            opath = (*path, "options", k)
            c.between((*opath, "label"), opt.get("label"), 1, MAX_SELECT_OPTION_TEXT)
            c.between((*opath, "value"), opt.get("value"), 1, MAX_SELECT_OPTION_TEXT)
            c.max_len((*opath, "description"), opt.get("description"), MAX_SELECT_OPTION_TEXT)


def _check_action_row(c: _Checker, row: JSON, path: Path) -> None:
    children = row.get("components") or []
    if not children:
        c.add((*path, "components"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.")
    buttons = [x for x in children if x.get("type") == 2]
    selects = [x for x in children if x.get("type") in SELECT_TYPES]
    if len(buttons) > MAX_ROW_BUTTONS or (selects and len(children) > 1):
        c.add(
            (*path, "components"),
            "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
            "The specified component exceeds the maximum width",
        )
    for k, child in enumerate(children):
        cpath = (*path, "components", k)
        if child.get("type") == 2:
            _check_button(c, child, cpath)
        elif child.get("type") in SELECT_TYPES:
            _check_select(c, child, cpath)
        else:
            c.add((*cpath, "type"), "COMPONENT_TYPE_INVALID", "Component type is not valid in an action row")


def _check_components(c: _Checker, components: Any, path: Path, flags: int) -> None:
    if not isinstance(components, list):
        return
    custom_ids = [x.get("custom_id") for x in walk_components(components) if x.get("custom_id")]
    if len(custom_ids) != len(set(custom_ids)):
        c.add(path, "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated")
    if flags & FLAG_COMPONENTS_V2:
        if sum(1 for _ in walk_components(components)) > MAX_V2_COMPONENTS:
            c.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_V2_COMPONENTS} or fewer in length.")
        text = sum(len(x.get("content") or "") for x in walk_components(components) if x.get("type") == 10)
        if text > MAX_TEXT_DISPLAY_TOTAL:
            c.add(path, "BASE_TYPE_MAX_LENGTH", "Text display content exceeds 4000 characters in total.")
        for k, comp in enumerate(components):
            if comp.get("type") == 1:
                _check_action_row(c, comp, (*path, k))
        return
    c.max_len(path, components, MAX_ACTION_ROWS)
    for k, row in enumerate(components):
        if not isinstance(row, dict) or row.get("type") != 1:
            c.add((*path, k, "type"), "COMPONENT_TYPE_INVALID", "Top-level components must be action rows")
            continue
        _check_action_row(c, row, (*path, k))


def validate_message(data: JSON, *, path: Path = ()) -> list[FieldError]:
    """Check a message create/edit payload (content, embeds, components, flags) against Discord's limits."""
    c = _Checker()
    flags = int(data.get("flags") or 0)
    c.max_len((*path, "content"), data.get("content"), MAX_CONTENT)
    _check_embeds(c, data.get("embeds"), (*path, "embeds"))
    if flags & FLAG_COMPONENTS_V2:
        if data.get("content"):
            c.add((*path, "content"), "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2", "Cannot use content")
        if data.get("embeds"):
            c.add((*path, "embeds"), "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2", "Cannot use embeds")
    _check_components(c, data.get("components"), (*path, "components"), flags)
    c.max_len((*path, "attachments"), data.get("attachments"), MAX_FILES)
    return c.errors


def is_empty_message(data: JSON, *, files: int = 0) -> bool:
    """True when a message would have nothing to show (Discord answers 50006 Cannot send an empty message)."""
    return not (
        data.get("content")
        or data.get("embeds")
        or data.get("components")
        or data.get("attachments")
        or data.get("sticker_ids")
        or data.get("poll")
        or files
    )


# --------------------------------------------------------------------------- modals / autocomplete


def _check_text_input(c: _Checker, comp: JSON, path: Path, *, in_label: bool) -> None:
    if c.required((*path, "custom_id"), comp.get("custom_id")):
        c.max_len((*path, "custom_id"), comp.get("custom_id"), MAX_CUSTOM_ID)
    if comp.get("style") not in (1, 2):
        c.add((*path, "style"), "BASE_TYPE_CHOICES", "Value must be one of {1, 2}.")
    if not in_label and "label" in comp:
        c.between((*path, "label"), comp.get("label"), 1, MAX_TEXT_INPUT_LABEL)
    c.int_range((*path, "min_length"), comp.get("min_length"), 0, MAX_TEXT_INPUT_LENGTH)
    c.int_range((*path, "max_length"), comp.get("max_length"), 1, MAX_TEXT_INPUT_LENGTH)
    c.max_len((*path, "value"), comp.get("value"), MAX_TEXT_INPUT_LENGTH)
    c.max_len((*path, "placeholder"), comp.get("placeholder"), MAX_TEXT_INPUT_PLACEHOLDER)


def validate_modal(data: JSON, *, path: Path = ()) -> list[FieldError]:
    """Check a modal (interaction callback type 9 ``data``)."""
    c = _Checker()
    c.between((*path, "title"), data.get("title"), 1, MAX_MODAL_TITLE)
    if c.required((*path, "custom_id"), data.get("custom_id")):
        c.max_len((*path, "custom_id"), data.get("custom_id"), MAX_CUSTOM_ID)
    components = data.get("components") or []
    c.between((*path, "components"), components, 1, MAX_MODAL_COMPONENTS)
    for k, comp in enumerate(components):
        cpath = (*path, "components", k)
        ctype = comp.get("type")
        if ctype == 1:
            children = comp.get("components") or []
            if len(children) != 1 or children[0].get("type") != 4:
                c.add((*cpath, "components"), "COMPONENT_LAYOUT_WIDTH_EXCEEDED", "Modal rows hold one text input")
            for j, child in enumerate(children):
                if child.get("type") == 4:
                    _check_text_input(c, child, (*cpath, "components", j), in_label=False)
        elif ctype == 18:
            c.between((*cpath, "label"), comp.get("label"), 1, MAX_TEXT_INPUT_LABEL)
            c.max_len((*cpath, "description"), comp.get("description"), MAX_LABEL_DESCRIPTION)
            inner = comp.get("component") or {}
            if inner.get("type") == 4:
                _check_text_input(c, inner, (*cpath, "component"), in_label=True)
            elif inner.get("type") in SELECT_TYPES:
                _check_select(c, inner, (*cpath, "component"))
        elif ctype != 10:
            c.add((*cpath, "type"), "COMPONENT_TYPE_INVALID", "Component type is not valid in a modal")
    return c.errors


def validate_autocomplete(data: JSON, *, path: Path = ()) -> list[FieldError]:
    """Check an autocomplete result (interaction callback type 8 ``data``)."""
    c = _Checker()
    choices = data.get("choices")
    if not isinstance(choices, list):
        c.add((*path, "choices"), "BASE_TYPE_REQUIRED", "This field is required")
        return c.errors
    c.max_len((*path, "choices"), choices, MAX_AUTOCOMPLETE_CHOICES)
    for k, choice in enumerate(choices):
        c.between((*path, "choices", k, "name"), choice.get("name"), 1, MAX_CHOICE_NAME)
        value = choice.get("value")
        if isinstance(value, str):
            c.max_len((*path, "choices", k, "value"), value, MAX_CHOICE_STRING_VALUE)
    return c.errors


# --------------------------------------------------------------------------- application commands


def _command_chars(node: JSON) -> int:
    total = len(node.get("name") or "") + len(node.get("description") or "")
    for choice in node.get("choices") or []:
        total += len(str(choice.get("name") or "")) + len(str(choice.get("value") or ""))
    for option in node.get("options") or []:
        total += _command_chars(option)
    return total


def _check_name(c: _Checker, path: Path, name: Any, *, chat_input: bool) -> None:
    if not isinstance(name, str) or not 1 <= len(name) <= MAX_COMMAND_NAME:
        c.add(path, "BASE_TYPE_BAD_LENGTH", f"Must be between 1 and {MAX_COMMAND_NAME} in length.")
        return
    if chat_input and (not COMMAND_NAME_RE.match(name) or name != name.lower()):
        c.add(path, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")


def _check_localizations(c: _Checker, node: JSON, path: Path, *, chat_input: bool) -> None:
    for locale, text in (node.get("name_localizations") or {}).items():
        _check_name(c, (*path, "name_localizations", locale), text, chat_input=chat_input)
    for locale, text in (node.get("description_localizations") or {}).items():
        c.between((*path, "description_localizations", locale), text, 1, MAX_COMMAND_DESCRIPTION)


def _check_option(c: _Checker, opt: JSON, path: Path, depth: int) -> None:
    otype = opt.get("type")
    _check_name(c, (*path, "name"), opt.get("name"), chat_input=True)
    c.between((*path, "description"), opt.get("description"), 1, MAX_COMMAND_DESCRIPTION)
    _check_localizations(c, opt, path, chat_input=True)
    choices = opt.get("choices") or []
    c.max_len((*path, "choices"), choices, MAX_COMMAND_CHOICES)
    for k, choice in enumerate(choices):
        c.between((*path, "choices", k, "name"), choice.get("name"), 1, MAX_CHOICE_NAME)
        if isinstance(choice.get("value"), str):
            c.max_len((*path, "choices", k, "value"), choice.get("value"), MAX_CHOICE_STRING_VALUE)
    if choices and opt.get("autocomplete"):
        c.add((*path, "autocomplete"), "AUTOCOMPLETE_AND_CHOICES", "Autocomplete cannot be used with choices")
    c.int_range((*path, "min_length"), opt.get("min_length"), 0, 6000)
    c.int_range((*path, "max_length"), opt.get("max_length"), 1, 6000)
    children = opt.get("options") or []
    if otype in (SUBCOMMAND, SUBCOMMAND_GROUP):
        if otype == SUBCOMMAND_GROUP and depth > 0:
            c.add((*path, "type"), "APPLICATION_COMMAND_OPTION_TYPE_INVALID", "Groups cannot be nested")
        if otype == SUBCOMMAND_GROUP and any(ch.get("type") != SUBCOMMAND for ch in children):
            c.add((*path, "options"), "APPLICATION_COMMAND_OPTION_TYPE_INVALID", "Groups hold subcommands only")
        if otype == SUBCOMMAND and any(ch.get("type") in (SUBCOMMAND, SUBCOMMAND_GROUP) for ch in children):
            c.add((*path, "options"), "APPLICATION_COMMAND_OPTION_TYPE_INVALID", "Subcommands cannot nest")
        _check_option_list(c, children, (*path, "options"), depth + 1)
    elif children:
        c.add((*path, "options"), "APPLICATION_COMMAND_OPTION_TYPE_INVALID", "Only subcommands have options")


def _check_option_list(c: _Checker, options: list[JSON], path: Path, depth: int) -> None:
    c.max_len(path, options, MAX_COMMAND_OPTIONS)
    names = [o.get("name") for o in options]
    if len(names) != len(set(names)):
        c.add(path, "APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS", "Option names must be unique")
    seen_optional = False
    for k, opt in enumerate(options):
        if opt.get("type") in (SUBCOMMAND, SUBCOMMAND_GROUP):
            pass
        elif opt.get("required"):
            if seen_optional:
                c.add(
                    (*path, k, "required"),
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            seen_optional = True
        _check_option(c, opt, (*path, k), depth)


def validate_commands(commands: Any) -> list[FieldError]:
    """Check a bulk-overwrite (``PUT .../commands``) body: names, descriptions, option counts, totals."""
    c = _Checker()
    if not isinstance(commands, list):
        c.add((), "BASE_TYPE_REQUIRED", "Body must be a list of commands")
        return c.errors
    counts: dict[int, int] = {}
    seen: set[tuple[int, str]] = set()
    for k, cmd in enumerate(commands):
        path: Path = (k,)
        ctype = int(cmd.get("type") or 1)
        counts[ctype] = counts.get(ctype, 0) + 1
        chat = ctype == 1
        name = cmd.get("name")
        _check_name(c, (*path, "name"), name, chat_input=chat)
        if chat:
            c.between((*path, "description"), cmd.get("description"), 1, MAX_COMMAND_DESCRIPTION)
        elif cmd.get("description"):
            c.add((*path, "description"), "BASE_TYPE_MAX_LENGTH", "Context menu commands have no description")
        _check_localizations(c, cmd, path, chat_input=chat)
        options = cmd.get("options") or []
        if chat:
            subs = [o for o in options if o.get("type") in (SUBCOMMAND, SUBCOMMAND_GROUP)]
            if subs and len(subs) != len(options):
                c.add((*path, "options"), "APPLICATION_COMMAND_OPTION_TYPE_INVALID", "Cannot mix subcommands")
            _check_option_list(c, options, (*path, "options"), 0)
        elif options:
            c.add((*path, "options"), "BASE_TYPE_MAX_LENGTH", "Context menu commands have no options")
        if _command_chars(cmd) > MAX_COMMAND_TOTAL_CHARS:
            c.add(path, "APPLICATION_COMMAND_TOO_LARGE", f"Command exceeds maximum size ({MAX_COMMAND_TOTAL_CHARS})")
        key = (ctype, str(name))
        if key in seen:
            c.add((*path, "name"), "APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique")
        seen.add(key)
    if counts.get(1, 0) > MAX_GLOBAL_CHAT_COMMANDS:
        c.add((), "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_GLOBAL_CHAT_COMMANDS} or fewer in length.")
    for ctype in (2, 3):
        if counts.get(ctype, 0) > MAX_CONTEXT_MENU_COMMANDS:
            c.add((), "BASE_TYPE_MAX_LENGTH", f"Too many context menu commands of type {ctype}")
    return c.errors
