"""The ``kiss`` commands about a municipality's data: iWmo/iJw messages, inzage, retention.

Each imports its domain code lazily (``kiss --help`` stays fast); errors are
:class:`~households.errors.KissError` and become one Dutch line with exit code 2 in
:func:`app.cli.main`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from households.errors import KissError

__all__ = ["cmd_inzage", "cmd_retention", "engine", "import_messages"]


def engine():
    """The engine of every ``kiss`` command (``KISS_DATABASE_URL``)."""
    from households.db import make_engine

    return make_engine()


def import_messages(standard: str, names: list[str]) -> int:
    """``kiss import iwmo|ijw FILE|FOLDER ...``: every message in one all-or-nothing run."""
    from households.actor import SYSTEM
    from households.db import session_scope
    from households.istandaarden import import_messages

    paths: list[Path] = []
    for name in names:
        path = Path(name)
        if path.is_dir():
            paths.extend(sorted(p for p in path.iterdir() if p.suffix.lower() == ".xml"))
        elif path.is_file():
            paths.append(path)
        else:
            raise KissError(f"Bestand of map niet gevonden: {path}")
    if not paths:
        raise KissError("Geen berichten (.xml) gevonden.")
    total = len(paths)

    def files():
        for k, path in enumerate(paths, start=1):
            if total > 500 and k % 500 == 0:
                print(f"\r{k} van {total} berichten gelezen", end="", file=sys.stderr)
            yield path.name, path.read_bytes()

    with session_scope(engine()) as session:
        result = import_messages(session, SYSTEM, standard, files())
    if total > 500:
        print(file=sys.stderr)
    print(result.summary())
    return 0


def cmd_inzage(args: argparse.Namespace) -> int:
    """``kiss inzage --bsn BSN``: what is held about a person and who accessed it (AVG art. 15)."""
    from experiments.inzage import subject_access
    from households.actor import SYSTEM
    from households.db import session_scope

    bsn = args.bsn if args.bsn != "-" else sys.stdin.readline().strip()
    with session_scope(engine()) as session:
        report = subject_access(session, SYSTEM, bsn)
    lines = [f"Inzage — huishouden {report.huishouden}", "", "Gegevens:"]
    for h in report.gegevens:
        period = " t/m ".join(f"{d:%d-%m-%Y}" for d in (h.sinds, h.tot) if d is not None)
        lines.append(f"- [{h.categorie}] {h.omschrijving}" + (f" ({period})" if period else ""))
    lines += ["", f"Toegang ({len(report.toegang)} keer):"]
    lines += [
        f"- {a.tijdstip:%d-%m-%Y %H:%M} {a.gebruiker} ({a.rol}): {a.actie} — {a.doel}"
        + ("" if a.resultaat == "ok" else f" [{a.resultaat}]")
        for a in report.toegang
    ]
    text = "\n".join(lines) + "\n"
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"Inzage geschreven naar {args.out} ({len(report.gegevens)} gegevens, "
              f"{len(report.toegang)} keer toegang).")  # fmt: skip
    else:
        print(text, end="")
    return 0


def cmd_retention(args: argparse.Namespace) -> int:
    """``kiss retention run [--apply] [--date D]``: facts past their retention period."""
    from experiments.retention import retention_run
    from households.actor import SYSTEM
    from households.db import session_scope

    today = args.date  # checked by the argument parser (app.cliargs.date)
    with session_scope(engine()) as session:
        run = retention_run(session, SYSTEM, today=today, apply=args.apply)
    counts = run.per_category()
    verb = "verwijderd" if args.apply else "over de bewaartermijn (nog niet verwijderd)"
    print(f"Peildatum {run.today:%d-%m-%Y}: {len(run.due)} gegevens {verb}.")
    for categorie, n in counts.items():
        print(f"  {categorie:<18} {n:>8}")
    if run.due and not args.apply:
        print("Verwijder ze met: kiss retention run --apply")
    return 0
