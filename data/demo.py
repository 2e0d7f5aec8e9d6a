"""``kiss demo``: generate, load and (optionally) export the synthetic Brunssum data.

After the base data set, optional seeding steps of other bounded contexts run
when their modules exist: demo accounts, coordination (regie, case tables)
and experiments.
"""

from __future__ import annotations

import datetime as dt
import importlib
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import Engine

from data.export import export_csv
from data.generator import generate
from data.load import TABLE_LABELS, load
from households.db import session_scope

__all__ = ["run_demo", "optional_step"]


def optional_step(module: str, function: str) -> Callable | None:
    """``module.function`` if that module exists, else None.

    Only a missing ``module`` itself (or its package) is tolerated; any other
    import error inside an existing module is a bug and propagates.

    >>> optional_step("data.no_such_module", "seed") is None
    True
    """
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and (exc.name == module or module.startswith(exc.name + ".")):
            return None
        raise
    return getattr(mod, function, None)


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _print_logins(logins: list[tuple[str, str, str]]) -> None:
    print("Demo-accounts (alleen voor de demo; wijzig of verwijder ze in productie):")
    w_naam = max([len("gebruiker")] + [len(str(n)) for n, _, _ in logins])
    w_rol = max([len("rol")] + [len(str(r)) for _, r, _ in logins])
    print(f"  {'gebruiker':<{w_naam}}  {'rol':<{w_rol}}  wachtwoord")
    for naam, rol, wachtwoord in logins:
        print(f"  {naam:<{w_naam}}  {rol:<{w_rol}}  {wachtwoord}")


def _as_logins(value: object) -> list[tuple[str, str, str]] | None:
    """Rows ``(naam, rol, wachtwoord)`` when ``value`` is a list of logins, else None."""
    if not isinstance(value, list) or not value:
        return None
    rows = []
    for item in value:
        if all(hasattr(item, a) for a in ("naam", "rol", "wachtwoord")):
            rows.append((item.naam, item.rol, item.wachtwoord))
        elif isinstance(item, tuple) and len(item) == 3:
            rows.append(tuple(item))
        else:
            return None
    return rows


def seed_workflows(engine: Engine, seed: int) -> dict[str, object]:
    """Demo accounts, regie and case tables, experiments: what `kiss demo` adds after the data."""
    results: dict[str, object] = {}
    create_users = optional_step("households.accounts", "create_demo_users")
    if create_users is not None:
        print("Demo-accounts aanmaken ...")
        with session_scope(engine) as session:
            logins = create_users(session)
        results["accounts"] = len(logins or [])
        if logins:
            _print_logins(logins)
    steps = (
        ("coordination", "coordination.demo", "seed_coordination", "Regie en casustafels vullen"),
        ("experiments", "experiments.demo", "seed_experiments", "Experimenten vullen"),
    )
    for key, module, function, label in steps:
        step = optional_step(module, function)
        if step is None:
            continue
        print(f"{label} ...")
        with session_scope(engine) as session:
            outcome = step(session, seed)
        results[key] = outcome
        logins = _as_logins(outcome)
        if logins:
            _print_logins(logins)
        elif isinstance(outcome, dict):
            print("  " + ", ".join(f"{k} {v}" for k, v in outcome.items()))
        elif outcome:
            print(f"  {outcome}")
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
        written = export_csv(data, export_dir)
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
    return {
        "reference_date": day,
        "counts": counts,
        "seconds": seconds,
        "generate_s": t_gen,
        "load_s": t_load,
        "export": written,
        "optional": optional,
    }
