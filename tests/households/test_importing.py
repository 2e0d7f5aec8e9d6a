"""Interchange format v1 import: accepted variants, every rejection, all-or-nothing, upsert."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from households.actor import SYSTEM, Actor
from households.bsn import hash_bsn
from households.errors import AccessDenied, InvalidInput
from households.importing import ImportRejected, RowError, import_file, import_stream
from households.models import AuditEvent, Debt, Household, Institution, Person, Provision

BSN_A, BSN_B, BSN_C = "111222333", "123456782", "100000009"

HOUSEHOLDS = (
    "huishouden_id;wijk;buurt;postcode;huisnummer\nH1;Centrum;Kern;6441AB;12\nH2;Noord;;;\n"
)
PERSONS = (
    "bsn,huishouden_id,geboortejaar,rol,naam\n"
    f"{BSN_A},H1,1980,hoofdbewoner,Jan Jansen\n"
    f"{BSN_B},H2,1985,partner,Els de Vries\n"
)
INSTITUTIONS = "instelling_id,naam,type,contractvorm,essentieel\nI1,Zorggroep Brunssum,zorg,,ja\n"
PROV_HEAD = "bron_id;bsn;domein;soort;start;einde;aanbieder;maatwerk;kosten_per_maand\n"
PROVISIONS = (
    PROV_HEAD
    + f"V1;{BSN_A};WMO;huishoudelijke hulp;2024-01-01;;Zorggroep Brunssum;ja;120,00\n"
    + f"V2;{BSN_B};ISD;bijzondere bijstand;01-02-2024;31-12-2024;;nee;\n"
)


def load(session, kind: str, text: str, name: str = "bestand.csv", actor: Actor = SYSTEM):
    """Import ``text`` and commit, like the CLI does."""
    result = import_stream(session, actor, kind, text.encode("utf-8"), name)
    session.commit()
    return result


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def rejection(session, kind: str, text: str) -> ImportRejected:
    with pytest.raises(ImportRejected) as info:
        load(session, kind, text)
    return info.value


# --- accepted variants --------------------------------------------------------------------


def test_households_semicolon_bom_headers_and_whitespace(session):
    text = "\ufeff Huishouden_ID ; WIJK ;Postcode\n  H9 ;  Oost ; 6441 ab \n"
    result = load(session, "huishoudens", text)
    assert (result.rows, result.inserted) == (1, 1)
    hh = session.scalars(select(Household)).one()
    assert (hh.huishouden_id, hh.wijk, hh.postcode, hh.buurt, hh.straat) == (
        "H9", "Oost", "6441AB", None, None
    )  # fmt: skip


def test_persons_comma_codes_case_insensitive_and_bsn_only_hashed(session):
    load(session, "huishoudens", HOUSEHOLDS)
    text = f"BSN,huishouden_id,geboortejaar,ROL,naam\n{BSN_A},H1,1980,HoofdBewoner,Jan Jansen\n"
    result = load(session, "personen", text)
    assert result.inserted == 1
    p = session.scalars(select(Person)).one()
    assert p.bsn_hash == hash_bsn(BSN_A)
    assert (p.rol, p.geboortejaar, p.naam, p.naam_zoek) == (
        "hoofdbewoner", 1980, "Jan Jansen", "jansen jan"
    )  # fmt: skip
    assert BSN_A not in repr([getattr(p, c) for c in ("bsn_hash", "naam", "naam_zoek")])


def test_eight_digit_bsn_is_padded(session):
    load(session, "huishoudens", HOUSEHOLDS)
    load(session, "personen", "bsn,huishouden_id,geboortejaar,rol\n12345672,H1,1990,kind\n")
    assert session.scalar(select(Person.bsn_hash)) == hash_bsn("012345672")


def test_provisions_dates_amounts_codes_and_aanbieder(base):
    text = (
        "bron_id,bsn,domein,soort,start,einde,aanbieder,maatwerk,kosten_per_maand\n"
        f'V1,{BSN_A},wmo,hulp,2024-01-01,,zorggroep brunssum,JA,"1.234,56"\n'
        f'V2,{BSN_A},Jeugd,jeugdbescherming,01-02-2024,01-02-2025,,Nee,"1234,56"\n'
        f"V3,{BSN_B},ISD,bijstand,2024-03-01,2024-03-01,,,1234.56\n"
    )
    result = load(base, "voorzieningen", text)
    assert (result.rows, result.inserted, result.warnings) == (3, 3, [])
    rows = base.execute(
        select(
            Provision.bron_id, Provision.domein, Provision.start, Provision.einde,
            Provision.maatwerk, Provision.kosten_per_maand_cent, Provision.institution_id,
            Provision.aanbieder,
        ).order_by(Provision.bron_id)
    ).all()  # fmt: skip
    inst = base.scalar(select(Institution.id))
    assert [tuple(r) for r in rows] == [
        ("V1", "WMO", dt.date(2024, 1, 1), None, True, 123456, inst, "zorggroep brunssum"),
        ("V2", "JEUGD", dt.date(2024, 2, 1), dt.date(2025, 2, 1), False, 123456, None, None),
        ("V3", "ISD", dt.date(2024, 3, 1), dt.date(2024, 3, 1), None, 123456, None, None),
    ]


def test_unknown_aanbieder_is_kept_with_a_warning(base):
    text = PROV_HEAD + f"V1;{BSN_A};WMO;hulp;2024-01-01;;Thuiszorg Onbekend;;\n"
    result = load(base, "voorzieningen", text)
    assert result.inserted == 1
    assert len(result.warnings) == 1
    assert "Thuiszorg Onbekend" in result.warnings[0] and "regel 2" in result.warnings[0]
    row = base.execute(select(Provision.aanbieder, Provision.institution_id)).one()
    assert tuple(row) == ("Thuiszorg Onbekend", None)
    assert "1 waarschuwing" in result.summary()


def test_debts_and_institutions(base):
    text = (
        "bron_id;bsn;schuldeiser;hoofdsom;openstaand;sinds;in_regeling\n"
        f"S1;{BSN_A};ISD BOL terugvordering;1.500,00;750,5;15-06-2023;ja\n"
    )
    load(base, "schulden", text)
    d = base.scalars(select(Debt)).one()
    assert (d.schuldeiser, d.hoofdsom_cent, d.openstaand_cent, d.sinds, d.in_regeling) == (
        "ISD BOL terugvordering", 150000, 75050, dt.date(2023, 6, 15), True
    )  # fmt: skip
    inst = base.scalars(select(Institution)).one()
    assert (inst.instelling_id, inst.naam, inst.type, inst.contractvorm, inst.essentieel) == (
        "I1", "Zorggroep Brunssum", "zorg", None, True
    )  # fmt: skip


def test_blank_lines_are_skipped_but_line_numbers_stay_physical(base):
    text = PROV_HEAD + f"\nV1;{BSN_A};WMO;hulp;2024-01-01;;;;\n\nV2;{BSN_A};WMO;hulp;gisteren;;;;\n"
    exc = rejection(base, "voorzieningen", text)
    assert [(e.line, e.column) for e in exc.errors] == [(5, "start")]


def test_trailing_empty_fields_are_accepted(session):
    result = load(session, "huishoudens", "huishouden_id;wijk\nH1;Noord;\n")
    assert result.inserted == 1


# --- rejections ---------------------------------------------------------------------------

PROV_ROW = f"V1;{BSN_A};WMO;hulp;2024-01-01;;;;10\n"
P1 = PROV_HEAD + PROV_ROW  # one good row first


@pytest.mark.parametrize(
    "kind, text, line, column, reason",
    [
        ("voorzieningen", "bron_id;bsn;domein;start\n", 1, "soort", "verplichte kolom ontbreekt"),
        ("voorzieningen", PROV_HEAD + "V1;111222334;WMO;hulp;2024-01-01;;;;\n", 2, "bsn",
         "ongeldig BSN (voldoet niet aan de elfproef)"),
        ("voorzieningen", PROV_HEAD + f"V1;{BSN_C};WMO;hulp;2024-01-01;;;;\n", 2, "bsn",
         "onbekende BSN (persoon niet geïmporteerd)"),
        ("voorzieningen", P1 + f"V2;{BSN_A};WMV;hulp;2024-01-01;;;;\n", 3, "domein",
         "onbekende code (verwacht WMO, JEUGD, ISD)"),
        ("voorzieningen", P1 + f"V2;{BSN_A};WMO;hulp;2024-13-01;;;;\n", 3, "start",
         "ongeldige datum (bestaat niet)"),
        ("voorzieningen", P1 + f"V2;{BSN_A};WMO;hulp;2024-02-01;31-01-2024;;;\n", 3,
         "einde", "einde ligt voor start"),
        ("voorzieningen", P1 + f"V2;{BSN_A};WMO;hulp;2024-02-01;;;;-10\n", 3,
         "kosten_per_maand", "negatief bedrag is niet toegestaan"),
        ("voorzieningen", P1 + f"V2;{BSN_A};WMO;hulp;2024-02-01;;;;1.234\n", 3,
         "kosten_per_maand", "ongeldig bedrag: meer dan 2 decimalen"),
        ("voorzieningen", P1 + f"V2;{BSN_A};WMO;hulp;2024-02-01;;;misschien;\n", 3,
         "maatwerk", "ongeldige waarde (verwacht ja, nee of leeg)"),
        ("voorzieningen", P1 + f"V2;{BSN_A};WMO;;2024-02-01;;;;\n", 3, "soort",
         "verplicht veld is leeg"),
        ("voorzieningen", P1 + PROV_ROW, 3, "bron_id",
         "dubbele bron_id: staat ook op regel 2"),
        ("voorzieningen", P1 + f"V2;{BSN_A};WMO\n", 3, "soort",
         "ontbreekt (regel heeft 3 van 9 velden)"),
        ("voorzieningen", P1 + f"V2;{BSN_A};WMO;hulp;2024-02-01;;;;;extra\n", 3, "-",
         "te veel velden (10, verwacht 9)"),
        ("personen", f"bsn;huishouden_id;geboortejaar;rol\n{BSN_C};H7;1980;kind\n", 2,
         "huishouden_id", "onbekend huishouden_id (huishouden niet geïmporteerd)"),
        ("personen", f"bsn;huishouden_id;geboortejaar;rol\n{BSN_C};H1;1980;opa\n", 2, "rol",
         "onbekende code (verwacht hoofdbewoner, partner, kind, overig)"),
        ("personen", f"bsn;huishouden_id;geboortejaar;rol\n{BSN_C};H1;80;kind\n", 2,
         "geboortejaar", "ongeldig geboortejaar (verwacht vier cijfers, bijv. 1984)"),
        ("personen", f"bsn;huishouden_id;geboortejaar;rol\n{BSN_C};H1;1980;kind\n"
         f"{BSN_C};H2;1981;kind\n", 3, "bsn", "dubbele BSN: staat ook op regel 2"),
        ("schulden", "bron_id;bsn;schuldeiser;hoofdsom;openstaand;sinds\n"
         f"S1;{BSN_A};ISD;100;-1;2024-01-01\n", 2, "openstaand",
         "negatief bedrag is niet toegestaan"),
        ("schulden", "bron_id;bsn;schuldeiser;hoofdsom;openstaand;sinds\n"
         f"S1;{BSN_C};ISD;100;1;2024-01-01\n", 2, "bsn",
         "onbekende BSN (persoon niet geïmporteerd)"),
        ("huishoudens", "huishouden_id;wijk;postcode\nH5;Noord;64410\n", 2, "postcode",
         "ongeldige postcode (verwacht bijv. 6441AB)"),
        ("huishoudens", "huishouden_id;wijk\nH5;Narnia\n", 2, "wijk",
         "onbekende wijk (verwacht Noord, Oost, Zuid, West, Centrum)"),
        ("instellingen", "instelling_id;naam;type;type\nI9;X;zorg;zorg\n", 1, "type",
         "kolom komt twee keer voor"),
    ],
)  # fmt: skip
def test_each_rejection_names_line_column_and_reason(base, kind, text, line, column, reason):
    exc = rejection(base, kind, text)
    assert exc.errors == [RowError(line, column, reason)]
    assert f"regel {line}, kolom {column}: {reason}" in str(exc).splitlines()


def test_rejection_message_lists_every_bad_row_after_a_summary(base):
    text = P1 + f"V2;{BSN_A};XXX;hulp;2024-01-01;;;;\nV3;{BSN_A};WMO;hulp;x;;;;\n"
    lines = str(rejection(base, "voorzieningen", text)).splitlines()
    assert lines[0].startswith("Import van voorzieningen (bestand.csv) geweigerd: 2 fouten in 2")
    assert "niets geïmporteerd" in lines[0]
    assert lines[1:] == [
        "regel 3, kolom domein: onbekende code (verwacht WMO, JEUGD, ISD)",
        "regel 4, kolom start: ongeldige datum (verwacht JJJJ-MM-DD of DD-MM-JJJJ)",
    ]


def test_one_bad_row_writes_nothing(base):
    before = (count(base, Provision), count(base, Person), count(base, Household))
    text = PROVISIONS + f"V3;{BSN_A};WMO;hulp;2024-05-01;2024-04-01;;;\n"
    exc = rejection(base, "voorzieningen", text)
    assert [(e.line, e.column) for e in exc.errors] == [(4, "einde")]
    assert (count(base, Provision), count(base, Person), count(base, Household)) == before
    audit = base.execute(
        select(AuditEvent.actie, AuditEvent.object_type, AuditEvent.resultaat)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).one()
    assert tuple(audit) == ("import", "voorzieningen", "geweigerd")


@pytest.mark.parametrize(
    "data, reason",
    [(b"", "het bestand is leeg"), (b"huishouden_id;wijk\nH1;Caf\xe9\n", "geen geldige UTF-8")],
)
def test_empty_or_undecodable_file_is_rejected(session, data, reason):
    with pytest.raises(ImportRejected) as info:
        import_stream(session, SYSTEM, "huishoudens", data, "x.csv")
    assert reason in info.value.errors[0].reason
    assert count(session, Household) == 0


def test_unknown_kind(session):
    with pytest.raises(InvalidInput, match="Onbekend soort bestand"):
        import_stream(session, SYSTEM, "auto's", b"a\n", "x.csv")


def test_no_bsn_in_any_message_or_audit_row(base):
    text = (
        PROV_HEAD
        + f"V1;{BSN_C};WMO;hulp;2024-01-01;;;;\n"  # unknown person
        + f"V2;{BSN_A};WMO;hulp;2024-01-01;;{BSN_B};;\n"  # a BSN as provider name
        + "V3;111222334;WMO;hulp;2024-01-01;;;;\n"  # fails the elfproef
        + f"V4;{BSN_A};{BSN_B};hulp;{BSN_B};;;;{BSN_B}\n"  # BSNs in the wrong columns
    )
    message = str(rejection(base, "voorzieningen", text))
    ok = load(base, "voorzieningen", PROV_HEAD + f"V2;{BSN_A};WMO;hulp;2024-01-01;;{BSN_B};;\n")
    texts = [message, ok.summary(), *ok.warnings]
    texts += [" ".join(map(str, r)) for r in base.execute(select(AuditEvent.__table__)).all()]
    for bsn in (BSN_A, BSN_B, BSN_C, "111222334"):
        assert not any(bsn in t for t in texts)


# --- upsert -------------------------------------------------------------------------------


def table_contents(session):
    return {
        m.__tablename__: sorted(tuple(r) for r in session.execute(select(m.__table__)).all())
        for m in (Household, Person, Institution, Provision, Debt)
    }


def test_importing_the_same_files_twice_changes_nothing(base):
    load(base, "voorzieningen", PROVISIONS)
    before = table_contents(base)
    for kind, text in [
        ("huishoudens", HOUSEHOLDS), ("personen", PERSONS), ("instellingen", INSTITUTIONS),
        ("voorzieningen", PROVISIONS),
    ]:  # fmt: skip
        result = load(base, kind, text)
        assert (result.inserted, result.updated, result.unchanged) == (0, 0, result.rows)
    assert table_contents(base) == before


def test_changed_value_is_updated_and_new_key_inserted(base):
    load(base, "voorzieningen", PROVISIONS)
    changed = PROVISIONS.replace("120,00", "135,50") + f"V3;{BSN_B};JEUGD;hulp;2024-04-01;;;;\n"
    result = load(base, "voorzieningen", changed)
    assert (result.rows, result.inserted, result.updated, result.unchanged) == (3, 1, 1, 1)
    assert base.scalar(
        select(Provision.kosten_per_maand_cent).where(Provision.bron_id == "V1")
    ) == (13550)
    assert "3 regels geïmporteerd; 1 nieuw, 1 bijgewerkt, 1 ongewijzigd" in result.summary()


def test_person_moves_household(base):
    moved = PERSONS.replace(f"{BSN_B},H2", f"{BSN_B},H1")
    result = load(base, "personen", moved)
    assert (result.updated, result.unchanged) == (1, 1)
    h1 = base.scalar(select(Household.id).where(Household.huishouden_id == "H1"))
    person = base.scalars(select(Person).where(Person.bsn_hash == hash_bsn(BSN_B))).one()
    assert person.household_id == h1


def test_absent_optional_column_leaves_existing_values(base):
    result = load(
        base, "personen", f"bsn,huishouden_id,geboortejaar,rol\n{BSN_A},H1,1980,hoofdbewoner\n"
    )
    assert result.unchanged == 1
    assert (
        base.scalar(select(Person.naam).where(Person.bsn_hash == hash_bsn(BSN_A))) == "Jan Jansen"
    )


def test_one_audit_row_per_import_with_counts(base):
    load(base, "voorzieningen", PROVISIONS, name="vz.csv")
    row = base.execute(
        select(AuditEvent.actie, AuditEvent.object_type, AuditEvent.object_id, AuditEvent.nieuw)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).one()
    assert tuple(row[:3]) == ("import", "voorzieningen", "vz.csv")
    assert '"nieuw": 2' in row[3] and '"regels": 2' in row[3]
    assert base.scalar(select(func.count()).where(AuditEvent.actie == "import")) == 4


# --- access and the file entry point --------------------------------------------------------


def test_only_beheer_may_import(session, account):
    with pytest.raises(AccessDenied):
        import_stream(session, Actor(7, "gert", "gbd"), "huishoudens", HOUSEHOLDS.encode(), "h.csv")
    assert count(session, Household) == 0
    bea = account("bea", "beheer")
    assert load(session, "huishoudens", HOUSEHOLDS, actor=bea).inserted == 2


def test_import_file_reports_progress(session, tmp_path):
    path = tmp_path / "huishoudens.csv"
    path.write_text(HOUSEHOLDS, encoding="utf-8")
    seen: list[float] = []
    result = import_file(session, SYSTEM, "huishoudens", path, progress=seen.append)
    assert result.inserted == 2
    assert seen[-1] == 1.0 and all(0 <= f <= 1 for f in seen)
    assert session.scalar(select(AuditEvent.object_id).order_by(AuditEvent.id.desc())) == (
        "huishoudens.csv"
    )


def test_aanbieder_match_folds_non_ascii_case(base):
    load(base, "instellingen", "instelling_id,naam,type\nI2,Ééntje Zorg,zorg\n")
    result = load(
        base, "voorzieningen", PROV_HEAD + f"V1;{BSN_A};WMO;hulp;2024-01-01;;ÉÉNTJE ZORG;;\n"
    )
    assert result.warnings == []
    i2 = base.scalar(select(Institution.id).where(Institution.instelling_id == "I2"))
    assert base.scalar(select(Provision.institution_id)) == i2


def test_long_file_name_fits_the_audit_row(session):
    name = "huishoudens-" + "x" * 100 + ".csv"
    import_stream(session, SYSTEM, "huishoudens", HOUSEHOLDS, name)
    session.commit()
    assert session.scalar(select(AuditEvent.object_id).order_by(AuditEvent.id.desc())) == name[:64]
