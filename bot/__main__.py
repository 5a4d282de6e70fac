"""Entry point: `python -m bot run | webhook | worker | migrate | invite ROLE|list|revoke |
role list|revoke | season import FILE | team ... | sites import | defence import FILE |
export KIND --out FILE`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import sys
import threading
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import ValidationError

from bot.settings import Settings
from bot.startup import StartupError
from services.clock import SystemClock
from services.container import ServiceConfig, Services
from services.domain import Role, TeamRole
from services.errors import DomainError
from services.i18n import Texts
from services.invitations import INVITE_PREFIX
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade_async
from storage.uow import UnitOfWorkFactory

if TYPE_CHECKING:
    from bot.app import App

logger = logging.getLogger("bot")

T = TypeVar("T")


INVITE_ACTIONS = ("list", "revoke")
EXPORT_KINDS = ("applications", "teams", "tasks", "bookings")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="«Кадры будущего» Telegram bot"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser(
        "run", help="run with long polling: Telegram (BOT_TOKEN), MAX (MAX_BOT_TOKEN) or both"
    )
    commands.add_parser(
        "webhook",
        help="run the webhook server (WEBHOOK_* settings; MAX too with MAX_WEBHOOK_URL)",
    )
    commands.add_parser(
        "worker",
        help="run only the outbox senders and the scheduler, no updates (beside webhook "
        "processes with BACKGROUND=worker; on PostgreSQL a second worker stands by)",
    )
    commands.add_parser(
        "migrate", help="bring the database schema up to date (alembic upgrade head)"
    )
    invite = commands.add_parser(
        "invite",
        help="one-time deep links that grant a role: `invite ROLE` prints new ones, "
        "`invite list` the unused ones, `invite revoke CODE` switches one off",
    )
    invite.add_argument(
        "role",
        metavar="ROLE|list|revoke",
        choices=[*(role.value for role in Role), *INVITE_ACTIONS],
    )
    invite.add_argument("code", nargs="?", help="with revoke: the code, inv_… payload or link")
    invite.add_argument("--count", type=int, default=1, help="how many links (default 1)")
    invite.add_argument("--season", help="season code for seasonal roles (default: current)")
    invite.add_argument("--label", help="a note for the office, e.g. whom the link is for")
    invite.add_argument(
        "--days",
        type=int,
        help="the links expire after this many days (default: the season's "
        "invitation_valid_days, 14 without a season)",
    )
    role = commands.add_parser("role", help="roles people hold: list them, revoke one")
    role_commands = role.add_subparsers(dest="role_command", required=True, metavar="ACTION")
    role_list = role_commands.add_parser(
        "list", help="people holding office, mentor and site contact roles"
    )
    role_list.add_argument("--all", action="store_true", help="tutors and students too")
    role_revoke = role_commands.add_parser(
        "revoke", help="revoke a person's role (Telegram id); takes effect at once"
    )
    role_revoke.add_argument("tg_id", type=int)
    role_revoke.add_argument("role", choices=[role.value for role in Role])
    role_revoke.add_argument("--season", help="only in this season (default: in every season)")
    season = commands.add_parser("season", help="set up a season")
    season_commands = season.add_subparsers(dest="season_command", required=True, metavar="ACTION")
    season_import = season_commands.add_parser(
        "import", help="load or update a season from a YAML file (see examples/season.yaml)"
    )
    season_import.add_argument("file", help="the season's YAML file")
    team = commands.add_parser(
        "team", help="project teams: create, add, move or remove members, bind the chat"
    )
    team_commands = team.add_subparsers(dest="team_command", required=True, metavar="ACTION")
    create = team_commands.add_parser("create", help="create a team; prints its code")
    create.add_argument("name")
    create.add_argument("--season", help="season code (default: current)")
    create.add_argument("--code", help="the team's code (default: generated)")
    add = team_commands.add_parser("add", help="add a person (Telegram id) to a team")
    add.add_argument("code")
    add.add_argument("tg_id", type=int)
    add.add_argument("role", choices=[role.value for role in TeamRole])
    move = team_commands.add_parser("move", help="move a person (Telegram id) to another team")
    move.add_argument("tg_id", type=int)
    move.add_argument("from_code")
    move.add_argument("to_code")
    remove = team_commands.add_parser(
        "remove", help="remove a person (Telegram id) from a team and its chat"
    )
    remove.add_argument("code")
    remove.add_argument("tg_id", type=int)
    bind = team_commands.add_parser("bind-chat", help="bind the team's Telegram group")
    bind.add_argument("code")
    bind.add_argument("chat_id", type=int)
    sites = commands.add_parser("sites", help="internship sites and their slots")
    sites_commands = sites.add_subparsers(dest="sites_command", required=True, metavar="ACTION")
    load = sites_commands.add_parser(
        "import", help="create or update sites and slots from a YAML file; prints contact links"
    )
    load.add_argument("file")
    load.add_argument("--season", help="season code (default: the file's `season`, or current)")
    defence = commands.add_parser("defence", help="the public defence with a jury")
    defence_commands = defence.add_subparsers(
        dest="defence_command", required=True, metavar="ACTION"
    )
    defence_load = defence_commands.add_parser(
        "import",
        help="criteria, sessions, jurors and team slots from a YAML file (its `defence:` "
        "section, or the whole file)",
    )
    defence_load.add_argument("file")
    export = commands.add_parser(
        "export",
        help="an XLSX file for the project office: applications (answers, scores, decisions), "
        "teams (rosters), tasks (ИУП) or bookings (attendance)",
    )
    export.add_argument("kind", metavar="KIND", choices=EXPORT_KINDS)
    export.add_argument("--season", help="season code (default: current)")
    export.add_argument("--out", required=True, metavar="FILE", help="where to write the .xlsx")
    return parser


class SeasonFileError(Exception):
    """The season file has errors: each is printed, nothing was written."""

    def __init__(self, file: str, errors: list[str]) -> None:
        super().__init__(file)
        self.file = file
        self.errors = errors


async def _season_import(settings: Settings, args: argparse.Namespace) -> None:
    from services.season_import import SeasonFileInvalid, SeasonImportService

    try:
        content = await asyncio.to_thread(Path(args.file).read_text, encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise StartupError(f"cannot read {args.file}: {type(error).__name__}") from error
    await upgrade_async(settings.database_url)
    engine = create_engine(settings.database_url)
    try:
        factory = UnitOfWorkFactory(create_session_factory(engine))
        async with factory() as uow:
            report = await SeasonImportService(uow, SystemClock()).import_text(content)
    except SeasonFileInvalid as invalid:
        raise SeasonFileError(args.file, invalid.errors) from invalid
    finally:
        await engine.dispose()
    verb = "created" if report.created else "updated"
    counts = ", ".join(f"{count} {name}" for name, count in report.counts.items())
    print(f"season {report.season_code} {verb} (revision {report.revision}): {counts}")
    username = await _bot_username(settings)
    print("mentor invitations, one per idea (the first person to open a link becomes its mentor):")
    for link in report.mentor_links:
        url = (
            f"https://t.me/{username}?start={link.payload}"
            if username
            else f"/start {link.payload}"
        )
        if link.used:
            state = " (already used)"
        elif link.valid_until is not None:
            state = f" (valid until {link.valid_until:%Y-%m-%d %H:%M %Z})"
        else:
            state = ""
        print(f"  {link.idea_code}: {url}{state}")


def _load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']).upper() or 'settings'}: {e['msg']}"
            for e in error.errors()
        )
        raise StartupError(f"bad settings: {problems}") from None


async def _serve(settings: Settings, mode: str) -> None:
    # The messenger libraries load only to serve: the office's commands start without them.
    from bot.app import build_app, prepare, settle_heap

    max_by_webhook = mode == "webhook" and settings.max_webhook_url is not None
    if settings.max_bot_token is not None and mode == "run" and settings.max_webhook_url:
        logger.warning("`run` polls MAX: MAX_WEBHOOK_URL is used by `webhook` only")
    if settings.bot_token is None:
        # MAX alone; with BOT_TOKEN too, MAX is served beside Telegram (bot/app.py, App.max).
        if mode == "webhook" and not max_by_webhook:
            raise StartupError("webhook mode on MAX alone needs MAX_WEBHOOK_URL")
        await _serve_max_only(settings, max_by_webhook)
        return
    app = build_app(settings, max_by_webhook=max_by_webhook)
    try:
        await prepare(app)
    except BaseException:
        await _close(app)
        raise
    settle_heap()
    if mode == "webhook":
        from bot.webhook import run_webhook

        await run_webhook(app)
    else:
        from bot.webhook import start_health_server

        # A previous webhook would make getUpdates fail; pending updates are kept.
        await app.bot.delete_webhook(drop_pending_updates=False)
        health_server = await start_health_server(app)
        try:
            await app.dp.start_polling(
                app.bot, allowed_updates=app.dp.resolve_used_update_types(), close_bot_session=True
            )
        finally:
            if health_server is not None:
                await health_server.cleanup()


async def _serve_max_only(settings: Settings, by_webhook: bool) -> None:
    from bot.app import (
        build_max_only,
        close_max_only,
        prepare_max_only,
        run_max_only,
        settle_heap,
    )
    from bot.webhook import start_health_server

    app = build_max_only(settings, by_webhook=by_webhook)
    try:
        await prepare_max_only(app)
    except BaseException:
        await close_max_only(app)
        raise
    settle_heap()
    if by_webhook:
        from bot.max_webhook import run_max_only_webhook

        await run_max_only(app, lambda: run_max_only_webhook(app))
        return
    health_server = await start_health_server(app)
    try:
        await run_max_only(app)
    finally:
        if health_server is not None:
            await health_server.cleanup()


async def _close(app: App) -> None:
    await app.bot.session.close()
    await app.engine.dispose()
    if app.redis is not None:
        await app.redis.aclose()


async def _migrate(settings: Settings) -> None:
    try:
        await upgrade_async(settings.database_url)
    except Exception as error:
        raise StartupError(f"database migration failed: {type(error).__name__}: {error}") from error
    print("database is up to date")


async def _with_services(settings: Settings, action: Callable[[Services], Awaitable[T]]) -> T:
    """Run one office action over a fresh unit of work; a refusal becomes a one-line error."""
    await upgrade_async(settings.database_url)
    engine = create_engine(settings.database_url)
    try:
        factory = UnitOfWorkFactory(create_session_factory(engine))
        async with factory() as uow:
            config = ServiceConfig(
                default_timezone=settings.default_timezone,
                office_admin_ids=settings.office_admin_ids,
            )
            return await action(Services(uow, SystemClock(), Texts(), config))
    except DomainError as error:
        raise StartupError(Texts().get(error.key, **error.args_for_text)) from error
    finally:
        await engine.dispose()


def _utc(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment is not None else "never"


async def _invite_list(settings: Settings) -> int:
    entries = await _with_services(settings, lambda services: services.access.open_invitations())
    if not entries:
        print("no unused invitations")
    for entry in entries:
        what = f"idea «{entry.idea_title}»" if entry.idea_title else (entry.label or "")
        print(
            f"{INVITE_PREFIX}{entry.code}\t{entry.role.value}\t{entry.season_code or '-'}"
            f"\texpires {_utc(entry.expires_at)}\t{what}".rstrip()
        )
    return 0


async def _invite_revoke(settings: Settings, code: str) -> int:
    from services.access import Revoked

    outcome = await _with_services(
        settings, lambda services: services.access.revoke_invitation_code(code)
    )
    if outcome is Revoked.USED:
        print(
            "error: this invitation was already used; revoke the role it gave instead "
            "(python -m bot role list, then role revoke TG_ID ROLE)",
            file=sys.stderr,
        )
        return 1
    print("invitation revoked" if outcome is Revoked.DONE else "invitation was already revoked")
    return 0


async def _role(settings: Settings, args: argparse.Namespace) -> int:
    from services.invitations import STAFF_ROLES

    if args.role_command == "revoke":
        result = await _with_services(
            settings,
            lambda services: services.access.revoke_role(args.tg_id, Role(args.role), args.season),
        )
        if not result.revoked:
            print(f"{args.tg_id} holds no {args.role} role to revoke")
            return 1
        print(f"revoked {args.role} from {args.tg_id} ({result.revoked} grant(s))")
        return 0
    roles = frozenset(Role) if args.all else STAFF_ROLES
    entries = await _with_services(settings, lambda services: services.access.grants(roles))
    if not entries:
        print("nobody holds these roles")
    for entry in entries:
        name = entry.name or "-"
        if entry.username:
            name += f" @{entry.username}"
        extra = f"ideas: {', '.join(entry.ideas)}" if entry.ideas else ""
        if entry.from_settings:
            extra = "from OFFICE_ADMIN_IDS (revoke there)"
        columns = [str(entry.tg_id), entry.role.value, entry.season_code or "-", name, extra]
        print("\t".join(columns).rstrip())
    return 0


async def _invite(settings: Settings, args: argparse.Namespace) -> None:
    payloads = await _with_services(
        settings,
        lambda services: services.invitations.create(
            Role(args.role),
            season_code=args.season,
            label=args.label,
            valid_for=timedelta(days=args.days) if args.days is not None else None,
            count=args.count,
        ),
    )
    username = await _bot_username(settings)
    for payload in payloads:
        print(f"https://t.me/{username}?start={payload}" if username else f"/start {payload}")


async def _team(settings: Settings, args: argparse.Namespace) -> None:
    from services.notify import OutboxNotifier
    from services.teams import TeamService

    await upgrade_async(settings.database_url)
    engine = create_engine(settings.database_url)
    try:
        factory = UnitOfWorkFactory(create_session_factory(engine))
        async with factory() as uow:
            clock = SystemClock()
            service = TeamService(uow, clock, OutboxNotifier(uow.outbox, clock), Texts())
            if args.team_command == "create":
                team = await service.create_team(args.name, season_code=args.season, code=args.code)
                print(team.code)
            elif args.team_command == "add":
                person = await service.add_member(args.code, args.tg_id, TeamRole(args.role))
                print(f"person {person.id} is now {args.role} in team {args.code}")
            elif args.team_command == "move":
                person = await service.move_member(args.tg_id, args.from_code, args.to_code)
                print(f"person {person.id} moved from team {args.from_code} to {args.to_code}")
            elif args.team_command == "remove":
                person = await service.remove_member(args.code, args.tg_id)
                print(f"person {person.id} removed from team {args.code}")
            else:
                await service.bind_chat(args.code, args.chat_id)
                print(f"team {args.code} is bound to chat {args.chat_id}")
    except DomainError as error:
        raise StartupError(Texts().get(error.key, **error.args_for_text)) from error
    finally:
        await engine.dispose()


def _read_yaml(path: str) -> Any:
    import yaml

    try:
        with open(path, encoding="utf-8") as file:
            return yaml.safe_load(file)
    except (OSError, yaml.YAMLError) as error:
        raise StartupError(
            Texts().get("sites-file-unreadable", error=type(error).__name__)
        ) from error


async def _sites(settings: Settings, args: argparse.Namespace, data: Any) -> int:
    await upgrade_async(settings.database_url)
    engine = create_engine(settings.database_url)
    try:
        factory = UnitOfWorkFactory(create_session_factory(engine))
        async with factory() as uow:
            services = Services(
                uow,
                SystemClock(),
                Texts(),
                ServiceConfig(default_timezone=settings.default_timezone),
            )
            report = await services.internships.import_sites(data, args.season)
    finally:
        await engine.dispose()
    if report.errors:
        for path, problem in report.errors:
            print(f"{args.file}: {path}: {problem}", file=sys.stderr)
        return 1
    print(
        f"sites: {report.sites_created} created, {report.sites_updated} updated; "
        f"slots: {report.slots_created} created, {report.slots_updated} updated"
    )
    username = await _bot_username(settings) if any(p for _, p in report.contacts) else None
    for code, payload in report.contacts:
        if payload is None:
            print(f"{code}: contact bound")
        else:
            link = f"https://t.me/{username}?start={payload}" if username else f"/start {payload}"
            print(f"{code}: {link}")
    return 0


async def _defence(settings: Settings, data: Any) -> int:
    section = data.get("defence", data) if isinstance(data, dict) else None
    if not isinstance(section, dict):
        raise StartupError(Texts().get("df-setup-bad"))
    sessions, slots = await _with_services(settings, lambda s: s.defence.setup(section))
    print(f"defence: {sessions} sessions, {slots} new slots")
    return 0


async def _export(settings: Settings, args: argparse.Namespace) -> int:
    from services.exports import ExportKind

    out = Path(args.out)
    if not out.parent.is_dir():
        raise StartupError(f"cannot write {out}: no directory {out.parent}")
    try:
        export = await _with_services(
            settings,
            lambda services: services.exports.write_to(ExportKind(args.kind), out, args.season),
        )
    except OSError as error:
        raise StartupError(f"cannot write {out}: {type(error).__name__}") from error
    print(
        f"{export.kind.value} of season {export.season_code}: {export.rows} row(s) written to "
        f"{out}; {export.people} person(s) recorded in the access audit"
    )
    return 0


async def _bot_username(settings: Settings) -> str | None:
    from bot.app import build_bot

    bot = build_bot(settings)
    try:
        me = await asyncio.wait_for(bot.get_me(), timeout=10)
        return me.username
    except Exception:
        print(
            "note: Telegram is unreachable, so the links are shown as /start commands",
            file=sys.stderr,
        )
        return None
    finally:
        await bot.session.close()


# Our own packages: only they follow LOG_LEVEL below INFO. Libraries' DEBUG lines carry what
# passes through them — aiosqlite logs every statement with its parameters, answers and names
# included — so they stay at INFO or above whatever LOG_LEVEL says.
OWN_PACKAGES = ("bot", "handlers", "max_adapter", "dialogs", "services", "storage", "scheduler")


def configure_logging(log_level: str, log_format: str = "plain") -> None:
    from bot.logs import log_handler

    level = logging.getLevelName(log_level.upper())
    level = level if isinstance(level, int) else logging.INFO
    logging.basicConfig(level=max(level, logging.INFO), handlers=[log_handler(log_format)])
    for package in OWN_PACKAGES:
        logging.getLogger(package).setLevel(level)
    logging.getLogger(__name__).debug(
        "log level %s for our packages, INFO or above for libraries", logging.getLevelName(level)
    )


# How long the end of the process waits for tasks still running after the bot stopped.
LEFTOVER_TASKS_SECONDS = 2.0


def _run_to_the_end(serving: Awaitable[None]) -> None:
    """`asyncio.run` for the bot itself, with a bounded end: a task some library left running
    after the bot stopped is named in the log (its coroutine's name only) and cancelled, and
    waited for at most LEFTOVER_TASKS_SECONDS; a thread still running then (which the
    interpreter would wait for without a bound) is named and not waited for, so the process
    always exits."""
    log = logging.getLogger(__name__)
    loop = asyncio.new_event_loop()
    stopped_cleanly = False
    try:
        loop.run_until_complete(serving)
        stopped_cleanly = True
    finally:
        leftovers = [task for task in asyncio.all_tasks(loop) if not task.done()]
        if leftovers:
            names = sorted({getattr(t.get_coro(), "__qualname__", t.get_name()) for t in leftovers})
            log.info("shutdown: %d tasks still running, cancelled: %s", len(leftovers), names)
            for task in leftovers:
                task.cancel()
            loop.run_until_complete(asyncio.wait(leftovers, timeout=LEFTOVER_TASKS_SECONDS))
        loop.run_until_complete(loop.shutdown_asyncgens())
        # Python 3.11 waits for the executor's threads without a bound: a stuck one would keep
        # a stopped process alive, so it is given a bound and named instead.
        executor = asyncio.wait_for(loop.shutdown_default_executor(), LEFTOVER_TASKS_SECONDS)
        with contextlib.suppress(TimeoutError):
            loop.run_until_complete(executor)
        loop.close()
        stuck = _name_leftover_threads(log)
        log.info("process exits")
        if stuck and stopped_cleanly:
            # Everything of ours is closed and the log flushed: only a library's thread is
            # left, and the interpreter's exit would join it forever. (After a failure the
            # error still has to be reported by main, so the process ends the usual way.)
            logging.shutdown()
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(0)


def _name_leftover_threads(log: logging.Logger) -> bool:
    """A thread that is not a daemon keeps the interpreter from exiting (an aiosqlite
    connection nobody closed, say): named in the log, so a process that does not exit after
    SIGTERM says why."""
    alive = [
        thread
        for thread in threading.enumerate()
        if thread is not threading.main_thread() and not thread.daemon and thread.is_alive()
    ]
    if alive:
        # What the thread runs (aiosqlite's `_connection_worker_thread`, say) and its name.
        names = sorted(
            {f"{getattr(getattr(t, '_target', None), '__qualname__', '?')}:{t.name}" for t in alive}
        )
        log.warning("shutdown: %d threads still running, not waited for: %s", len(alive), names)
    return bool(alive)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = _load_settings()
        configure_logging(settings.log_level, settings.log_format)
        # aiogram logs each handled update with its user id at INFO; ids are enough for us.
        logging.getLogger("aiogram.event").setLevel(logging.WARNING)
        # maxapi logs each update (with its user) at INFO too.
        logging.getLogger("maxapi").setLevel(logging.WARNING)
        # APScheduler logs each run of each job at INFO: two lines every 3 s for the broadcast
        # progress alone. A job's failure is still logged (ERROR), and our jobs log their work.
        logging.getLogger("apscheduler.executors").setLevel(logging.WARNING)
        if args.command in ("run", "webhook"):
            _run_to_the_end(_serve(settings, args.command))
        elif args.command == "worker":
            from bot.worker import run_worker

            _run_to_the_end(run_worker(settings))
        elif args.command == "migrate":
            asyncio.run(_migrate(settings))
        elif args.command == "invite" and args.role == "list":
            return asyncio.run(_invite_list(settings))
        elif args.command == "invite" and args.role == "revoke":
            if not args.code:
                raise StartupError("invite revoke needs the invitation's code (see invite list)")
            return asyncio.run(_invite_revoke(settings, args.code))
        elif args.command == "invite":
            if args.code:
                raise StartupError(f"unexpected argument {args.code!r}: invite ROLE takes options")
            asyncio.run(_invite(settings, args))
        elif args.command == "role":
            return asyncio.run(_role(settings, args))
        elif args.command == "season":
            asyncio.run(_season_import(settings, args))
        elif args.command == "team":
            asyncio.run(_team(settings, args))
        elif args.command == "sites":
            return asyncio.run(_sites(settings, args, _read_yaml(args.file)))
        elif args.command == "defence":
            return asyncio.run(_defence(settings, _read_yaml(args.file)))
        elif args.command == "export":
            return asyncio.run(_export(settings, args))
    except SeasonFileError as invalid:
        print(
            f"error: {invalid.file} has {len(invalid.errors)} problem(s); nothing was changed:",
            file=sys.stderr,
        )
        for line in invalid.errors:
            print(f"  {line}", file=sys.stderr)
        return 1
    except StartupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
