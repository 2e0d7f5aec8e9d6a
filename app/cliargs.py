"""Argument types and failure handling of the ``kiss`` command (DESIGN §6, finding 7).

Whatever the arguments, ``kiss`` ends with one Dutch line on stderr and exit code 2 for
anything a user or the installation can cause: a date outside 1900–2100, an ``--out`` to
a missing folder or onto a folder, a count below 1, no terminal for a password, a missing
key file, an unreachable or malformed database URL, a file that cannot be read or
written. A fault of the program itself is one line with exit code 1. Never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path

from households.errors import KissError

__all__ = [
    "EXIT_BAD_INPUT", "EXIT_FAULT", "FIRST_DATE", "LAST_DATE", "count", "date",
    "out_file", "run_command", "seconds",
]  # fmt: skip

EXIT_BAD_INPUT = 2
EXIT_FAULT = 1
FIRST_DATE, LAST_DATE = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
MAX_COUNT = 10_000_000


def date(value: str) -> dt.date:
    """A ``--date``: ``YYYY-MM-DD`` or ``DD-MM-YYYY`` between 1900 and 2100.

    >>> date("2026-03-01")
    datetime.date(2026, 3, 1)
    >>> date("0001-01-01")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: datum buiten 01-01-1900 t/m 31-12-2100
    """
    from households.cellparsers import parse_date

    try:
        day = parse_date(value)
    except KissError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if not FIRST_DATE <= day <= LAST_DATE:
        raise argparse.ArgumentTypeError(
            f"datum buiten {FIRST_DATE:%d-%m-%Y} t/m {LAST_DATE:%d-%m-%Y}"
        )
    return day


def count(value: str) -> int:
    """A number of things (households, users): a whole number from 1 to 10 million.

    >>> count("13500")
    13500
    >>> count("-1")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: geef een heel getal van 1 t/m 10000000 (niet -1)
    """
    try:
        n = int(value)
    except ValueError:
        n = 0
    if not 1 <= n <= MAX_COUNT:
        raise argparse.ArgumentTypeError(
            f"geef een heel getal van 1 t/m {MAX_COUNT} (niet {value})"
        )
    return n


def seconds(value: str) -> float:
    """A duration in seconds, more than 0 and at most a day."""
    try:
        s = float(value)
    except ValueError:
        s = -1.0
    if not 0 < s <= 86_400:
        raise argparse.ArgumentTypeError(
            f"geef een aantal seconden groter dan 0 en hoogstens 86400 (niet {value})"
        )
    return s


def out_file(value: str) -> str:
    """An ``--out`` file: not a folder, and its folder exists (checked before any work)."""
    path = Path(value)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{value} is een map; geef een bestandsnaam")
    if not path.parent.is_dir():
        raise argparse.ArgumentTypeError(f"de map {path.parent} bestaat niet")
    if path.exists() and not os.access(path, os.W_OK):
        raise argparse.ArgumentTypeError(f"{value} is niet beschrijfbaar")
    return value


_OS_NL = {
    "ENOENT": "bestaat niet", "EACCES": "geen toegang", "EPERM": "geen toegang",
    "EISDIR": "is een map", "ENOTDIR": "is geen map", "ENOSPC": "de schijf is vol",
    "EROFS": "alleen-lezen bestandssysteem", "EEXIST": "bestaat al",
}  # fmt: skip


def _os_message(exc: OSError) -> str:
    import errno

    reason = _OS_NL.get(errno.errorcode.get(exc.errno or 0, ""), "niet te lezen of te schrijven")
    where = exc.filename if exc.filename is not None else "bestand"
    return f"{where}: {reason}"


def _database_message() -> str:
    from households.db import redacted_url
    from households.settings import database_url

    shown = redacted_url(database_url())
    return f"de database {shown} is niet bereikbaar of de URL klopt niet (KISS_DATABASE_URL)"


def run_command(func: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run one ``kiss`` command; every failure becomes one line on stderr and an exit code."""
    from households.db import is_unreachable

    try:
        return func(args)
    except KissError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        print("Afgebroken.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `kiss report overview | head`: the reader is gone
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except EOFError:
        return _fail("geen invoer (geen terminal?): geef de waarde mee of gebruik een terminal.")
    except OSError as exc:
        return _fail(_os_message(exc))
    except Exception as exc:  # a fault of the program, still no traceback for the user
        if is_unreachable(exc):
            return _fail(_database_message())
        print(f"Fout: interne fout ({type(exc).__name__}); meld dit bij functioneel beheer.",
              file=sys.stderr)  # fmt: skip
        return EXIT_FAULT


def _fail(message: str) -> int:
    print(f"Fout: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT
