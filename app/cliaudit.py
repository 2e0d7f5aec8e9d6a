"""``kiss audit seal | anchor | verify``: the audit chain from the command line.

``verify`` checks from the last anchor (``--volledig``: from the first row; ``--anker
FILE``: also against the last anchor kept in that file); ``anchor`` verifies, writes an
anchor and prints it (``--out FILE`` appends it to a file kept outside the database);
``seal`` seals the committed rows now (the app's sealer does this every second).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli_data import engine as _engine
from app.clibackup import restore_lines
from app.format import number
from households.errors import KissError

__all__ = ["cmd_audit", "cmd_db_roles"]


def cmd_audit(args: argparse.Namespace) -> int:
    from households import audit
    from households.audit.anchor import read_anchor_file
    from households.backup import restore_history
    from households.db import session_scope

    engine = _engine()
    if args.audit_command == "seal":
        print(f"{number(audit.seal(engine))} auditregels verzegeld.")
        return 0
    if args.audit_command == "anchor" and args.out:
        _check_target(args.out)  # before anything is written
    extern = read_anchor_file(args.anker) if getattr(args, "anker", None) else None
    anchor = None
    with session_scope(engine) as session:
        if args.audit_command == "anchor":
            report, anchor = audit.write_anchor(session)
        else:
            report = audit.verify_chain(session, volledig=args.volledig, extern=extern)
        restores = restore_history(session)
    if not report.ok:
        print(
            f"Audittrail GEBROKEN bij regel {report.first_bad_id}: {report.reason} "
            f"({report.rows} regels daarvoor in orde).",
            file=sys.stderr,
        )
        return 1
    start = f"vanaf anker op positie {report.vanaf}" if report.vanaf else "vanaf het begin"
    print(
        f"Audittrail intact: {report.rows} regels gecontroleerd ({start}; "
        f"{number(report.tot)} verzegeld, {number(report.onverzegeld)} nog niet)."
    )
    for line in restore_lines(restores):  # a restore puts the trail back in time
        print(line)
    if anchor is not None:
        print(anchor.line())
        if args.out:
            _append_line(args.out, anchor.line())
    return 0


def cmd_db_roles(args: argparse.Namespace) -> int:
    """``kiss db roles``: the application role may read and append the audit, no more."""
    from households.db import make_engine
    from households.dbroles import grant_app_role
    from households.settings import migration_url

    created = grant_app_role(make_engine(migration_url()), args.app_role)
    print(
        f"Applicatierol {args.app_role} {'aangemaakt en ' if created else ''}ingericht: "
        "lezen en schrijven van de gegevens; de audittabellen alleen lezen en aanvullen. "
        f"Zet KISS_DATABASE_URL op {args.app_role} en KISS_MIGRATION_URL op de eigenaar."
    )
    return 0


def _check_target(path: str) -> None:
    target = Path(path)
    if target.is_dir() or not target.parent.is_dir():
        raise KissError(
            f"Kan het anker niet schrijven naar {path}: geen bestand in een bestaande map."
        )


def _append_line(path: str, line: str) -> None:
    with Path(path).open("a", encoding="utf-8") as out:
        out.write(line + "\n")
