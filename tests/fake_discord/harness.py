"""Run the bot as a subprocess, exactly as in production, against a :class:`FakeDiscord`.

The child gets only the variables it is given plus a small whitelist of the parent's (``PATH``, locale,
``HOME``...), and runs in a fresh temporary directory, so a developer's ``.env`` or exported
``DISCORD_TOKEN`` cannot leak in. Its stdout and stderr go to one log file.
"""

# ruff: noqa: ASYNC109 - explicit ``timeout=`` arguments are this test API's documented interface.

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from .handles import FakeDiscordError
from .server import FakeDiscord

INHERITED_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "SYSTEMROOT", "PYTHONHASHSEED")
"""Parent variables passed through to the bot; everything else must be given explicitly."""


class BotProcessError(FakeDiscordError):
    """The bot process failed to start, exited early, or did not stop; the message includes its log."""


class BotProcess:
    """A bot subprocess with captured output.

    Args:
        argv: The command, e.g. ``[".venv/bin/fourth-pillar", "run"]`` (relative paths are not resolved
            against the temporary cwd: pass absolute paths).
        env: Variables for the child (on top of :data:`INHERITED_ENV` from the parent).
        log_path: File receiving stdout+stderr (appended to).
        cwd: Working directory; a fresh temporary directory when ``None``.
        inherit: Names of further parent variables to pass through.
    """

    def __init__(
        self,
        argv: Sequence[str],
        env: Mapping[str, str],
        log_path: str | os.PathLike[str],
        *,
        cwd: str | os.PathLike[str] | None = None,
        inherit: Iterable[str] = (),
    ) -> None:
        self.argv = [str(a) for a in argv]
        self.log_path = Path(log_path)
        names = (*INHERITED_ENV, *inherit)
        self.env = {k: os.environ[k] for k in names if k in os.environ}
        self.env.update(env)
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self.cwd = Path(cwd) if cwd is not None else None
        self.process: asyncio.subprocess.Process | None = None
        self.started_at: float = 0.0
        """``time.monotonic()`` when the process was started."""

    async def start(self) -> BotProcess:
        """Start the process (returns immediately)."""
        if self.process is not None:
            raise BotProcessError("already started")
        if self.cwd is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="bot-cwd-")
            self.cwd = Path(self._tmp.name)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.started_at = time.monotonic()
        with self._open_log() as log:
            self.process = await asyncio.create_subprocess_exec(
                *self.argv,
                env=self.env,
                cwd=self.cwd,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=asyncio.subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def _open_log(self) -> BinaryIO:
        return open(self.log_path, "ab")

    @property
    def pid(self) -> int:
        """The child's process id."""
        return self._proc().pid

    @property
    def returncode(self) -> int | None:
        """Exit status once exited (negative: killed by that signal)."""
        return self.process.returncode if self.process is not None else None

    @property
    def running(self) -> bool:
        """Whether the process was started and has not exited."""
        return self.process is not None and self.process.returncode is None

    def log_text(self) -> str:
        """Everything the process wrote so far."""
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def log_tail(self, lines: int = 60) -> str:
        """The last ``lines`` lines of the log."""
        return "\n".join(self.log_text().splitlines()[-lines:])

    async def wait_ready(
        self,
        fake: FakeDiscord,
        *,
        timeout: float = 20.0,
        min_syncs: int = 1,
        log_marker: str | None = None,
    ) -> None:
        """Wait until this process IDENTIFYed on ``fake`` (READY sent) and made ``min_syncs`` accepted command
        syncs (pass 0 for a bot that only syncs when its commands changed), and, if given, ``log_marker``
        appeared in its log. Only connections and syncs since :meth:`start` count. Raises
        :class:`BotProcessError` with the log tail if the process exits or the timeout passes first. Also
        hooks the log into ``fake``'s timeout messages."""
        fake.log_source = self.log_text
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if not self.running:
                raise BotProcessError(f"bot exited with {self.returncode} before it was ready; log:\n{self.log_tail()}")
            syncs = [s for s in fake.command_syncs if s.accepted and s.request.at >= self.started_at]
            identified = any(c.ready and c.opened_at >= self.started_at for c in fake.gateway_connections)
            marked = log_marker is None or log_marker in self.log_text()
            if identified and len(syncs) >= min_syncs and marked:
                return
            if loop.time() > deadline:
                raise BotProcessError(
                    f"bot not ready after {timeout}s (identified={identified}, syncs={len(syncs)}/{min_syncs}, "
                    f"marker={marked}, violations={[str(v) for v in fake.violations]}); "
                    f"log:\n{self.log_tail()}"
                )
            await asyncio.sleep(0.05)

    async def wait_exit(self, timeout: float = 10.0) -> int:
        """Wait for the process to exit by itself; return its exit status."""
        proc = self._proc()
        try:
            return await asyncio.wait_for(proc.wait(), timeout)
        except TimeoutError:
            raise BotProcessError(f"bot still running after {timeout}s; log:\n{self.log_tail()}") from None

    async def terminate(self, sig: signal.Signals = signal.SIGTERM, timeout: float = 10.0) -> int:
        """Send ``sig`` and wait for the exit status. If it does not exit within ``timeout``, kill its whole
        process group and raise :class:`BotProcessError` with the log."""
        proc = self._proc()
        if proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(sig)
            try:
                await asyncio.wait_for(proc.wait(), timeout)
            except TimeoutError:
                await self.kill()
                raise BotProcessError(
                    f"bot did not exit within {timeout}s of {sig.name}; killed. log:\n{self.log_tail()}"
                ) from None
        return proc.returncode if proc.returncode is not None else -1

    async def kill(self) -> None:
        """SIGKILL the process group this harness started, and reap it."""
        proc = self.process
        if proc is None or proc.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
        await proc.wait()

    async def close(self) -> None:
        """Stop the process if still running (SIGTERM, then SIGKILL) and remove the temporary cwd."""
        if self.running:
            with contextlib.suppress(BotProcessError):
                await self.terminate(timeout=5.0)
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    async def __aenter__(self) -> BotProcess:
        return await self.start()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    def _proc(self) -> asyncio.subprocess.Process:
        if self.process is None:
            raise BotProcessError("not started")
        return self.process
