"""The ``kiss`` command: a thin layer over the same services the pages use.

Exit codes: 0 success, 2 bad input (one clear message, never a traceback).
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import re
import sys
from pathlib import Path
from typing import NoReturn

from app import cliargs
from app.cli_data import cmd_inzage, cmd_retention, import_messages
from app.cli_data import engine as _engine
from app.cliaudit import cmd_audit, cmd_db_roles
from app.clibackup import cmd_backup, cmd_restore
from households import settings
from households.errors import KissError

EXIT_BAD_INPUT = cliargs.EXIT_BAD_INPUT
_date = cliargs.date


def cmd_init(args: argparse.Namespace) -> int:
    from households.bsn import ensure_key_file
    from households.db import make_engine, redacted_url, upgrade_schema
    from households.settings import database_url, migration_url

    key = ensure_key_file()
    upgrade_schema(make_engine(migration_url()))  # as the schema owner (DESIGN 8.5)
    print(f"Schema bijgewerkt: {redacted_url(database_url())}")
    if key:
        print(f"Sleutel voor BSN-pseudonimisering: {key} (bewaar buiten de database)")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from data.demo import run_demo

    cmd_init(args)
    run_demo(_engine(), households=args.households, seed=args.seed, export_dir=args.export)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from households.actor import SYSTEM
    from households.db import session_scope
    from households.importing import end_progress_line, import_file

    if args.kind in ("iwmo", "ijw"):
        return import_messages(args.kind, args.file)
    if len(args.file) != 1:
        raise KissError(f"Geef één bestand voor {args.kind} (berichten: kiss import iwmo|ijw).")
    path = Path(args.file[0])
    if not path.is_file():
        raise KissError(f"Bestand niet gevonden: {path}")
    try:
        with session_scope(_engine()) as session:
            result = import_file(session, SYSTEM, args.kind, path, progress=True)
    finally:
        end_progress_line()
    print(result.summary())
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from households.actor import SYSTEM
    from households.db import session_scope

    date = args.date or dt.date.today()
    with session_scope(_engine()) as session:
        if args.report == "stacking":
            from coordination.stacking import stacking_csv

            text = stacking_csv(session, SYSTEM, date)
            if args.out:
                Path(args.out).write_text(text, encoding="utf-8")
                print(f"Stapelingsrapport geschreven naar {args.out}")
            else:
                sys.stdout.write(text)
        else:
            from coordination.overview import overview_csv, steering_overview

            if args.format == "csv":
                sys.stdout.write(overview_csv(session, SYSTEM, date))
            else:
                overview = steering_overview(session, SYSTEM, date)
                print(json.dumps(overview, indent=2, ensure_ascii=False, default=str))
    return 0


def cmd_user(args: argparse.Namespace) -> int:
    from households.accounts import create_user
    from households.actor import SYSTEM
    from households.db import session_scope

    def institution(session) -> int | None:  # --instelling: the code (INST-007) or the name
        from households.partner_accounts import institution_by_code

        return institution_by_code(session, args.instelling)

    if args.oidc_id:
        from households.identity import create_oidc_user

        with session_scope(_engine()) as session:
            inst = institution(session)
            create_oidc_user(session, SYSTEM, args.name, args.role, args.oidc_id, None, inst)
        print(f"Gebruiker {args.name} ({args.role}) aangemaakt; inloggen via de gemeente.")
        return 0
    password = settings.new_password()
    if password is None and not sys.stdin.isatty():
        raise KissError(
            "Geen terminal om het wachtwoord te vragen: voer het commando uit in een terminal, "
            "of zet KISS_NEW_PASSWORD (scripts)."
        )
    if password is None:
        password = getpass.getpass("Wachtwoord: ")
        again = getpass.getpass("Herhaal wachtwoord: ")
        if again != password:
            raise KissError("De wachtwoorden zijn niet gelijk.")
    with session_scope(_engine()) as session:
        create_user(session, SYSTEM, args.name, args.role, password, None, institution(session))
    print(f"Gebruiker {args.name} ({args.role}) aangemaakt.")
    return 0


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """Whether a server could listen on ``host:port`` now (bound and released at once).

    Bound the way the web server binds (``SO_REUSEADDR``): a port in TIME_WAIT
    counts as free, one that another program listens on does not.
    """
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def cmd_serve(args: argparse.Namespace) -> int:
    if not 1 <= args.port <= 65535:
        print(f"Fout: poort {args.port} bestaat niet; kies 1 t/m 65535.", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not port_is_free(args.port):
        print(
            f"Fout: poort {args.port} is al in gebruik; kies een andere met --port.",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    server_py = Path(__file__).with_name("server.py")  # app/main.py plus the cookie routes
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(server_py),
        "--server.address=127.0.0.1", f"--server.port={args.port}",
        "--server.headless=true", "--browser.gatherUsageStats=false",
        "--client.showErrorDetails=none", "--client.toolbarMode=minimal",
    ]  # fmt: skip
    print(f"KISS hub op http://127.0.0.1:{args.port}", flush=True)
    # Become the Streamlit server (no child left behind when this process is stopped).
    os.execv(sys.executable, cmd)
    return 0  # not reached


def cmd_bench(args: argparse.Namespace) -> int:
    # Lazy: only `kiss bench` needs the benchmark suite (it sits beside app, see DESIGN §3).
    from app.navigation import PAGES, PAGES_DIR
    from benchmarks.suite import run_bench

    scripts = [(PAGES_DIR / p.file, p.roles[0]) for p in PAGES if (PAGES_DIR / p.file).exists()]
    return run_bench(args, scripts)


_ARGPARSE_NL = (
    (re.compile(r"argument (\S+): invalid choice: (\S+) \(choose from (.*)\)"),
     r"\1: ongeldige keuze \2 (kies uit \3)"),
    (re.compile(r"argument (\S+): invalid (\w+) value: (\S+)"), r"\1: ongeldige waarde \3"),
    (re.compile(r"the following arguments are required: (.*)"), r"verplicht: \1"),
    (re.compile(r"unrecognized arguments: (.*)"), r"onbekende argumenten: \1"),
    (re.compile(r"argument (\S+): expected one argument"), r"\1: geef er een waarde bij"),
    (re.compile(r"argument (\S+): (.*)"), r"\1: \2"),  # our own (Dutch) type errors
)  # fmt: skip


class DutchArgumentParser(argparse.ArgumentParser):
    """argparse that reports a usage error in one Dutch line (exit code 2), not in English."""

    def error(self, message: str) -> NoReturn:
        for pattern, dutch in _ARGPARSE_NL:
            if pattern.search(message):
                message = pattern.sub(dutch, message)
                break
        print(f"Fout: {self.prog}: {message}. Zie '{self.prog} --help'.", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``kiss`` command."""
    p = DutchArgumentParser(prog="kiss", description="KISS hub (gemeente Brunssum)")
    sub = p.add_subparsers(dest="command", required=True, parser_class=DutchArgumentParser)

    s = sub.add_parser("init", help="schema aanmaken of bijwerken (Alembic)")
    s.set_defaults(func=cmd_init)

    s = sub.add_parser("demo", help="synthetische Brunssum-gegevens maken")
    s.add_argument("--households", type=cliargs.count, default=13_500)
    s.add_argument("--seed", type=int, default=2024)
    s.add_argument("--export", metavar="DIR")
    s.set_defaults(func=cmd_demo)

    s = sub.add_parser("serve", help="de app starten op 127.0.0.1")
    s.add_argument("--port", type=int, default=8501)
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser("import", help="een bestand in uitwisselformaat v1 importeren")
    from households.importkinds import KINDS  # the file kinds of DESIGN 5.1 and 5.2

    s.add_argument("kind", choices=[*KINDS, "iwmo", "ijw"])
    s.add_argument("file", nargs="+", help="bestand (CSV), of berichten/mappen (iwmo, ijw)")
    s.set_defaults(func=cmd_import)

    s = sub.add_parser("report", help="rapportages")
    rsub = s.add_subparsers(dest="report", required=True)
    r = rsub.add_parser("stacking", help="één CSV-regel per huishouden")
    r.add_argument("--date", type=_date)
    r.add_argument("--out", type=cliargs.out_file)
    r.set_defaults(func=cmd_report)
    r = rsub.add_parser("overview", help="stuurinformatie (geaggregeerd, onderdrukt)")
    r.add_argument("--date", type=_date)
    r.add_argument("--format", choices=["json", "csv"], default="json")
    r.set_defaults(func=cmd_report)

    s = sub.add_parser("user", help="gebruikers beheren")
    usub = s.add_subparsers(dest="user_command", required=True)
    u = usub.add_parser("add", help="gebruiker toevoegen (vraagt om een wachtwoord)")
    u.add_argument("name")
    u.add_argument("--role", required=True)
    u.add_argument(
        "--oidc-id",
        metavar="CLAIM",
        help="inloggen via de gemeente: de waarde van de claim (bijv. e-mailadres); "
        "zonder wachtwoord",
    )
    u.add_argument(
        "--instelling",
        metavar="INSTELLING",
        help="verplicht bij --role partner: de instelling (code zoals INST-007, of de naam)",
    )
    u.set_defaults(func=cmd_user)

    s = sub.add_parser("audit", help="audittrail")
    asub = s.add_subparsers(dest="audit_command", required=True)
    a = asub.add_parser("verify", help="de hashketen controleren (vanaf het laatste anker)")
    a.add_argument("--volledig", action="store_true", help="vanaf de eerste regel controleren")
    a.add_argument("--anker", metavar="FILE", help="ook tegen het laatste anker in dit bestand")
    a.set_defaults(func=cmd_audit)
    a = asub.add_parser("anchor", help="controleren en de kop van de keten vastleggen (anker)")
    a.add_argument("--out", metavar="FILE", type=cliargs.out_file,
                   help="het anker ook aan dit bestand toevoegen")  # fmt: skip
    a.set_defaults(func=cmd_audit)
    a = asub.add_parser("seal", help="nieuwe auditregels nu in de keten opnemen")
    a.set_defaults(func=cmd_audit)

    s = sub.add_parser("db", help="database: rechten (PostgreSQL)")
    dsub = s.add_subparsers(dest="db_command", required=True)
    d = dsub.add_parser("roles", help="de applicatierol inrichten (als eigenaar van het schema)")
    d.add_argument("--app-role", default="kiss_app", help="naam van de applicatierol")
    d.set_defaults(func=cmd_db_roles)

    s = sub.add_parser(
        "inzage", help="inzage: wat er over een persoon is vastgelegd en wie het zag"
    )
    s.add_argument("--bsn", required=True, help="het BSN (of - om het van stdin te lezen)")
    s.add_argument("--out", metavar="FILE", type=cliargs.out_file,
                   help="naar een bestand in plaats van het scherm")  # fmt: skip
    s.set_defaults(func=cmd_inzage)

    s = sub.add_parser("retention", help="bewaartermijnen (AVG): verlopen gegevens")
    rsub2 = s.add_subparsers(dest="retention_command", required=True)
    r = rsub2.add_parser("run", help="laat zien (en met --apply: verwijder) wat verlopen is")
    r.add_argument("--apply", action="store_true", help="de verlopen gegevens verwijderen")
    r.add_argument("--date", type=_date, help="peildatum (standaard vandaag)")
    r.set_defaults(func=cmd_retention)

    s = sub.add_parser("backup", help="versleutelde back-up terwijl de app draait")
    s.add_argument("--out", metavar="FILE", type=cliargs.out_file,
                   help="bestand (standaard kiss-backup-<tijd>.kissbak)")  # fmt: skip
    s.set_defaults(func=cmd_backup)

    s = sub.add_parser("restore", help="een back-up terugzetten in een lege database")
    s.add_argument("file")
    s.set_defaults(func=cmd_restore)

    s = sub.add_parser("bench", help="benchmarks (JSON)")
    s.add_argument("--households", type=cliargs.count, nargs="+", default=[13_500])
    s.add_argument("--database", action="append", help="database-URL (herhaalbaar)")
    s.add_argument("--no-readme", action="store_true", help="README-tabel niet bijwerken")
    s.add_argument("--users", type=cliargs.count, nargs="+",
                   help="gelijktijdige gebruikers (meergebruikerslast), bijv. 10 50")  # fmt: skip
    s.add_argument("--browsers", type=cliargs.count, nargs="+",
                   help="gelijktijdige browsersessies op één server (Chromium), bijv. 1 5")
    s.add_argument("--seconds", type=cliargs.seconds, default=60,
                   help="duur van de last in seconden")  # fmt: skip
    s.add_argument("--processes", type=cliargs.count, default=1,
                   help="de gebruikers verdeeld over zoveel processen (zoals 2+ app-processen)")
    s.set_defaults(func=cmd_bench)
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``kiss``; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed a one-line usage error
        return int(exc.code or 0) and EXIT_BAD_INPUT
    from app.bootstrap import bootstrap  # lazily, like every command: `kiss --help` stays fast

    bootstrap()
    return cliargs.run_command(args.func, args)


if __name__ == "__main__":
    sys.exit(main())
