"""Every action the audit trail knows, as one typed list.

:func:`households.audit.record` accepts only an :class:`Event`; a plain string
is a programming error (``TypeError``). The values are the ``actie`` texts
stored in ``audit_event`` (so older rows and the Auditlog filter keep working).
Adding an action means adding a member here; a service action that needs a
role also gets a row in :data:`households.access.PERMISSIONS`.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Event", "RESULTS"]

RESULTS = ("ok", "mislukt", "geblokkeerd", "geweigerd")


class Event(StrEnum):
    """One audited action; the value is the stored ``actie`` text."""

    # sessions and accounts
    INLOGGEN = "inloggen"
    UITLOGGEN = "uitloggen"
    SESSIE_VERLOPEN = "sessie_verlopen"
    SESSIE_BEEINDIGD = "sessie_beeindigd"
    GEBRUIKER_AANMAKEN = "gebruiker_aanmaken"
    GEBRUIKERS_INZIEN = "gebruikers_inzien"
    GEBRUIKER_ACTIVEREN = "gebruiker_activeren"
    GEBRUIKER_DEACTIVEREN = "gebruiker_deactiveren"
    BLOKKERING_OPHEFFEN = "blokkering_opheffen"
    ROL_WIJZIGEN = "rol_wijzigen"
    WACHTWOORD_HERSTELLEN = "wachtwoord_herstellen"
    IDENTITEIT_KOPPELEN = "identiteit_koppelen"
    ROL_UIT_IDENTITEITSPROVIDER = "rol_uit_identiteitsprovider"
    # the audit trail itself, imports, exports, rules
    AUDITLOG_INZIEN = "auditlog_inzien"
    INZAGE = "inzage"
    BEWAARTERMIJN = "bewaartermijn"
    EXPORTEREN = "exporteren"
    IMPORT = "import"
    REGELS_WIJZIGEN = "regels_wijzigen"
    PRODUCTCATEGORIE_WIJZIGEN = "productcategorie_wijzigen"
    NORM_WIJZIGEN = "norm_wijzigen"
    BACKUP_MAKEN = "backup_maken"
    BACKUP_HERSTELLEN = "backup_herstellen"
    # front door: search, open, register
    ZOEKEN = "zoeken"
    HUISHOUDEN_OPENEN = "huishouden_openen"
    HUISHOUDEN_INZIEN = "huishouden_inzien"
    HUISHOUDENS_KIEZEN = "huishoudens_kiezen"
    NAAM_ADRES_INZIEN = "naam_adres_inzien"  # names and addresses on a list, one row per view
    TOEGANGSDUUR_WIJZIGEN = "toegangsduur_wijzigen"
    HUISHOUDEN_AANMELDEN = "huishouden_aanmelden"
    HULPVRAAG_REGISTREREN = "hulpvraag_registreren"
    MELDING_REGISTREREN = "melding_registreren"
    WGS_OPVOLGING = "wgs_opvolging"
    ACHTERSTAND_MELDEN = "achterstand_melden"  # a partner reports arrears by address (Wgs)
    TRIAGE_BESLUIT = "triage_besluit"
    KLANTREIS_INZIEN = "klantreis_inzien"
    KLANTREIS_OVERZICHT = "klantreis_overzicht"
    # regie
    REGIE_INZIEN = "regie_inzien"
    REGIE_TOEWIJZEN = "regie_toewijzen"
    REGIE_BEEINDIGEN = "regie_beeindigen"
    REGIE_OVERDRAGEN = "regie_overdragen"
    REGIE_GATEN = "regie_gaten"
    INSTELLINGEN_KIEZEN = "instellingen_kiezen"
    # case tables, decisions, actions, budget
    CASUSTAFELS_INZIEN = "casustafels_inzien"
    CASUSTAFEL_MAKEN = "casustafel_maken"
    CASUSTAFEL_LID = "casustafel_lid"
    OVERLEG_PLANNEN = "overleg_plannen"
    AGENDAPUNT_TOEVOEGEN = "agendapunt_toevoegen"
    AGENDA_INZIEN = "agenda_inzien"
    BESLUITEN = "besluiten"
    REVIEW = "review"
    OPDRACHT_GEVEN = "opdracht_geven"
    TERUGKOPPELING = "terugkoppeling"
    OPDRACHT_AFRONDEN = "opdracht_afronden"
    OPDRACHTEN_INZIEN = "opdrachten_inzien"
    TERUGKOPPELING_OVERZICHT = "terugkoppeling_overzicht"
    # referrals to partners (verwijzingen) and their responses
    VERWIJZEN = "verwijzen"
    VERWIJZINGEN_INZIEN = "verwijzingen_inzien"
    VERWIJZING_INZIEN = "verwijzing_inzien"
    VERWIJZING_BEANTWOORDEN = "verwijzing_beantwoorden"
    VERWIJZINGEN_ESCALATIE = "verwijzingen_escalatie"
    AGENDAPARTIJ_TOEVOEGEN = "agendapartij_toevoegen"
    TAFELPUNTEN_PARTNER = "tafelpunten_partner"
    BUDGET_VASTSTELLEN = "budget_vaststellen"
    BUDGET_INZIEN = "budget_inzien"
    BUDGET_BESTEDEN = "budget_besteden"
    WERKLIJST_INZIEN = "werklijst_inzien"  # one row per view of the coordinator's worklist
    # steering figures and reports
    STUURINFORMATIE_INZIEN = "stuurinformatie_inzien"
    WGS_HULPAANBOD_OVERZICHT = "wgs_hulpaanbod_overzicht"
    SHV_PIJPLIJN_INZIEN = "shv_pijplijn_inzien"  # the schuldhulp pipeline (issue 15)
    NIET_GEBRUIK_OVERZICHT = "niet_gebruik_overzicht"  # non-take-up per wijk (kiss)
    NIET_GEBRUIK_INZIEN = "niet_gebruik_inzien"  # a household's non-take-up prompt
    DEMOGEGEVENS_GELADEN = "demogegevens_geladen"  # `kiss demo`: the data are synthetic
    RAPPORT_STAPELING = "rapport_stapeling"
    NETWERK_INZIEN = "netwerk_inzien"
    STUURDOELEN_INZIEN = "stuurdoelen_inzien"
    STUURDOEL_AANMAKEN = "stuurdoel_aanmaken"
    STUURDOEL_WIJZIGEN = "stuurdoel_wijzigen"
    STUURKOSTEN_INZIEN = "stuurkosten_inzien"
    # experiments
    EXPERIMENT_LID_TOEVOEGEN = "experiment_lid_toevoegen"
    EXPERIMENT_AANMAKEN = "experiment_aanmaken"
    EXPERIMENT_WIJZIGEN = "experiment_wijzigen"
    LES_TOEVOEGEN = "les_toevoegen"
    STRESSOR_TOEVOEGEN = "stressor_toevoegen"
    OUTREACH_LIJST = "outreach_lijst"
    OUTREACH_VOORSTEL = "outreach_voorstel"
    EXPERIMENT_INSCHRIJVEN = "experiment_inschrijven"
    DEELNEMERS_INZIEN = "deelnemers_inzien"
    DEELNEMER_INZIEN = "deelnemer_inzien"
    MIJN_HUISHOUDENS = "mijn_huishoudens"
    LOGBOEK_SCHRIJVEN = "logboek_schrijven"
    LOGBOEK_INZIEN = "logboek_inzien"
    VERHAAL_SELECTEREN = "verhaal_selecteren"
    VERHALEN_INZIEN = "verhalen_inzien"
    EXPERIMENT_EVALUEREN = "experiment_evalueren"
    HUISHOUDEN_EVALUEREN = "huishouden_evalueren"
    EVALUATIERAPPORT = "evaluatierapport"
    # the household plan (DESIGN 4.4)
    PLAN_INZIEN = "plan_inzien"
    PLAN_AANMAKEN = "plan_aanmaken"
    PLAN_DOEL_TOEVOEGEN = "plan_doel_toevoegen"
    PLAN_DOEL_UIT_BESLUIT = "plan_doel_uit_besluit"
    PLAN_DOEL_WIJZIGEN = "plan_doel_wijzigen"
    PLAN_AFDRUKKEN = "plan_afdrukken"
    # the loop: the ervaringswerker, spraak en tegenspraak, vraagbaak, systeemknelpunten
    STABILITEIT_INZIEN = "stabiliteit_inzien"
    VEILIGHEIDSSIGNAAL_LOGBOEK = "veiligheidssignaal_logboek"
    AGENDAPUNT_INBRENGEN = "agendapunt_inbrengen"
    BESLUITEN_VOLGEN = "besluiten_volgen"
    PLANDOELEN_VOLGEN = "plandoelen_volgen"
    OPNIEUW_BESLUITEN = "opnieuw_besluiten"
    TAFEL_LUS_INZIEN = "tafel_lus_inzien"
    ESCALEREN = "escaleren"
    VRAAGBAAK_INZIEN = "vraagbaak_inzien"
    VRAAGBAAK_ANTWOORDEN = "vraagbaak_antwoorden"
    KNELPUNT_VASTLEGGEN = "knelpunt_vastleggen"
    KNELPUNTEN_INZIEN = "knelpunten_inzien"
    LESSEN_INZIEN = "lessen_inzien"
    REFERENTIELIJST_INZIEN = "referentielijst_inzien"
    REFERENTIELIJST_WIJZIGEN = "referentielijst_wijzigen"
    # schuldhulpverlening as a process (issue 15)
    SCHULDHULP_INZIEN = "schuldhulp_inzien"
    SCHULDHULP_OVERZICHT = "schuldhulp_overzicht"
    SCHULDHULP_AANMELDEN = "schuldhulp_aanmelden"
    SCHULDHULP_STAP = "schuldhulp_stap"
    SCHULDHULP_SCHULD_OPNEMEN = "schuldhulp_schuld_opnemen"
    # lawful basis (DESIGN 8.3): consent for sharing with partner institutions
    TOESTEMMING_VASTLEGGEN = "toestemming_vastleggen"
    TOESTEMMING_INTREKKEN = "toestemming_intrekken"
    TOESTEMMINGEN_INZIEN = "toestemmingen_inzien"
