"""What the kiss role reads as free text is scrubbed of identifiers (issue 16, finding 1):
systeemknelpunten on *Knelpunten en lessen* and questions on the *Vraagbaak* were typed by
table members; a date of birth or a phone number in them never reaches KISS."""

from __future__ import annotations

import datetime as dt

from coordination.knelpunten import bottleneck_overview
from coordination.loop import vraagbaak
from coordination.loopmodels import Escalation, SystemBottleneck
from coordination.models import CaseTable

D = dt.date(2026, 10, 1)
STORY = "Moeder (geb. 14-02-1984, tel 06 1234 5678) kreeg geen bijzondere bijstand."


def test_knelpunten_and_questions_reach_kiss_without_identifiers(session, account):
    table = CaseTable(naam="Tafel Noord en Oost", actief=True)
    session.add(table)
    session.flush()
    session.add_all([SystemBottleneck(omschrijving=STORY, datum=D) for _ in range(5)])
    session.add(Escalation(case_table_id=table.id, vraag=STORY, gesteld_op=D))
    session.commit()
    kiss = account("kees", "kiss")
    [row] = bottleneck_overview(session, kiss)
    [question] = vraagbaak(session, kiss)
    for text in (*row.beschrijvingen, question.vraag):
        assert "1984" not in text and "5678" not in text, text
        assert "bijzondere bijstand" in text
