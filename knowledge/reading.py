"""What a visitor read, remembered in their session (no account needed).

A read counts as a view once per visit: opening the same article again within
`READ_WINDOW` is the same visit. A report filed within `READ_WINDOW` of reading an article
is counted against that article ("report filed after reading").
"""

import hashlib
from datetime import datetime, timedelta

from django.utils import timezone

READ_KEY = "knowledge:read"
ANSWERED_KEY = "knowledge:answered"
READ_WINDOW = timedelta(minutes=30)
REMEMBERED = 10  # the most recent reads are enough to attribute a report


def recent_reads(session, *, now: datetime | None = None) -> dict[int, datetime]:
    """Article ids read within READ_WINDOW, with when."""
    now = now or timezone.now()
    reads = {}
    for key, stamp in (session.get(READ_KEY) or {}).items():
        try:
            at = datetime.fromisoformat(stamp)
            article_id = int(key)
        except (TypeError, ValueError):
            continue  # a session written by an older version: ignore, never fail
        if now - at <= READ_WINDOW:
            reads[article_id] = at
    return reads


def remember_read(session, article_id: int, *, now: datetime | None = None) -> bool:
    """Note that the article was read now; True when this is a new visit (count a view)."""
    now = now or timezone.now()
    reads = recent_reads(session, now=now)
    new_visit = article_id not in reads
    reads[article_id] = now
    newest = sorted(reads.items(), key=lambda item: item[1], reverse=True)[:REMEMBERED]
    session[READ_KEY] = {str(key): at.isoformat() for key, at in newest}
    return new_visit


def has_answered(session, article_id: int) -> bool:
    return article_id in (session.get(ANSWERED_KEY) or [])


def remember_answer(session, article_id: int) -> None:
    session[ANSWERED_KEY] = [*(session.get(ANSWERED_KEY) or [])[-49:], article_id]


def voter(session) -> str:
    """A stable digest of the session, stored instead of its key (which would let anyone
    reading the table take over the session)."""
    if not session.session_key:
        session.save()
    return hashlib.sha256(session.session_key.encode()).hexdigest()
