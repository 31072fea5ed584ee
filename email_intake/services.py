"""Turning one inbound e-mail into an incident or a comment, through incidents.services.

`ingest_message` is the single entry point (the `ingest_email` command and the IMAP poller
both call it). It is idempotent by Message-ID: the `InboundMessage` row is inserted in the
same transaction as the incident or comment it produced, so a re-delivered message finds the
row and creates nothing, and two deliveries at once are settled by the unique constraint.
"""

import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from email_intake.choices import Outcome
from email_intake.loops import automatic_reason
from email_intake.models import InboundMessage
from email_intake.parsing import ParsedMessage, parse_message
from incidents import services
from incidents.attachments import validate_upload
from incidents.choices import FINAL_STATUSES, Channel
from incidents.exceptions import AttachmentRejected, DomainError
from incidents.models import Incident
from incidents.numbers import PATTERN as NUMBER_PATTERN
from incidents.roles import can_work_incidents
from notifications.emails import mail_domain

logger = logging.getLogger("email_intake")

TITLE_MAX = 200
BODY_MAX = 20000
SUBJECT_NUMBER = re.compile(rf"\[\s*({NUMBER_PATTERN})\s*\]", re.IGNORECASE)
REPLY_PREFIX = re.compile(r"^\s*((re|fwd?|aw|wg|sv|vs|tr)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE)


@dataclass(frozen=True)
class IngestResult:
    """What became of a message. `duplicate` is true when it had been ingested before; the
    other fields then describe that first ingestion."""

    status: str
    message_id: str
    reason: str = ""
    incident_number: str | None = None
    comment_id: int | None = None
    refused_attachments: tuple[str, ...] = ()
    duplicate: bool = False


def ingest_message(raw_bytes: bytes) -> IngestResult:
    """Ingest one RFC 822 message. Raises `parsing.UnreadableMessage` when the bytes are not
    an e-mail; every other outcome (ignored, rejected) is recorded and returned. Incidents
    and comments are created with via=E-mail, so their notifications go out after commit."""
    parsed = parse_message(raw_bytes)
    with transaction.atomic():
        record = _claim(parsed, size=len(raw_bytes))
        if record is None:
            return _duplicate(parsed.message_id)
        _process(parsed, record)
        record.save()
    _log(record)
    return _result(record)


def _claim(parsed: ParsedMessage, *, size: int) -> InboundMessage | None:
    """Insert the message's row, or return None when its Message-ID is already known (a
    concurrent delivery waits on the unique index and then lands here)."""
    try:
        with transaction.atomic():
            return InboundMessage.objects.create(
                message_id=parsed.message_id,
                sender=parsed.sender[:254],
                subject=parsed.subject[:300],
                size=size,
                status=Outcome.IGNORED,
            )
    except IntegrityError:
        if InboundMessage.objects.filter(message_id=parsed.message_id).exists():
            return None
        raise


def _duplicate(message_id: str) -> IngestResult:
    record = InboundMessage.objects.select_related("incident").get(message_id=message_id)
    logger.info("E-mail %s was already ingested (%s); nothing done.", message_id, record.status)
    return _result(record, duplicate=True)


def _result(record: InboundMessage, *, duplicate: bool = False) -> IngestResult:
    return IngestResult(
        status=record.status,
        message_id=record.message_id,
        reason=record.reason,
        incident_number=record.incident.number if record.incident_id else None,
        comment_id=record.comment_id,
        refused_attachments=tuple(record.result.get("refused", ())),
        duplicate=duplicate,
    )


def _log(record: InboundMessage) -> None:
    if record.status in (Outcome.IGNORED, Outcome.REJECTED):
        logger.info(
            "E-mail %s from %s %s: %s",
            record.message_id,
            record.sender or "(no sender)",
            record.status,
            record.reason,
        )


def _process(parsed: ParsedMessage, record: InboundMessage) -> None:
    reason = automatic_reason(parsed) or ("" if parsed.sender else "No sender address.")
    if reason:
        record.reason = reason
        return
    user = find_sender(parsed)
    if user is None:
        record.reason = _unknown_reason(parsed)
        return
    record.user = user
    accepted, refused = screen_attachments(parsed)
    record.result = {"attachments": [upload.name for upload in accepted], "refused": refused}
    record.reason = "\n".join(f"Attachment not accepted: {reason}" for reason in refused)
    try:
        _file(parsed, record, user, accepted, refused)
    except DomainError as exc:
        record.status, record.reason = Outcome.REJECTED, exc.message


def _file(
    parsed: ParsedMessage, record: InboundMessage, user, accepted: list, refused: list[str]
) -> None:
    """Comment on the incident the subject names when the sender may see it; otherwise (or
    when it is closed to them) report a new one. A reply to a page saying `ack` answers it."""
    if _answer_page(parsed, record, user):
        return
    incident = target_incident(parsed, user)
    text = compose(parsed.body, refused, accepted)
    if incident is not None and (incident.status not in FINAL_STATUSES or can_work_incidents(user)):
        record.comment = services.incident_comment(
            incident=incident,
            author=user,
            body=text,
            via=Channel.EMAIL,
            public=True,
            files=accepted,
        )
        record.incident, record.status = incident, Outcome.COMMENTED
        return
    if incident is not None:
        text = f"Follow-up to {incident.number}, which is closed.\n\n{text}".strip()
    record.incident = services.incident_create(
        title=title_from(parsed),
        description=text,
        reporter=user,
        via=Channel.EMAIL,
        files=accepted,
    )
    record.status = Outcome.CREATED


def _answer_page(parsed: ParsedMessage, record: InboundMessage, user) -> bool:
    """A reply whose first word is `ack` to a page e-mail acknowledges the incident as the
    person paged. Anyone else's `ack` to a page is refused (it would acknowledge in the
    paged person's name); a reply to anything but a page is left to the usual handling."""
    from paging.answers import page_answer, page_for_reply, reply_acknowledges
    from paging.links import LinkRefused
    from paging.models import Page

    if not reply_acknowledges(parsed.body) or not parsed.references:
        return False
    page = page_for_reply(parsed.references, user)
    if page is None:
        if not Page.objects.filter(message_id__in=parsed.references).exists():
            return False
        record.status = Outcome.REJECTED
        record.reason = "Only the person who was paged can acknowledge a page by replying."
        return True
    record.incident = page.incident
    try:
        answer = page_answer(page_id=page.pk, via=Channel.EMAIL)
    except LinkRefused as exc:
        record.status, record.reason = Outcome.REJECTED, str(exc)
        return True
    record.status, record.reason = Outcome.ACKNOWLEDGED, answer.message
    return True


def _accounts(address: str) -> list:
    return list(get_user_model().objects.filter(is_active=True, email__iexact=address)[:2])


def find_sender(parsed: ParsedMessage):
    """The active account with the sender's address (case-insensitive). None when there is
    none, or several (we cannot tell who wrote). With ITSM_EMAIL_CREATE_UNKNOWN_USERS an
    unknown sender gets an end-user account with no usable password: they follow their
    incidents by e-mail until an administrator gives them a password."""
    users = _accounts(parsed.sender)
    if len(users) == 1:
        return users[0]
    if users or not settings.ITSM_EMAIL_CREATE_UNKNOWN_USERS:
        return None
    return _create_end_user(parsed.sender, parsed.sender_name)


def _unknown_reason(parsed: ParsedMessage) -> str:
    if _accounts(parsed.sender):
        return "Several active accounts have this e-mail address; the sender is ambiguous."
    return "Unknown sender: no active account has this e-mail address."


def _create_end_user(address: str, name: str):
    User = get_user_model()
    user = User(username=_free_username(address), email=address, first_name=name[:150])
    user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # The same unknown sender's other message created the account a moment ago.
        return User.objects.filter(is_active=True, email__iexact=address).first()
    logger.info("Created an end-user account for %s from an e-mail.", address)
    return user


def _free_username(address: str) -> str:
    base = address.lower()[:140]
    taken = set(
        get_user_model()
        .objects.filter(username__startswith=base)
        .values_list("username", flat=True)
    )
    candidates = (base if n == 1 else f"{base}-{n}" for n in range(1, len(taken) + 2))
    return next(name for name in candidates if name not in taken)


def target_incident(parsed: ParsedMessage, user) -> Incident | None:
    """The first incident named in the subject (else in the thread headers of our own
    notifications) that the sender may see. Naming someone else's incident gains nothing."""
    numbers = [n.upper() for n in SUBJECT_NUMBER.findall(parsed.subject)]
    suffix = f"@{mail_domain()}>".lower()
    for reference in parsed.references:
        local = reference[1:].split("@")[0].upper()
        if reference.lower().endswith(suffix) and re.fullmatch(NUMBER_PATTERN, local):
            numbers.append(local)
    if not numbers:
        return None
    visible = {
        incident.number: incident
        for incident in Incident.objects.visible_to(user).filter(number__in=numbers)
    }
    found = next((visible[n] for n in numbers if n in visible), None)
    return _follow_merge(found, user) if found is not None else None


def _follow_merge(incident: Incident, user) -> Incident:
    """A reply about a duplicate goes to the incident it was merged into (its reporter and
    watchers were made watchers there), when the sender may see that one."""
    if incident.duplicate_of_id is None:
        return incident
    primary = Incident.objects.visible_to(user).filter(pk=incident.duplicate_of_id).first()
    return primary or incident


def screen_attachments(parsed: ParsedMessage) -> tuple[list, list[str]]:
    """Split the message's files into uploads the one validator accepts and the reasons the
    others were refused; a refused file never costs the message itself."""
    accepted, refused = [], []
    for attachment in parsed.attachments:
        upload = SimpleUploadedFile(
            attachment.filename, attachment.content, content_type=attachment.content_type
        )
        try:
            validate_upload(upload)
        except AttachmentRejected as exc:
            refused.append(f"{attachment.filename}: {exc.message}")
        else:
            accepted.append(upload)
    return accepted, refused


def compose(body: str, refused: list[str], accepted: list) -> str:
    """The text of the incident or comment: the message, shortened if huge, followed by a
    note of each refused file so the sender and the service desk both see it."""
    text = body.strip()
    if len(text) > BODY_MAX:
        text = text[:BODY_MAX].rstrip() + "\n\n(The e-mail was shortened.)"
    if not text and accepted:
        text = "Files sent by e-mail: " + ", ".join(upload.name for upload in accepted)
    notes = [f"Attachment not accepted: {reason}" for reason in refused]
    return "\n\n".join(part for part in [text, "\n".join(notes)] if part)


def title_from(parsed: ParsedMessage) -> str:
    """The subject without reply prefixes or incident tags; else the first line of text."""
    title = REPLY_PREFIX.sub("", SUBJECT_NUMBER.sub(" ", parsed.subject))
    title = " ".join(REPLY_PREFIX.sub("", " ".join(title.split())).split())
    if not title:
        first_line = next((line for line in parsed.body.splitlines() if line.strip()), "")
        title = " ".join(first_line.split()) or "(no subject)"
    return title[:TITLE_MAX]
