"""Per-household stacking read back from the database (test helper, plain SQL)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import text
from sqlalchemy.engine import Engine


def db_stacking(engine: Engine, day: dt.date) -> pd.DataFrame:
    """huishouden_id -> n_provisions, n_domains, debt_outstanding_cent (from the tables)."""
    with engine.connect() as conn:
        hh = pd.DataFrame(conn.execute(text("SELECT id, huishouden_id FROM household")).all(),
                          columns=["id", "huishouden_id"])  # fmt: skip
        prov = pd.DataFrame(
            conn.execute(
                text(
                    "SELECT p.household_id, COUNT(*), COUNT(DISTINCT v.domein) "
                    "FROM provision v JOIN person p ON p.id = v.person_id "
                    "WHERE v.start <= :d AND (v.einde IS NULL OR v.einde >= :d) "
                    "GROUP BY p.household_id"
                ),
                {"d": day},
            ).all(),
            columns=["id", "n_provisions", "n_domains"],
        )
        debt = pd.DataFrame(
            conn.execute(
                text(
                    "SELECT p.household_id, SUM(s.openstaand_cent) "
                    "FROM debt s JOIN person p ON p.id = s.person_id "
                    "WHERE s.sinds <= :d AND s.openstaand_cent > 0 GROUP BY p.household_id"
                ),
                {"d": day},
            ).all(),
            columns=["id", "debt_outstanding_cent"],
        )
    out = hh.merge(prov, on="id", how="left").merge(debt, on="id", how="left").fillna(0)
    out = out.drop(columns="id").set_index("huishouden_id").sort_index()
    return out.astype("int64")
