"""``kiss demo``: generate, load and (optionally) export the synthetic Brunssum data.

After the base data set, the other bounded contexts seed their demo workflows:
demo accounts, coordination (regie, case tables) and experiments.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine

from data.demo_coordination import SECOND_GBD, seed_coordination
from data.demo_experiments import seed_experiments
from data.demo_inflows import seed_wgs_follow_up
from data.demo_lawful import seed_lawful
from data.demo_loop import seed_loop
from data.demo_partner import seed_partners
from data.demo_plan import seed_plans
from data.demo_schuldhulp import seed_schuldhulp
from data.demo_steering import seed_steering
from data.demo_worklist import seed_worklist
from data.export import export_csv
from data.generator import generate
from data.load import TABLE_LABELS, load
from households.accounts import create_demo_users
from households.db import session_scope
from households.formatting import number
from households.models import User
from households.settings import demo_password
from households.synthetic import mark_synthetic

__all__ = ["run_demo", "seed_workflows"]

EXPORT_MESSAGES = 200  # Wmo and Jeugd provisions exported as iWmo/iJw messages (each)


_n = number  # counts in Dutch notation: 1.234


def _print_logins(logins: list[tuple[str, str, str]]) -> None:
    print("Demo-accounts (alleen voor de demo; wijzig of verwijder ze in productie):")
    w_naam = max([len("gebruiker")] + [len(str(n)) for n, _, _ in logins])
    w_rol = max([len("rol")] + [len(str(r)) for _, r, _ in logins])
    print(f"  {'gebruiker':<{w_naam}}  {'rol':<{w_rol}}  wachtwoord")
    for naam, rol, wachtwoord in logins:
        print(f"  {naam:<{w_naam}}  {rol:<{w_rol}}  {wachtwoord}")


def _account_names(engine: Engine) -> dict[str, str]:
    with session_scope(engine) as session:
        return {naam: rol for naam, rol in session.execute(select(User.naam, User.rol))}


def seed_workflows(engine: Engine, seed: int) -> dict[str, object]:
    """Demo accounts, regie and case tables, experiments: what `kiss demo` adds after the data.

    ``results["logins"]`` holds every demo login the app needs: the one-per-role
    accounts, the proeftuin staff, the second GBD-er for the four-eyes review and
    any other account a seeding step created (all with the demo password).
    """
    results: dict[str, object] = {}
    with session_scope(engine) as session:  # every screen says the data are synthetic
        mark_synthetic(session, seed)
    before = _account_names(engine)
    print("Demo-accounts aanmaken ...")
    with session_scope(engine) as session:
        logins = list(create_demo_users(session))
    results["accounts"] = len(logins)
    print("Regie en casustafels vullen ...")
    with session_scope(engine) as session:
        outcome = seed_coordination(session, seed)
    results["coordination"] = outcome
    with session_scope(engine) as session:
        results["wgs_offers"] = seed_wgs_follow_up(session, seed)
    print("  " + ", ".join(f"{k} {v}" for k, v in outcome.items()))
    with session_scope(engine) as session:  # partners as users: accounts, referrals, answers
        results["partners"] = seed_partners(session)
    print("  " + ", ".join(f"{k} {v}" for k, v in results["partners"].items()))
    print("Experimenten vullen ...")
    with session_scope(engine) as session:
        staff = seed_experiments(session, seed)
    results["experiments"] = len(staff)
    with session_scope(engine) as session:  # the household plans (data/demo_plan.py)
        results["plan"] = seed_plans(session, seed)
    logins += [(x.naam, x.rol, x.wachtwoord) for x in staff]
    print("De lus vullen (veiligheid, tegenspraak, vraagbaak, knelpunten) ...")
    with session_scope(engine) as session:
        results["loop"] = seed_loop(session, seed)
    print("  " + ", ".join(f"{k} {v}" for k, v in results["loop"].items()))
    with session_scope(engine) as session:  # after the loop's seeds: fills only what is missing
        results["worklist"] = seed_worklist(session)
    with session_scope(engine) as session:  # schuldhulp trajectories (data/demo_schuldhulp.py)
        results["schuldhulp"] = seed_schuldhulp(session, seed)
    with session_scope(engine) as session:  # KISS goals and budget use (data/demo_steering.py)
        results["steering"] = seed_steering(session, seed)
    with session_scope(engine) as session:  # consent and basis for what was seeded (last)
        results["lawful"] = seed_lawful(session)
    after = _account_names(engine)
    before.pop(SECOND_GBD, None)  # needed for the four-eyes review, however it came to be
    listed = {naam for naam, _, _ in logins}
    logins += [
        (naam, rol, demo_password())
        for naam, rol in sorted(after.items())
        if naam not in before and naam not in listed
    ]
    results["logins"] = logins
    return results


def run_demo(
    engine: Engine,
    households: int = 13_500,
    seed: int = 2024,
    export_dir: str | Path | None = None,
    reference_date: dt.date | None = None,
) -> dict[str, object]:
    """Generate the synthetic data set, load it, export it when asked, seed the rest.

    Prints progress lines (Dutch) and a summary; returns the summary as a dict
    (``counts`` per table, ``seconds``, ``export`` paths, ``optional`` results).
    """
    t0 = time.perf_counter()
    day = reference_date or dt.date.today()
    print(
        f"Synthetische gegevens maken: {_n(households)} huishoudens, seed {seed}, peildatum {day}"
    )
    data = generate(households, seed=seed, reference_date=day)
    t_gen = time.perf_counter() - t0
    print(f"  gemaakt in {t_gen:.1f} s")
    print("Laden in de database ...")
    counts = load(engine, data, progress=print)
    t_load = time.perf_counter() - t0 - t_gen
    print(f"  geladen in {t_load:.1f} s")
    written: list[Path] = []
    if export_dir:
        written = export_csv(data, export_dir, messages=EXPORT_MESSAGES, seed=seed)
        print(
            f"Uitwisselbestanden geschreven naar {export_dir}: "
            + ", ".join(p.name for p in written)
        )
    optional = seed_workflows(engine, seed)
    seconds = time.perf_counter() - t0
    print("Klaar. Samenvatting:")
    for table, label in TABLE_LABELS.items():
        print(f"  {label:<15} {_n(counts[table]):>12}")
    print(f"  totaal {seconds:.1f} s (maken {t_gen:.1f} s, laden {t_load:.1f} s)")
    _print_logins(optional["logins"])
    return {
        "reference_date": day,
        "counts": counts,
        "seconds": seconds,
        "generate_s": t_gen,
        "load_s": t_load,
        "export": written,
        "optional": optional,
    }
