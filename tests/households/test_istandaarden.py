"""iWmo/iJw messages (DESIGN 5.3): toewijzing, start and stop, refusals by element path,
all or nothing, idempotency."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from data.imessages import Line, message_xml
from households.actor import SYSTEM
from households.istandaarden import MessagesRejected, import_messages
from households.models import Provision
from tests.households.test_importing import BSN_A, BSN_B, count

D = dt.date
MARCH_1 = D(2026, 3, 1)
GEMEENTE, AGB = "0899", "98765432"


def msg(kind, lines, standard="iwmo", bsn=BSN_A, day=MARCH_1, **kw) -> bytes:
    return message_xml(standard, kind, gemeente=GEMEENTE, agb=AGB, bsn=bsn, lines=lines,
                       dagtekening=day, **kw)  # fmt: skip


def run(session, files, standard="iwmo"):
    result = import_messages(session, SYSTEM, standard, files)
    session.commit()
    return result


def rejected(session, files, standard="iwmo") -> list[tuple[str, str, str]]:
    with pytest.raises(MessagesRejected) as info:
        run(session, files, standard)
    return [(f.file, f.path, f.reason) for f in info.value.faults]


def test_allocation_start_and_stop_give_one_provision_with_the_right_dates(base):
    files = [
        ("a.xml", msg("301", [Line("1001", "02", D(2026, 3, 1), D(2026, 12, 31))])),
        ("b.xml", msg("305", [Line("1001", begindatum=D(2026, 3, 4))], day=D(2026, 3, 5))),
        ("c.xml", msg("307", [Line("1001", einddatum=D(2026, 6, 30), reden="02")],
                      day=D(2026, 7, 1))),
    ]  # fmt: skip
    result = run(base, list(reversed(files)))  # any order: applied 301, 305, 307
    assert (result.allocated, result.started, result.stopped) == (1, 1, 1)
    p = base.scalars(select(Provision)).one()
    assert (p.bron_id, p.domein, p.soort) == ("0899-1001", "WMO", "begeleiding")
    assert (p.start, p.toegewezen_op, p.zorg_gestart_op) == (D(2026, 3, 1), D(2026, 3, 1),
                                                             D(2026, 3, 4))  # fmt: skip
    assert (p.einde, p.zorg_gestopt_op, p.reden_beeindiging) == (D(2026, 6, 30), D(2026, 6, 30),
                                                                 "02")  # fmt: skip
    assert p.aanbieder == "AGB 98765432"
    # the same messages again change nothing
    again = run(base, files)
    assert (again.allocated, again.updated) == (0, 0)
    assert count(base, Provision) == 1
    assert base.scalars(select(Provision)).one().einde == D(2026, 6, 30)


def test_ijw_categories_map_to_jeugd(base):
    run(base, [("j.xml", msg("301", [Line("77", "48", D(2026, 1, 1))], standard="ijw",
                              bsn=BSN_B))], standard="ijw")  # fmt: skip
    p = base.scalars(select(Provision)).one()
    assert (p.domein, p.soort, p.einde) == ("JEUGD", "jeugdbescherming", None)


def test_a_stop_for_an_unknown_number_is_refused_with_its_path(base):
    faults = rejected(base, [("stop.xml", msg("307", [Line("5", einddatum=D(2026, 2, 1))]))])
    assert faults == [("stop.xml", "Client/StopProducten/StopProduct[1]/ToewijzingNummer",
                       "onbekend ToewijzingNummer (geen toewijzing 301 bekend)")]  # fmt: skip
    assert count(base, Provision) == 0


def test_wrong_namespace_or_berichtcode_is_refused(base):
    wrong_ns = msg("301", [Line("1", "01", D(2026, 1, 1))], namespace="urn:iets-anders")
    wrong_code = msg("301", [Line("2", "01", D(2026, 1, 1))], berichtcode="999")
    jw_as_wmo = msg("301", [Line("3", "45", D(2026, 1, 1))], standard="ijw")
    faults = rejected(base, [("ns.xml", wrong_ns), ("code.xml", wrong_code), ("jw.xml", jw_as_wmo)])
    assert ("code.xml", "Header/BerichtCode", "hoort 414 te zijn voor dit bericht") in faults
    assert {f[0] for f in faults if f[1] == "Bericht"} == {"ns.xml", "jw.xml"}


def test_every_fault_is_named_and_nothing_is_written(base):
    good = ("goed.xml", msg("301", [Line("10", "01", D(2026, 1, 1))]))
    bad = ("fout.xml", msg("301", [
        Line("11", "99", D(2026, 1, 1)),
        Line("12", "01", D(2026, 5, 1), D(2026, 4, 1)),
    ], bsn="100000009"))  # fmt: skip
    faults = rejected(base, [good, bad, ("kapot.xml", b"<Bericht><niet-af>")])
    paths = {(f, p) for f, p, _ in faults}
    assert ("fout.xml", "Client/Bsn") in paths  # unknown person; the BSN is never echoed
    assert (
        "fout.xml",
        "Client/ToegewezenProducten/ToegewezenProduct[1]/Product/Categorie",
    ) in paths
    assert ("fout.xml", "Client/ToegewezenProducten/ToegewezenProduct[2]/Einddatum") in paths
    assert ("kapot.xml", "/") in paths
    assert all("100000009" not in r for _, _, r in faults)
    assert count(base, Provision) == 0


def test_entities_are_not_resolved(base):
    evil = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b"<Bericht>&e;</Bericht>")  # fmt: skip
    faults = rejected(base, [("evil.xml", evil)])
    assert [f[1] for f in faults] == ["Bericht"]


def test_kiss_import_reads_a_whole_folder(db_url, tmp_path, capsys):
    from app.cli import main
    from tests.households.test_importing import HOUSEHOLDS, PERSONS

    (tmp_path / "h.csv").write_text(HOUSEHOLDS)
    (tmp_path / "p.csv").write_text(PERSONS)
    assert main(["import", "huishoudens", str(tmp_path / "h.csv")]) == 0
    assert main(["import", "personen", str(tmp_path / "p.csv")]) == 0
    folder = tmp_path / "berichten"
    folder.mkdir()
    for k in range(3):
        (folder / f"301-{k}.xml").write_bytes(msg("301", [Line(str(k), "01", D(2026, 1, 1))]))
    (folder / "305-0.xml").write_bytes(msg("305", [Line("0", begindatum=D(2026, 1, 2))]))
    assert main(["import", "iwmo", str(folder)]) == 0
    assert "4 berichten ingelezen: 3 nieuwe toewijzingen" in capsys.readouterr().out
    (folder / "307-9.xml").write_bytes(msg("307", [Line("9", einddatum=D(2026, 2, 1))]))
    assert main(["import", "iwmo", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "307-9.xml: Client/StopProducten/StopProduct[1]/ToewijzingNummer" in err
    assert "Traceback" not in err
