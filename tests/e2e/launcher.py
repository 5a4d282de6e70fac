"""Starting `python -m bot ...` without paying its imports every time.

A bot process spends most of its start importing aiogram (its ~300 pydantic models are built at
import: 1.5–3 s of CPU on the CI machine), and the e2e tests start some fifty of them. A fork
server that imported the bot once forks each one instead: every run is still a process of its own
(its own pid, environment, working directory, stdout/stderr, exit code; SIGTERM and SIGKILL act
on it as on `python -m bot`), running the same `bot.__main__.main(argv)`. What it does not
exercise is the interpreter start itself: the polling-mode /start test starts a real
`python -m bot run` for that (`real=True`).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import sys
import tempfile
from multiprocessing.context import ForkServerContext
from multiprocessing.process import BaseProcess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRELOAD = ["bot.__main__", "bot.app", "bot.webhook"]

_context: ForkServerContext | None = None


def _fork_server() -> ForkServerContext:
    global _context
    if _context is None:
        context = multiprocessing.get_context("forkserver")
        assert isinstance(context, ForkServerContext)
        context.set_forkserver_preload(PRELOAD)
        _context = context
    return _context


def _run_bot(argv: list[str], env: dict[str, str], stdout: str, stderr: str) -> None:
    """The child: what `python -m bot ARGV` does, in the environment and directory given."""
    os.chdir(ROOT)
    os.environ.clear()
    os.environ.update(env)
    for fd, path in ((1, stdout), (2, stderr)):
        target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(target, fd)
        os.close(target)
    # As PYTHONUNBUFFERED does for a real process: output reaches the file as it is written.
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    sys.stderr.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    # The fork server ignores nothing the bot relies on, but be explicit: defaults, as at exec.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    from bot.__main__ import main

    sys.exit(main(argv))


class Launched:
    """A started bot process, with the part of asyncio.subprocess.Process the tests use."""

    def __init__(self, process: BaseProcess | asyncio.subprocess.Process) -> None:
        self._process = process

    @property
    def pid(self) -> int | None:
        return self._process.pid

    @property
    def returncode(self) -> int | None:
        if isinstance(self._process, asyncio.subprocess.Process):
            return self._process.returncode
        return self._process.exitcode

    def send_signal(self, signum: int) -> None:
        if self.returncode is None and self.pid is not None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    async def wait(self) -> int:
        if isinstance(self._process, asyncio.subprocess.Process):
            return await self._process.wait()
        process = self._process
        if process.exitcode is None:
            # The sentinel becomes readable when the process ends: wait on it, not on a timer.
            loop = asyncio.get_running_loop()
            ended = loop.create_future()
            loop.add_reader(process.sentinel, lambda: ended.done() or ended.set_result(None))
            try:
                await ended
            finally:
                loop.remove_reader(process.sentinel)
        process.join()
        code = process.exitcode
        assert code is not None
        return code


async def launch(
    argv: list[str], env: dict[str, str], stdout: Path, stderr: Path, *, real: bool = False
) -> Launched:
    """Start `python -m bot ARGV`; `real` execs a fresh interpreter instead of forking."""
    if real:
        with stdout.open("ab") as out, stderr.open("ab") as err:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", *argv, cwd=ROOT, env=env, stdout=out, stderr=err
            )
        return Launched(process)
    forked = _fork_server().Process(
        target=_run_bot, args=(list(argv), env, str(stdout), str(stderr)), daemon=False
    )
    # The fork server is started (once) and asked for a child over a socket: off the loop.
    await asyncio.to_thread(forked.start)
    return Launched(forked)


async def run_cli(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    """`python -m bot ARGS` to its end: (exit code, stdout, stderr)."""
    with tempfile.TemporaryDirectory(prefix="bot-cli-") as directory:
        out, err = Path(directory) / "stdout", Path(directory) / "stderr"
        process = await launch(list(args), env, out, err)
        try:
            code = await asyncio.wait_for(process.wait(), 60)
        except TimeoutError:
            process.kill()
            await process.wait()
            raise
        return code, out.read_text(encoding="utf-8"), err.read_text(encoding="utf-8")
