"""CBS stacking (DESIGN 4.2): only the CBS Participatiewet kinds count for the ISD domain."""

from __future__ import annotations

import pytest

from coordination.stacking import stacking_table
from tests.coordination.test_stacking import DAY, D, hh, person, prov


@pytest.mark.parametrize(
    ("isd_soort", "cbs"),
    [("bijstand", True), ("IOAW", True), ("loonkostensubsidie", True),
     ("minimaregelingen", False), ("bijzondere bijstand", False),
     ("individuele inkomenstoeslag", False), ("schuldhulpverlening", False)],
)  # fmt: skip
def test_cbs_stacking_counts_only_the_cbs_participatiewet(session, isd_soort, cbs):
    h = hh(session, f"CBS-{isd_soort}")
    p = person(session, h)
    prov(session, p, "WMO", D - 5 * DAY)
    prov(session, p, "ISD", D - 5 * DAY, soort=isd_soort)
    row = stacking_table(session, D).set_index("huishouden_id").loc[f"CBS-{isd_soort}"]
    assert bool(row["stacked"]) is True  # local: two domains, whatever the ISD kind
    assert bool(row["stacked_cbs"]) is cbs
    assert row["domains_cbs"] == ("ISD+WMO" if cbs else "WMO")
