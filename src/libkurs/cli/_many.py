"""``libkurs sync --targets CONFIG``: keep every calendar of a feeds file in step at once.

Each ``[[targets]]`` table of the feeds file is one calendar with its feed's slice of the
catalogue, its language, key, policy, credentials (by reference) and state file. They run
``--jobs`` at a time (:func:`libkurs.sync.sync_many`), each one's failure its own; one line per
target is printed (``--json``: one object with a member per target), and the exit status is the
worst of the targets' (:class:`~libkurs.cli._sync.ExitCode`). ``--shard K/N`` runs only the
targets of shard K of N, so that N workers of a scheduler can share one file.
"""

from __future__ import annotations

import argparse
import json
import re
import sys

from libkurs.cli._sync import ExitCode, _error_code, _report_code, _summary
from libkurs.cli._terminal import printable
from libkurs.errors import KursError
from libkurs.sync import TargetResult, sync_many

__all__ = ["add_arguments", "run"]

_SHARD = re.compile(r"([0-9]+)/([0-9]+)")
#: Options of a single sync that the targets file says per target instead.
_PER_TARGET = ("catalogue", "target", "state", "username", "calendar", "key", "format")


def add_arguments(command: argparse.ArgumentParser) -> None:
    """Add ``--targets``, ``--jobs`` and ``--shard`` to the ``sync`` command."""
    command.add_argument(
        "--targets",
        metavar="CONFIG",
        help="sync every [[targets]] calendar of this feeds file, instead of CATALOGUE TARGET",
    )
    command.add_argument(
        "--jobs", type=int, default=4, metavar="N", help="with --targets: N at a time (default 4)"
    )
    command.add_argument(
        "--shard", metavar="K/N", help="with --targets: only the targets of shard K of N"
    )


def _fail(args: argparse.Namespace, message: str) -> int:
    print(f"libkurs: {message}", file=sys.stderr)
    if args.json:
        print(json.dumps({"error": message, "exit_code": int(ExitCode.BAD_INPUT)}, indent=2))
    return int(ExitCode.BAD_INPUT)


def _code(result: TargetResult) -> ExitCode:
    if result.error is not None:
        return _error_code(result.error)
    assert result.report is not None
    return _report_code(result.report)


def _line(result: TargetResult) -> str:
    if result.error is not None:
        return f"{printable(result.name)}: error: {printable(result.error)}"
    assert result.report is not None
    summary = _summary(result.report).replace("\n", "; ")
    return f"{printable(result.name)}: {summary}"


def run(args: argparse.Namespace) -> int:
    """Run ``libkurs sync --targets CONFIG`` with parsed *args*; return the worst exit status."""
    given = [f"--{name}" if name not in {"catalogue", "target"} else name.upper()
             for name in _PER_TARGET if getattr(args, name, None) is not None]  # fmt: skip
    if given:
        return _fail(args, f"--targets takes {', '.join(given)} from the targets file, not here")
    if args.jobs < 1:
        return _fail(args, f"--jobs must be at least 1, not {args.jobs}")
    # Imported here: the sync command adds this module's options, and a single sync (the
    # no-op a cron job runs every few minutes) has no use for the feeds layer.
    from libkurs.feeds import load_config, shard, targets

    try:
        config = load_config(args.targets)
        chosen = config.targets
        if args.shard is not None:
            match = _SHARD.fullmatch(args.shard)
            if match is None:
                return _fail(args, f"--shard must be K/N such as 1/4, not {args.shard!r}")
            chosen = shard(chosen, int(match[1]), int(match[2]))
        planned = targets(config, only=chosen)
    except (KursError, ValueError) as error:
        return _fail(args, printable(error))
    except OSError as error:
        return _fail(args, f"{printable(error.filename or args.targets)}: {error.strerror}")

    def show(result: TargetResult) -> None:
        if not args.json and not (args.quiet and _code(result) is ExitCode.IN_STEP):
            print(_line(result), flush=True)

    results = sync_many(
        planned, jobs=args.jobs, dry_run=args.dry_run, force=args.force, on_result=show
    )
    codes = [_code(result) for result in results]
    worst = max(codes, default=ExitCode.IN_STEP)
    if args.json:
        members: dict[str, object] = {}
        for result, code in zip(results, codes, strict=True):
            member: dict[str, object] = (
                {"error": printable(result.error)} if result.error is not None
                else dict(result.report.to_dict()) if result.report is not None else {}
            )  # fmt: skip
            member["exit_code"] = int(code)
            member["seconds"] = round(result.seconds, 3)
            if result.requests is not None:
                member["requests"] = result.requests
            members[result.name] = member
        report = {"targets": members, "exit_code": int(worst)}
        print(json.dumps(report, ensure_ascii=False, indent=2))
    return int(worst)
