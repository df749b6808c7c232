"""The composition root of ``fileclient``: reads the environment, configures diagnostics, builds each
command's parts (output, link, player, monitor) and runs them on one event loop.

ssh starts ``fileclient ssh-proxy`` once per connection and waits for it, so every millisecond of
its start-up is on the ssh handshake's path: each command imports its own parts when it runs
(the log/play/monitor parts cost ssh-proxy ~40 ms), and ssh-proxy imports httpx without httpx's
command-line client (docs/performance-ssh.md).
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import types
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from fileclient import logsetup
from fileclient.quickflags import ssh_proxy_flags
from fileclient.settings import (
    ConfigError,
    ForwardSettings,
    LogSettings,
    MonitorSettings,
    OutputSettings,
    PlaySettings,
    SshProxySettings,
    ssh_proxy_settings,
)

if TYPE_CHECKING:
    from fileclient.logwriter import Output
    from fileclient.playfile import Script
    from relayclient.connect import TerminalClose

log = logging.getLogger("fileclient")


def import_httpx_without_its_cli() -> None:
    """Import httpx without ``httpx._main``: httpx imports its command-line client (click, rich,
    pygments: ~33 ms) whenever those are installed, and typer brings them. With ``_main`` standing
    in as a module without ``main``, httpx takes its own fallback, as when they are absent."""
    if "httpx" in sys.modules:
        return
    stand_in = types.ModuleType("httpx._main")
    sys.modules["httpx._main"] = stand_in
    try:
        import httpx  # noqa: F401
    finally:
        if sys.modules.get("httpx._main") is stand_in:
            del sys.modules["httpx._main"]


def _ended(command: str, exc: TerminalClose) -> int:
    """One line on stderr for a session the relay ended for good (no traceback); exit status 1."""
    print(f"fileclient {command}: {exc}", file=sys.stderr, flush=True)
    return 1


def _diagnostics(output: OutputSettings) -> None:
    logsetup.configure(
        level=logging.DEBUG if output.development else logging.INFO, json_format=not output.development
    )


def _open_output(output: OutputSettings) -> Output | None:
    from fileclient.logwriter import Output

    try:
        return Output(output.file, stream=sys.stdout.buffer)
    except OSError as exc:
        print(f"fileclient: cannot open log file {output.file}: {exc.strerror}", file=sys.stderr)
        return None


def run_log(settings: LogSettings) -> int:
    """``fileclient log``: record a session until SIGINT/SIGTERM."""
    from fileclient.link import Link
    from fileclient.logwriter import LogWriter
    from fileclient.runner import until_signalled
    from relayclient.connect import TerminalClose

    _diagnostics(settings.output)
    output = _open_output(settings.output)
    if output is None:
        return 1
    writer = LogWriter(output, settings.output.mode)
    connect = settings.connect
    link = Link(access_url=connect.access_url, tokens=connect.tokens, on_message=writer.message)
    log.info("logging %s (%s mode)", settings.connect.access_url, settings.output.mode)
    try:
        asyncio.run(until_signalled(link.run(), on_hangup=output.reopen))
    except TerminalClose as exc:
        return _ended("log", exc)
    finally:
        output.close()
    return 0


def _report(path: Path, script: Script, stream: TextIO) -> None:
    for error in script.errors:
        print(f"{path}:{error.number}: {error.reason}: {error.line}", file=stream)


def run_play(settings: PlaySettings) -> int:
    """``fileclient play``: check a script, or play it and log what comes back."""
    from fileclient.clock import LoopClock
    from fileclient.link import Link
    from fileclient.logwriter import LogWriter
    from fileclient.player import Player
    from fileclient.playfile import parse
    from fileclient.runner import play_session, until_signalled

    _diagnostics(settings.output)
    try:
        script = parse(settings.play_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        print(f"fileclient: cannot read play file {settings.play_file}: {exc}", file=sys.stderr)
        return 1
    if settings.check_only or settings.connect is None:
        _report(settings.play_file, script, sys.stdout)
        bad, total = len(script.errors), len(script.errors) + len(script.steps)
        print(f"{settings.play_file}: {bad} bad line(s) of {total}" if bad else f"{settings.play_file}: ok")
        return 1 if bad else 0
    if script.errors:
        _report(settings.play_file, script, sys.stderr)
        if not settings.force:
            print("fileclient: not playing a file with bad lines (use --force to skip them)", file=sys.stderr)
            return 1
    output = _open_output(settings.output)
    if output is None:
        return 1
    connect = settings.connect

    async def send(message: str) -> bool:
        return await link.send(message)

    writer = LogWriter(output, settings.output.mode)
    player = Player(script=script, send=send, writer=writer, clock=LoopClock())
    link = Link(access_url=connect.access_url, tokens=connect.tokens, on_message=player.on_message)
    session = play_session(link, player, start_delay=settings.start_delay, then_log=settings.then_log)
    try:
        asyncio.run(until_signalled(session, on_hangup=output.reopen))
    except BaseExceptionGroup as group:
        ended = _first_terminal(group)
        if ended is None:
            raise
        return _ended("play", ended)
    finally:
        output.close()
    return 0


def _first_terminal(group: BaseExceptionGroup[BaseException]) -> TerminalClose | None:
    """The TerminalClose a task group ended with (a Link task's), or None for any other failure."""
    from relayclient.connect import TerminalClose

    for exc in group.exceptions:
        if isinstance(exc, TerminalClose):
            return exc
        if isinstance(exc, BaseExceptionGroup):
            found = _first_terminal(exc)
            if found is not None:
                return found
    return None


def run_monitor(settings: MonitorSettings) -> int:
    """``fileclient monitor``: the canary, until SIGINT/SIGTERM."""
    from fileclient.canary import Tripwire
    from fileclient.monitor import CommandRunner, MintedTokens, Monitor
    from fileclient.runner import until_signalled

    log_stream: TextIO = sys.stderr
    if settings.log_file == "stdout":
        log_stream = sys.stdout
    elif settings.log_file:
        try:
            log_stream = open(settings.log_file, "a", encoding="utf-8")
        except OSError as exc:
            print(f"fileclient: cannot open {settings.log_file}: {exc.strerror}", file=sys.stderr)
            return 1
    logsetup.configure(level=settings.log_level, json_format=settings.log_format != "text", stream=log_stream)
    tokens = settings.tokens or MintedTokens(
        secret=settings.secret,
        audience=settings.audience,
        topic=settings.topic,
        lifetime=settings.reconnect_every,
    )
    show = settings.status if settings.status is not None else sys.stderr.isatty()
    monitor = Monitor(
        access_url=settings.access_url,
        tokens=tokens,
        tripwire=Tripwire(
            threshold=settings.threshold,
            trigger_after=settings.trigger_after,
            no_retrigger_within=settings.no_retrigger_within,
        ),
        runner=CommandRunner(settings.command),
        interval=settings.interval,
        silence=settings.silence,
        reconnect_every=settings.reconnect_every,
        status=sys.stderr if show else None,
    )
    if not settings.command:
        log.warning("no monitor command configured: triggers are only logged")
    try:
        asyncio.run(until_signalled(monitor.run()))
    except BaseExceptionGroup as group:
        ended = _first_terminal(group)
        if ended is None:
            raise
        return _ended("monitor", ended)
    if show:
        print(file=sys.stderr)
    return 0


def run_ssh_proxy(settings: SshProxySettings) -> int:
    """``fileclient ssh-proxy``: one ssh connection over stdin/stdout; stderr is the user's terminal."""
    import_httpx_without_its_cli()
    from fileclient.tunnel import ssh_proxy, stdio_streams
    from relayclient import loop

    logsetup.configure(level=settings.log_level, json_format=False)

    async def proxy() -> int:
        try:
            reader, writer = await stdio_streams()
        except (OSError, ValueError) as exc:
            print(f"fileclient ssh-proxy: cannot use stdin and stdout: {exc}", file=sys.stderr)
            return 2
        return await ssh_proxy(
            settings.connect, reader, writer, stderr=sys.stderr, connect_timeout=settings.connect_timeout
        )

    try:
        return loop.run(proxy())
    except KeyboardInterrupt:
        return 130


def run_forward(settings: ForwardSettings) -> int:
    """``fileclient forward``: listen locally until SIGINT/SIGTERM."""
    from fileclient.runner import until_signalled
    from fileclient.tunnel import Forwarder
    from relayclient import loop

    logsetup.configure(level=settings.log_level, json_format=False)
    forwarder = Forwarder(settings.connect, bind=settings.bind, port=settings.port)

    def ready(port: int) -> None:
        print(f"fileclient forward: listening on {settings.bind}:{port}", file=sys.stderr, flush=True)

    try:
        loop.run(until_signalled(forwarder.serve(on_ready=ready)))
    except OSError as exc:
        print(f"fileclient forward: cannot listen on {settings.bind}:{settings.port}: {exc}", file=sys.stderr)
        return 1
    return 0


def main() -> None:
    """Entry point of the ``fileclient`` console script."""
    flags = ssh_proxy_flags(sys.argv[1:])
    if flags is not None:  # ssh's ProxyCommand, once per connection: no typer (fileclient/quickflags.py)
        try:
            settings = ssh_proxy_settings(
                os.environ,
                access=flags.access,
                token=flags.token,
                token_file=flags.token_file,
                verbose=flags.verbose,
                connect_timeout=flags.connect_timeout,
            )
        except ConfigError:
            pass  # the full command line reports every problem, as for any other command
        else:
            sys.exit(run_ssh_proxy(settings))
    from fileclient.cli import Runners, build_app  # typer and pydantic: only when needed

    runners = Runners(
        log=run_log, play=run_play, monitor=run_monitor, ssh_proxy=run_ssh_proxy, forward=run_forward
    )
    app = build_app(dict(os.environ), runners)
    app()


if __name__ == "__main__":
    main()
