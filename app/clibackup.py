"""``kiss backup`` and ``kiss restore`` (and the restore lines of ``kiss audit verify``).

Thin, like the rest of the CLI: the work is in :mod:`households.backup`.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from app.cli_data import engine as _engine
from households.formatting import date, number

__all__ = ["cmd_backup", "cmd_restore", "restore_lines"]


def _rows(n: int, noun: str) -> str:
    return f"{number(n)} {noun if n == 1 else noun + 's'}"


def cmd_backup(args: argparse.Namespace) -> int:
    from households.backup import create_backup, default_backup_name
    from households.backupfile import ensure_backup_key

    created = ensure_backup_key()
    if created:
        print(
            f"Back-upsleutel aangemaakt: {created}. Bewaar een kopie buiten deze machine, "
            "apart van de back-ups en van de sleutel van de BSN-pseudonimisering."
        )
    result = create_backup(_engine(), Path(args.out or default_backup_name()))
    rows = result.manifest["rijen"]
    print(
        f"Back-up geschreven naar {result.path}: {number(rows.get('household', 0))} "
        f"huishoudens, {_rows(result.manifest['audit']['regels'], 'auditregel')}, "
        f"{number(result.size / 1e6, 1)} MB in {number(result.seconds, 1)} s (versleuteld)."
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from households.backup import restore_backup
    from households.db import make_engine
    from households.settings import migration_url

    # the schema is recreated: as its owner (KISS_MIGRATION_URL; default the app's URL)
    result = restore_backup(make_engine(migration_url()), Path(args.file))
    m = result.manifest
    if result.migrated_from:
        print(f"Schema bijgewerkt van {result.migrated_from} naar de huidige versie.")
    print(
        f"Hersteld uit {args.file} (gemaakt op {m['gemaakt_op']} UTC): "
        f"{number(m['rijen'].get('household', 0))} huishoudens; aantallen en audittrail "
        f"({_rows(m['audit']['regels'], 'regel')}) kloppen met het manifest; "
        f"{number(result.seconds, 1)} s."
    )
    return 0


def restore_lines(restores: list[dict[str, Any]]) -> list[str]:
    """One line per restore in the trail: when, from which backup, how many rows came with it.

    >>> restore_lines([{"hersteld_op": dt.datetime(2026, 11, 26, 15, 0),
    ...                 "gemaakt_op": "2026-11-25T02:15:00", "audit_regels": 1200}])[0][:60]
    'Hersteld op 26-11-2026 15:00 uit een back-up van 25-11-2026 '
    """
    lines = []
    for r in restores:
        made = dt.datetime.fromisoformat(r["gemaakt_op"])
        lines.append(
            f"Hersteld op {date(r['hersteld_op'].date())} {r['hersteld_op']:%H:%M} uit een "
            f"back-up van {date(made.date())} {made:%H:%M} (UTC): de "
            f"{r['audit_regels']} regels daarvoor komen uit die back-up; wat daarna in de "
            "oude database gebeurde, staat er niet in."
        )
    return lines
