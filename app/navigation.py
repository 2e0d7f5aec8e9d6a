"""Which pages each role sees. Navigation is convenience; access control is in the services."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PAGES_DIR = Path(__file__).parent / "views"  # not "pages/": Streamlit would auto-list it


@dataclass(frozen=True)
class PageSpec:
    """One page: its file under ``app/views``, title, icon and the roles that see it."""

    file: str
    title: str
    icon: str
    roles: tuple[str, ...]


PAGES: tuple[PageSpec, ...] = (
    PageSpec("start.py", "Start", ":material/home:", ("voordeur", "gbd", "ervaringswerker", "partner", "kiss", "beheer")),
    PageSpec("werklijst.py", "Werklijst", ":material/checklist:", ("gbd",)),
    PageSpec("voordeur.py", "Voordeur", ":material/door_front:", ("voordeur", "gbd")),
    PageSpec("huishouden.py", "Huishouden", ":material/family_restroom:", ("gbd",)),
    PageSpec("regie.py", "Regie", ":material/assignment_ind:", ("gbd",)),
    PageSpec("casustafel.py", "Casustafel", ":material/groups:", ("gbd",)),
    PageSpec("schuldhulp.py", "Schuldhulp", ":material/savings:", ("gbd",)),
    PageSpec("experimenten.py", "Experimenten", ":material/science:", ("gbd", "ervaringswerker")),
    PageSpec("verwijzingen.py", "Verwijzingen", ":material/assignment_turned_in:", ("partner",)),
    PageSpec("logboek.py", "Logboek", ":material/edit_note:", ("ervaringswerker",)),
    PageSpec("kiss_overzicht.py", "KISS-overzicht", ":material/monitoring:", ("kiss",)),
    PageSpec("sturing.py", "Doelen en middelen", ":material/flag:", ("kiss",)),
    PageSpec("bestaanszekerheid.py", "Bestaanszekerheid", ":material/account_balance_wallet:", ("kiss",)),
    PageSpec("netwerk.py", "Instellingen", ":material/hub:", ("kiss", "gbd")),
    PageSpec("evaluatie.py", "Evaluatie", ":material/query_stats:", ("kiss",)),
    PageSpec("knelpunten.py", "Knelpunten en lessen", ":material/report:", ("kiss",)),
    PageSpec("vraagbaak.py", "Vraagbaak", ":material/contact_support:", ("kiss",)),
    PageSpec("importeren.py", "Importeren", ":material/upload_file:", ("beheer",)),
    PageSpec("experimentenregister.py", "Experimentenregister", ":material/lab_profile:", ("beheer",)),
    PageSpec("regels.py", "Triageregels", ":material/rule:", ("beheer",)),
    PageSpec("referentielijsten.py", "Referentielijsten", ":material/list_alt:", ("beheer",)),
    PageSpec("gebruikers.py", "Gebruikers", ":material/manage_accounts:", ("beheer",)),
    PageSpec("auditlog.py", "Auditlog", ":material/policy:", ("beheer",)),
    PageSpec("inzage.py", "Inzage", ":material/person_search:", ("beheer",)),
)  # fmt: skip


def pages_for(role: str) -> list[PageSpec]:
    """The pages a role sees, in menu order; only pages whose file exists.

    >>> [p.title for p in pages_for("kiss")][:2]
    ['Start', 'KISS-overzicht']
    """
    return [p for p in PAGES if role in p.roles and (PAGES_DIR / p.file).exists()]
