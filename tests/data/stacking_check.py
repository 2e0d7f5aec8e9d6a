"""Reference stacking per household computed straight from the generated frames (test helper)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from coordination.facts import CBS_PARTICIPATIEWET_KINDS
from data.generator import DemoData


def household_stacking(data: DemoData, day: dt.date | None = None) -> pd.DataFrame:
    """Per household: n_provisions, domains ('ISD+WMO'), domains_cbs, n_domains,
    debt_outstanding, stacked, complex."""
    d = pd.Timestamp(day or data.reference_date)
    hh_of = data.persons.set_index("bsn")["huishouden_id"]
    pv = data.provisions
    active = pv[(pv["start"] <= d) & (pv["einde"].isna() | (pv["einde"] >= d))].copy()
    active["hh"] = hh_of.reindex(active["bsn"]).to_numpy()
    out = pd.DataFrame(index=pd.Index(data.households["huishouden_id"], name="huishouden_id"))
    out["n_provisions"] = active.groupby("hh").size().reindex(out.index, fill_value=0)
    doms = active.groupby("hh")["domein"].agg(lambda s: "+".join(sorted(set(s))))
    out["domains"] = doms.reindex(out.index).fillna("").astype(str)
    out["n_domains"] = np.where(out["domains"] == "", 0, out["domains"].str.count(r"\+") + 1)
    cbs = active[(active["domein"] != "ISD") | active["soort"].isin(CBS_PARTICIPATIEWET_KINDS)]
    cdoms = cbs.groupby("hh")["domein"].agg(lambda s: "+".join(sorted(set(s))))
    out["domains_cbs"] = cdoms.reindex(out.index).fillna("").astype(str)
    db = data.debts
    open_ = db[(db["sinds"] <= d) & (db["openstaand"] > 0)].copy()
    open_["hh"] = hh_of.reindex(open_["bsn"]).to_numpy()
    out["debt_outstanding"] = open_.groupby("hh")["openstaand"].sum().reindex(out.index).fillna(0.0)
    has_debt = out["debt_outstanding"] > 0
    stacked = (out["n_domains"] >= 2) | ((out["n_domains"] >= 1) & has_debt)
    sg = data.signals
    safety = sg[
        sg["soort"].isin(["politie", "huiselijk_geweld"])
        & sg["gesloten_op"].isna()
        & (sg["gemeld_op"] <= d)
    ]
    hr = data.help_requests
    recent = hr[(hr["ontvangen_op"] <= d) & (hr["ontvangen_op"] > d - pd.Timedelta(days=365))]
    many = recent.groupby("huishouden_id").size().reindex(out.index, fill_value=0) >= 3
    jb = active[active["soort"] == "jeugdbescherming"]["hh"].unique()
    youth = out.index.isin(jb) & (out["n_domains"] >= 2)
    out["stacked"] = stacked
    # default rules: heavy stacking (3 domains, or 2 and a debt), safety, requests, youth
    heavy = (out["n_domains"] >= 3) | ((out["n_domains"] >= 2) & has_debt)
    out["complex"] = heavy | out.index.isin(safety["huishouden_id"]) | many | youth
    return out
