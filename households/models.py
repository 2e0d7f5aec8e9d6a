"""The household-centred data model.

Everything the three front doors know hangs off a :class:`Household`: its
persons, their provisions (voorzieningen) and debts (schulden), institutions
involved, help requests (hulpvragen) and early signals (vroegsignalering).
Accounts, the audit trail and need-to-know openings live here too, because
every bounded context writes them.

Amounts are stored as integer euro cents (``*_cent``): exact on every database.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from households.db import Base, utcnow
from households.debtmodels import DebtSnapshot, Norm  # noqa: F401
from households.frontdoors import (  # noqa: F401 - re-exported: the codes live there
    FRONT_DOOR_LABELS,
    FRONT_DOORS,
    IMPORT_FRONT_DOORS,
    ONE_FRONT_DOOR,
    front_door_label,
    front_doors_check,
)
from households.refmodels import (  # noqa: F401
    AppSetting,
    ProductCategory,
    RetentionPeriod,
    Submission,
)

DOMAINS = ("WMO", "JEUGD", "ISD")
REQUEST_DOMAINS = ("WMO", "JEUGD", "ISD", "ONBEKEND")
ROLES_IN_HOUSEHOLD = ("hoofdbewoner", "partner", "kind", "overig")
URGENCIES = ("laag", "normaal", "hoog", "acuut")
SIGNAL_KINDS = (
    "huurachterstand",
    "energieachterstand",
    "zorgverzekeringsachterstand",
    "waterachterstand",
    "politie",
    "huiselijk_geweld",
    "veilig_thuis",
    "school",
    "overlast",
    "verward_gedrag",
    "woningvervuiling",
    "veiligheid_logboek",
)
# ``veiligheid_logboek``: veiligheid 1 in a stability log, to the Tafel sociale veiligheid.
SAFETY_SIGNAL_KINDS = ("politie", "huiselijk_geweld", "veilig_thuis", "veiligheid_logboek")
ARREARS_SIGNAL_KINDS = (
    "huurachterstand",
    "energieachterstand",
    "zorgverzekeringsachterstand",
    "waterachterstand",
)
# The provision kinds (soorten voorzieningen) per domain: the one list that rules,
# forms and the synthetic data (data/reference.py, with shares and costs) agree on.
PROVISION_KINDS_BY_DOMAIN: dict[str, tuple[str, ...]] = {
    "WMO": (
        "huishoudelijke ondersteuning",
        "begeleiding",
        "hulpmiddel",
        "woningaanpassing",
        "vervoer",
    ),
    "JEUGD": ("ambulante jeugdhulp", "jeugd-ggz", "jeugdhulp met verblijf", "jeugdbescherming"),
    "ISD": (
        "bijstand",
        "IOAW",
        "bijzondere bijstand",
        "individuele inkomenstoeslag",
        "minimaregelingen",
        "schuldhulpverlening",
        "loonkostensubsidie",
    ),
}
USER_ROLES = ("voordeur", "gbd", "ervaringswerker", "partner", "kiss", "beheer")


class Household(Base):
    """A household (huishouden) at one address."""

    __tablename__ = "household"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    huishouden_id: Mapped[str] = mapped_column(String(64), unique=True)
    wijk: Mapped[str] = mapped_column(String(40), index=True)
    buurt: Mapped[str | None] = mapped_column(String(80))
    postcode: Mapped[str | None] = mapped_column(String(6))
    huisnummer: Mapped[str | None] = mapped_column(String(10))
    straat: Mapped[str | None] = mapped_column(String(120))

    persons: Mapped[list[Person]] = relationship(back_populates="household", lazy="raise")

    __table_args__ = (Index("ix_household_address", "postcode", "huisnummer"),)


class Person(Base):
    """A resident. The BSN is only ever stored as a keyed hash (``bsn_hash``)."""

    __tablename__ = "person"
    # the name search counts (and narrows by birth year) from the first index alone and
    # reads a page of hits in (naam_zoek, id) order from the second
    __table_args__ = (
        Index("ix_person_naam_zoek_jaar", "naam_zoek", "geboortejaar", "household_id"),
        Index("ix_person_naam_zoek_id", "naam_zoek", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bsn_hash: Mapped[str] = mapped_column(String(64), unique=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    geboortejaar: Mapped[int] = mapped_column(Integer)
    rol: Mapped[str] = mapped_column(String(20))
    naam: Mapped[str | None] = mapped_column(String(120))
    # households.names.name_key(naam): "vries jan de"; bytewise order for prefix ranges
    naam_zoek: Mapped[str | None] = mapped_column(
        String(120).with_variant(String(120, collation="C"), "postgresql")
    )

    household: Mapped[Household] = relationship(back_populates="persons", lazy="raise")


class Institution(Base):
    """A partner institution (instelling): provider, partner or referrer."""

    __tablename__ = "institution"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instelling_id: Mapped[str] = mapped_column(String(64), unique=True)
    naam: Mapped[str] = mapped_column(String(160), index=True)
    type: Mapped[str] = mapped_column(String(60))
    contractvorm: Mapped[str | None] = mapped_column(String(60))
    essentieel: Mapped[bool | None] = mapped_column(Boolean)


class Provision(Base):
    """A provision (voorziening) in one domain, granted to one person."""

    __tablename__ = "provision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bron_id: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    domein: Mapped[str] = mapped_column(String(8))
    soort: Mapped[str] = mapped_column(String(80))
    start: Mapped[dt.date] = mapped_column(Date)
    einde: Mapped[dt.date | None] = mapped_column(Date)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"), index=True)
    aanbieder: Mapped[str | None] = mapped_column(String(160))
    maatwerk: Mapped[bool | None] = mapped_column(Boolean)
    kosten_per_maand_cent: Mapped[int | None] = mapped_column(BigInteger)
    # From iWmo/iJw messages (DESIGN 5.3): allocated (301), care started (305), stopped (307).
    toegewezen_op: Mapped[dt.date | None] = mapped_column(Date)
    zorg_gestart_op: Mapped[dt.date | None] = mapped_column(Date)
    zorg_gestopt_op: Mapped[dt.date | None] = mapped_column(Date)
    reden_beeindiging: Mapped[str | None] = mapped_column(String(4))

    __table_args__ = (
        Index("ix_provision_period", "start", "einde"),
        CheckConstraint("domein IN ('WMO','JEUGD','ISD')", name="domein"),
        CheckConstraint("einde IS NULL OR einde >= start", name="period"),
        CheckConstraint(
            "kosten_per_maand_cent IS NULL OR kosten_per_maand_cent >= 0", name="kosten"
        ),
    )


class Debt(Base):
    """A debt (schuld) of one person to one creditor (schuldeiser)."""

    __tablename__ = "debt"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bron_id: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    schuldeiser: Mapped[str] = mapped_column(String(160))
    hoofdsom_cent: Mapped[int] = mapped_column(BigInteger)
    openstaand_cent: Mapped[int] = mapped_column(BigInteger)
    sinds: Mapped[dt.date] = mapped_column(Date)
    in_regeling: Mapped[bool | None] = mapped_column(Boolean)

    __table_args__ = (
        CheckConstraint("hoofdsom_cent >= 0 AND openstaand_cent >= 0", name="amounts"),
    )


class Residence(Base):
    """Who lived where (bewoning, DESIGN 5.4): a person's household from ``vanaf`` until ``tot``.

    ``tot`` is the day the person left (not included). A person without any row lives in
    ``person.household_id`` on every date (households/periods.py ``household_of_person_sql``).
    """

    __tablename__ = "bewoning"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sleutel: Mapped[str] = mapped_column(String(200), unique=True)  # person + household + vanaf
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    vanaf: Mapped[dt.date] = mapped_column(Date)
    tot: Mapped[dt.date | None] = mapped_column(Date)

    __table_args__ = (Index("ix_bewoning_person_vanaf", "person_id", "vanaf"),)


class Involvement(Base):
    """An institution or professional involved without a provision (police report, bemoeizorg)."""

    __tablename__ = "involvement"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bron_id: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)  # imported
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"), index=True)
    soort: Mapped[str] = mapped_column(String(80))
    professional: Mapped[str | None] = mapped_column(String(120))
    start: Mapped[dt.date] = mapped_column(Date)
    einde: Mapped[dt.date | None] = mapped_column(Date)
    toelichting: Mapped[str | None] = mapped_column(Text)


class HelpRequest(Base):
    """A help request (hulpvraag) and the front door it came through."""

    __tablename__ = "help_request"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bron_id: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)  # imported
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    domein: Mapped[str] = mapped_column(String(10))
    voordeur: Mapped[str] = mapped_column(String(10))
    ontvangen_op: Mapped[dt.date] = mapped_column(Date, index=True)
    omschrijving: Mapped[str | None] = mapped_column(Text)
    urgentie: Mapped[str] = mapped_column(String(10), default="normaal")
    intake_door: Mapped[str | None] = mapped_column(String(120))
    triage_advies: Mapped[str | None] = mapped_column(String(10))
    triage_redenen: Mapped[list | None] = mapped_column(JSON)
    triage: Mapped[str | None] = mapped_column(String(10))
    afwijking_reden: Mapped[str | None] = mapped_column(Text)
    regelset_versie: Mapped[int | None] = mapped_column(Integer)
    besluit_op: Mapped[dt.date | None] = mapped_column(Date)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    bewoner_geinformeerd_op: Mapped[dt.date | None] = mapped_column(Date)  # basis, DESIGN 8.3

    __table_args__ = (
        Index("ix_help_request_household_date", "household_id", "ontvangen_op"),
        CheckConstraint("domein IN ('WMO','JEUGD','ISD','ONBEKEND')", name="domein"),
        CheckConstraint(front_doors_check(), name="voordeur"),
    )


class Signal(Base):
    """An early signal (vroegsignalering): arrears, police, school."""

    __tablename__ = "signal"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bron_id: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)  # imported
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    soort: Mapped[str] = mapped_column(String(40))
    bron: Mapped[str | None] = mapped_column(String(120))
    gemeld_op: Mapped[dt.date] = mapped_column(Date)
    gesloten_op: Mapped[dt.date | None] = mapped_column(Date)
    toelichting: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(Integer)  # app_user.id (see migration 0007)
    # The Wgs follow-up of an arrears signal (coordination/signals.py WGS_STEPS), with dates.
    contact_gezocht_op: Mapped[dt.date | None] = mapped_column(Date)
    contact_gemaakt_op: Mapped[dt.date | None] = mapped_column(Date)
    hulp_aangeboden_op: Mapped[dt.date | None] = mapped_column(Date)
    aanvaard_op: Mapped[dt.date | None] = mapped_column(Date)
    geweigerd_op: Mapped[dt.date | None] = mapped_column(Date)


class User(Base):
    """An account. Passwords only as Argon2id hashes."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    naam: Mapped[str] = mapped_column(String(80), unique=True)
    weergavenaam: Mapped[str | None] = mapped_column(String(120))
    rol: Mapped[str] = mapped_column(String(20))
    wachtwoord_hash: Mapped[str] = mapped_column(String(200))
    mislukte_pogingen: Mapped[int] = mapped_column(Integer, default=0)
    geblokkeerd_sinds: Mapped[dt.datetime | None] = mapped_column(DateTime)
    actief: Mapped[bool] = mapped_column(Boolean, default=True)
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # The identity provider's stable claim (e.g. e-mail or ``sub``) for OIDC sign-in.
    oidc_id: Mapped[str | None] = mapped_column(String(255))
    # A partner user is bound to one institution (DESIGN 2): they see only its referrals.
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"))

    __table_args__ = (
        CheckConstraint(
            "rol IN ('voordeur','gbd','ervaringswerker','partner','kiss','beheer')", name="rol"
        ),
        CheckConstraint(
            "rol <> 'partner' OR institution_id IS NOT NULL", name="partner_instelling"
        ),
        Index("ix_app_user_oidc_id", "oidc_id", unique=True),
    )


class LoginSession(Base):
    """One sign-in: a server-side session record, carried by the browser as an HttpOnly cookie.

    Only SHA-256 hashes of the random cookie token and of the one-time ticket
    that sets the cookie are stored. A session ends when it is revoked
    (``beeindigd_op``), idle too long or past ``verloopt_op``.
    """

    __tablename__ = "login_sessie"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    methode: Mapped[str] = mapped_column(String(20))
    rol: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    ticket_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    ticket_geldig_tot: Mapped[dt.datetime | None] = mapped_column(DateTime)
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    laatst_gebruikt_op: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    verloopt_op: Mapped[dt.datetime] = mapped_column(DateTime)
    beeindigd_op: Mapped[dt.datetime | None] = mapped_column(DateTime)
    reden_einde: Mapped[str | None] = mapped_column(String(40))

    __table_args__ = (CheckConstraint("methode IN ('wachtwoord','oidc')", name="methode"),)


class HouseholdOpening(Base):
    """A recorded need-to-know: a user opened a household for a stated purpose."""

    __tablename__ = "household_opening"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    doel: Mapped[str] = mapped_column(Text)
    geopend_op: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (
        Index("ix_household_opening_user_household", "user_id", "household_id"),
        # "my households": a user's openings within the access period, newest first
        Index("ix_household_opening_user_geopend", "user_id", "geopend_op"),
    )


class AuditEvent(Base):
    """One append-only audit row, chained to the previous one by hash."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tijdstip: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    gebruiker: Mapped[str | None] = mapped_column(String(80), index=True)
    rol: Mapped[str | None] = mapped_column(String(20))
    actie: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(64))
    resultaat: Mapped[str] = mapped_column(String(20))
    doel: Mapped[str | None] = mapped_column(Text)
    oud: Mapped[str | None] = mapped_column(Text)
    nieuw: Mapped[str | None] = mapped_column(Text)
    vorige_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # set by the sealer (households/audit/sealer.py): position in the chain; NULL = not yet
    keten_nr: Mapped[int | None] = mapped_column(BigInteger)
    # HMAC of the row's own content, written with it (empty for rows from before sealing)
    rij_mac: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_audit_event_object", "object_type", "object_id"),
        Index("ix_audit_event_keten_nr", "keten_nr", unique=True),
        Index(
            "ix_audit_event_open",
            "id",
            sqlite_where=text("keten_nr IS NULL"),
            postgresql_where=text("keten_nr IS NULL"),
        ),
    )
