"""References an import resolves (BSN hash, household, institution), loaded once per file."""

from __future__ import annotations

import hmac
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from households.bsn import secret_key
from households.csvformat import RowError
from households.models import Household, Institution, Person

__all__ = ["Lookups", "col"]


class Lookups:
    """References loaded once per import (one query each) and a BSN-hash memo."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._key = secret_key()
        self.unknown_aanbieders: dict[str, list[Any]] = {}

    def bsn_hashes(self, bsns: list[str]) -> list[str]:
        """Keyed hashes of normalised BSNs (each distinct one hashed once)."""
        # Equal to hash_bsn(b) for a normalised b (tested), without re-normalising.
        key = self._key
        memo = {b: hmac.digest(key, b.encode(), "sha256").hex() for b in set(bsns)}
        return list(map(memo.__getitem__, bsns))

    def resolve(
        self, query, values: list[Any], column: str, reason: str, lines, errors
    ) -> list[int]:
        """Map ``values`` through the (key, id) pairs of ``query``; unknown ones are errors."""
        known = dict(self.session.execute(query).all())
        ids = list(map(known.get, values))
        if None in ids:
            errors.extend(
                RowError(lines[k], column, reason) for k, v in enumerate(ids) if v is None
            )
        return ids

    def person_ids(self, bsns: list[str], lines: list[int], errors: list[RowError]) -> list[int]:
        query = select(Person.bsn_hash, Person.id)
        reason = "onbekende BSN (persoon niet geïmporteerd)"
        return self.resolve(query, self.bsn_hashes(bsns), "bsn", reason, lines, errors)

    def household_ids(
        self, ids: list[str | None], bsns: list[str | None], lines: list[int], errors
    ) -> list[int | None]:
        """The household of each row: by ``huishouden_id``, or else the household of ``bsn``."""
        by_id = dict(self.session.execute(select(Household.huishouden_id, Household.id)).all())
        hashes = self.bsn_hashes([b for b in bsns if b is not None])
        wanted = set(hashes)
        by_hash = {
            h: hh
            for h, hh in self.session.execute(select(Person.bsn_hash, Person.household_id))
            if h in wanted
        }
        it = iter(hashes)
        out: list[int | None] = []
        for line, hid, bsn in zip(lines, ids, bsns, strict=True):
            via_id = None if hid is None else by_id.get(hid)
            via_bsn = None if bsn is None else by_hash.get(next(it))
            if hid is None and bsn is None:
                errors.append(RowError(line, "huishouden_id", "geef huishouden_id of bsn"))
            elif hid is not None and via_id is None:
                errors.append(RowError(line, "huishouden_id", "onbekend huishouden_id"))
            elif bsn is not None and via_bsn is None:
                errors.append(RowError(line, "bsn", "onbekende BSN (persoon niet geïmporteerd)"))
            elif via_id is not None and via_bsn is not None and via_id != via_bsn:
                errors.append(RowError(line, "bsn", "de persoon hoort niet bij dit huishouden"))
            out.append(via_id if via_id is not None else via_bsn)
        return out

    def person_households(
        self, bsns: list[str], lines: list[int], errors: list[RowError]
    ) -> tuple[list[int | None], list[int | None]]:
        """(person id, household id) of each BSN; unknown ones are errors."""
        hashes = self.bsn_hashes(bsns)
        wanted = set(hashes)
        known = {
            h: (pid, hh)
            for h, pid, hh in self.session.execute(
                select(Person.bsn_hash, Person.id, Person.household_id)
            )
            if h in wanted
        }
        pairs = [known.get(h, (None, None)) for h in hashes]
        errors.extend(
            RowError(lines[k], "bsn", "onbekende BSN (persoon niet geïmporteerd)")
            for k, (pid, _) in enumerate(pairs)
            if pid is None
        )
        return [p for p, _ in pairs], [hh for _, hh in pairs]

    def institution_ids(self, names: list[str | None], lines: list[int]) -> list[int | None]:
        """Exact case-insensitive name match; unknown names are collected as warnings."""
        # Lower-case in Python: SQLite's lower() folds ASCII letters only.
        known: dict[str, int] = {}
        for naam, id_ in self.session.execute(
            select(Institution.naam, Institution.id).order_by(Institution.id)
        ):
            known.setdefault(naam.strip().lower(), id_)
        found = {n: known.get(n.lower()) for n in set(names) if n is not None}
        unknown = {n for n, v in found.items() if v is None}
        if unknown:
            for k, name in enumerate(names):
                if name in unknown:
                    entry = self.unknown_aanbieders.setdefault(name.lower(), [name, 0, lines[k]])
                    entry[1] += 1
        return list(map(found.get, names))


def col(cols: dict[str, list[Any]], name: str, n: int) -> list[Any]:
    return cols.get(name) or [None] * n
