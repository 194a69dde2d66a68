"""What the fake Discord remembers: REST requests, gateway connections, messages, callbacks, violations."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .limits import FLAG_EPHEMERAL, FLAG_LOADING, FieldError
from .models import JSON


@dataclass
class FilePart:
    """One uploaded file of a multipart request (``files[n]``)."""

    field: str
    filename: str
    content_type: str
    data: bytes


@dataclass
class RecordedRequest:
    """One REST request the bot made, and what the fake answered.

    ``json`` is the parsed JSON body (if the body was JSON); ``form`` holds the non-file multipart fields
    (e.g. ``payload_json``) and ``files`` the uploaded files. ``payload`` gives the JSON either way.
    ``route`` names the matched route (``None`` for an unknown route).
    """

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: Any = None
    form: dict[str, str] = field(default_factory=dict)
    files: list[FilePart] = field(default_factory=list)
    at: float = 0.0
    route: str | None = None
    status: int = 0
    response: Any = None

    @property
    def payload(self) -> Any:
        """The JSON body, or the parsed ``payload_json`` multipart field."""
        if self.json is not None:
            return self.json
        if "payload_json" in self.form:
            return json.loads(self.form["payload_json"])
        return None

    def header(self, name: str) -> str | None:
        """A request header, looked up case-insensitively."""
        lowered = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == lowered), None)

    def __str__(self) -> str:
        return f"{self.method} {self.path} -> {self.status}"


@dataclass
class Violation:
    """A request Discord would have rejected, with the error the fake answered."""

    kind: str
    """``message``, ``callback``, ``commands``, ``already_acknowledged``, ``deadline``, ``files``,
    ``empty_message``, ``response_type`` or ``token``."""
    request: RecordedRequest
    status: int
    body: JSON
    errors: list[FieldError] = field(default_factory=list)

    def __str__(self) -> str:
        detail = "; ".join(str(e) for e in self.errors) or self.body.get("message", "")
        return f"[{self.kind}] {self.request.method} {self.request.path} -> {self.status}: {detail}"


@dataclass
class GatewayConnection:
    """One websocket connection from the bot to the fake gateway."""

    id: int
    opened_at: float
    query: dict[str, str]
    identify: JSON | None = None
    resume: JSON | None = None
    session_id: str | None = None
    shard: tuple[int, int] = (0, 1)
    heartbeats: int = 0
    received: list[JSON] = field(default_factory=list)
    sent: list[JSON] = field(default_factory=list)
    closed_at: float | None = None
    close_code: int | None = None
    closed_by_server: bool = False

    @property
    def open(self) -> bool:
        """Whether the socket is still open."""
        return self.closed_at is None

    @property
    def ready(self) -> bool:
        """Whether the fake has sent READY or RESUMED on this connection."""
        return self.session_id is not None and self.open


@dataclass
class CallbackRecord:
    """The accepted initial response to an interaction (``POST /interactions/{id}/{token}/callback``)."""

    type: int
    data: JSON | None
    elapsed: float
    """Seconds between delivering the interaction and receiving this callback."""
    request: RecordedRequest

    @property
    def flags(self) -> int:
        """``data.flags`` (0 when absent)."""
        return int((self.data or {}).get("flags") or 0)

    @property
    def ephemeral(self) -> bool:
        """Whether the response was marked ephemeral (flags & 64)."""
        return bool(self.flags & FLAG_EPHEMERAL)

    @property
    def content(self) -> str | None:
        """``data.content`` if any."""
        return (self.data or {}).get("content")


@dataclass
class MessageRecord:
    """A message the bot created, with its edit history.

    ``kind`` is ``response`` (an interaction's @original), ``followup`` or ``channel`` (``POST
    /channels/{id}/messages``). ``message`` is the current full message object.
    """

    message: JSON
    kind: str
    channel_id: int
    guild_id: int | None
    interaction_id: int | None
    history: list[JSON] = field(default_factory=list)
    deleted: bool = False

    @property
    def id(self) -> int:
        """The message id."""
        return int(self.message["id"])

    @property
    def flags(self) -> int:
        """Current message flags."""
        return int(self.message.get("flags") or 0)

    @property
    def ephemeral(self) -> bool:
        """Whether only the invoking user can see the message (flags & 64)."""
        return bool(self.flags & FLAG_EPHEMERAL)

    @property
    def loading(self) -> bool:
        """Whether this is still a deferred "is thinking..." placeholder (flags & 128)."""
        return bool(self.flags & FLAG_LOADING)


def message_text(message: JSON) -> str:
    """All human-readable text of a message (content, embed title/description/fields/footer/author,
    component labels, text displays), joined by newlines: handy for ``assert "x" in message_text(m)``."""
    parts: list[str] = [message.get("content") or ""]
    for embed in message.get("embeds") or []:
        parts.append((embed.get("author") or {}).get("name") or "")
        parts.append(embed.get("title") or "")
        parts.append(embed.get("description") or "")
        for fld in embed.get("fields") or []:
            parts.append(fld.get("name") or "")
            parts.append(fld.get("value") or "")
        parts.append((embed.get("footer") or {}).get("text") or "")
    stack = list(message.get("components") or [])
    while stack:
        comp = stack.pop(0)
        parts.append(comp.get("label") or "")
        parts.append(comp.get("content") or "")
        stack.extend(comp.get("components") or [])
    return "\n".join(p for p in parts if p)
