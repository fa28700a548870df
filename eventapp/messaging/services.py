"""Writing to a group: the draft's rules, the preview, sending through the outbox, reusable templates."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from eventapp.audit.services import record
from eventapp.countries import language_of
from eventapp.extensions import db
from eventapp.i18n.locales import LANGUAGES
from eventapp.i18n.translated import translated
from eventapp.mail.services import queue_email
from eventapp.messaging.audience import Audience, recipients
from eventapp.models import (
    GroupMessage,
    MailStatus,
    Meeting,
    MessageRecipient,
    MessageTemplate,
    OutboxMessage,
    Registration,
    User,
)
from eventapp.models.messaging import Versions
from eventapp.registration.notifications import external_url
from eventapp.registration.tokens import make_manage_token
from eventapp.web.formatting import format_date_range
from eventapp.web.text import text_problem

SUBJECT_LIMIT = 200
BODY_LIMIT = 20_000
#: What a message may say about each person; anything else in braces is left as typed.
PLACEHOLDERS = re.compile(r"\{(name|meeting|dates|venue|link)\}")


class MessageError(Exception):
    """A rule the draft breaks, shown next to `field`."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class AudienceChanged(Exception):
    """The group is not the one the host previewed (someone registered, withdrew or arrived)."""

    def __init__(self, count: int) -> None:
        super().__init__(count)
        self.count = count


@dataclass(frozen=True)
class Draft:
    """A message as the host wrote it: its versions by language and the group it is for."""

    default_locale: str
    versions: Versions
    audience: Audience

    def language_for(self, registration: Registration) -> str:
        """The person's own language when the host wrote a version in it, else the default."""
        language = language_of(registration.locale)
        return language if language in self.versions else self.default_locale


def clean_draft(default_locale: str, texts: Mapping[str, tuple[str, str]], audience: Audience) -> Draft:
    """Check the rules of a draft and return it; raise MessageError naming the field at fault."""
    if default_locale not in LANGUAGES:
        raise MessageError(_("Choose one of the six languages."), field="default_locale")
    if not audience.statuses:
        raise MessageError(_("Choose at least one status."), field="statuses")
    versions: Versions = {}
    for language in LANGUAGES:
        subject, body = texts.get(language) or ("", "")
        subject, body = " ".join(subject.split()), body.strip()
        if not subject and not body:
            continue
        if not subject:
            raise MessageError(_("Give this version a subject, or clear its text."), field=f"subject_{language}")
        if not body:
            raise MessageError(_("Write this version's text, or clear its subject."), field=f"body_{language}")
        for name, value, limit in (("subject", subject, SUBJECT_LIMIT), ("body", body, BODY_LIMIT)):
            if len(value) > limit:
                raise MessageError(_("Keep this under %(limit)d characters.", limit=limit), field=f"{name}_{language}")
        for name, value, multiline in (("subject", subject, False), ("body", body, True)):
            if problem := text_problem(value, multiline=multiline):
                raise MessageError(problem, field=f"{name}_{language}")
        versions[language] = {"subject": subject, "body": body}
    if default_locale not in versions:
        raise MessageError(
            _("Write the version in the default language: it goes to everyone without one in their own."),
            field=f"subject_{default_locale}",
        )
    return Draft(default_locale, versions, audience)


@dataclass
class Sample:
    """The email as one person of the group reads it."""

    name: str
    subject: str
    body: str


@dataclass
class Preview:
    people: list[Registration]
    #: How many people read each language, the default's count included.
    by_language: dict[str, int]
    #: Language -> the email of the first person who reads it.
    samples: dict[str, Sample]

    @property
    def count(self) -> int:
        return len(self.people)

    @property
    def key(self) -> str:
        return group_key(self.people)


def group_key(people: list[Registration]) -> str:
    """Who the group holds, in short: sending checks it is still who the host previewed, not just as many."""
    digest = hashlib.sha256(",".join(str(person.id) for person in people).encode()).hexdigest()[:16]
    return f"{len(people)}-{digest}"


def preview(meeting: Meeting, draft: Draft) -> Preview:
    people = recipients(meeting, draft.audience)
    counts: Counter[str] = Counter()
    samples: dict[str, Sample] = {}
    for person in people:
        language = draft.language_for(person)
        counts[language] += 1
        if language not in samples:
            _, subject, body = personal_email(meeting, draft, person)
            samples[language] = Sample(person.full_name, subject, body)
    ordered = [language for language in LANGUAGES if counts[language]]
    return Preview(people, {lang: counts[lang] for lang in ordered}, {lang: samples[lang] for lang in ordered})


def _fill(text: str, values: Mapping[str, str]) -> str:
    return PLACEHOLDERS.sub(lambda match: values[match.group(1)], text)


def personal_email(meeting: Meeting, draft: Draft, registration: Registration) -> tuple[str, str, str]:
    """(language, subject, body) of the message as this person receives it."""
    language = draft.language_for(registration)
    version = draft.versions[language]
    link = external_url("registration.manage", token=make_manage_token(registration))
    with force_locale(language):
        title = translated(meeting.title, meeting.title_translations, language)
        values = {
            "name": registration.full_name,
            "meeting": title,
            "dates": format_date_range(meeting.starts_on, meeting.ends_on, language),
            "venue": ", ".join(part for part in (meeting.venue, meeting.city) if part),
            "link": link,
        }
        footer = _(
            "You receive this message as a participant of %(meeting)s. Your registration: %(link)s",
            meeting=title,
            link=link,
        )
    subject = " ".join(_fill(version["subject"], values).split())[:300]
    body = f"{_fill(version['body'], values)}\n\n-- \n{footer}\n"
    return language, subject, body


def new_send_token() -> str:
    """Given with each preview; the message sent from it carries it (see `send_message`)."""
    return secrets.token_urlsafe(32)


def _sent_with(meeting: Meeting, send_token: str | None) -> GroupMessage | None:
    if not send_token:
        return None
    query = select(GroupMessage).where(GroupMessage.meeting_id == meeting.id, GroupMessage.send_token == send_token)
    return db.session.scalar(query)


def send_message(
    meeting: Meeting, draft: Draft, *, by: User, expected: str, send_token: str | None = None
) -> GroupMessage:
    """Queue one email per person of the group in one transaction; the outbox delivers after the commit.

    `expected` is the key of the group the host previewed (`group_key`): a group that changed since is not sent.
    The preview's `send_token` sent again (a double click, a resubmitted form) returns the message already sent.
    """
    send_token = (send_token or "").strip()[:43] or None
    if sent := _sent_with(meeting, send_token):
        return sent
    people = recipients(meeting, draft.audience)
    if not people:
        raise MessageError(_("Nobody is in this group: change the filters."), field="statuses")
    if expected != group_key(people):
        raise AudienceChanged(len(people))
    message = GroupMessage(
        meeting_id=meeting.id,
        sent_by_id=by.id,
        default_locale=draft.default_locale,
        versions=draft.versions,
        audience=draft.audience.as_data(),
        recipient_count=len(people),
        send_token=send_token,
    )
    db.session.add(message)
    for person in people:
        language, subject, body = personal_email(meeting, draft, person)
        email = queue_email(person.email, subject, body, meeting_id=meeting.id, registration_id=person.id)
        message.recipients.append(
            MessageRecipient(
                registration=person, name=person.full_name, email=person.email, locale=language, outbox_message=email
            )
        )
    try:
        record(
            "message.sent",
            message,
            actor=by,
            meeting_id=meeting.id,
            details={"recipients": len(people), "subject": message.subject, "languages": sorted(draft.versions)},
        )
        db.session.commit()
    except IntegrityError:
        # The same preview sent at the same moment by another request: theirs is the message.
        db.session.rollback()
        if sent := _sent_with(meeting, send_token):
            return sent
        raise
    return message


@dataclass
class SentSummary:
    message: GroupMessage
    failed: int
    waiting: int


def sent_messages(meeting: Meeting) -> list[SentSummary]:
    """The meeting's messages, newest first, with how many emails failed or still wait (one grouped query)."""
    messages = list(
        db.session.scalars(
            select(GroupMessage)
            .where(GroupMessage.meeting_id == meeting.id)
            .options(selectinload(GroupMessage.sent_by))
            .order_by(GroupMessage.sent_at.desc(), GroupMessage.id.desc())
        )
    )
    counts = db.session.execute(
        select(MessageRecipient.message_id, OutboxMessage.status, func.count())
        .join(OutboxMessage, OutboxMessage.id == MessageRecipient.outbox_message_id)
        .where(MessageRecipient.message_id.in_([m.id for m in messages]))
        .group_by(MessageRecipient.message_id, OutboxMessage.status)
    ).tuples()
    failed: Counter[int] = Counter()
    waiting: Counter[int] = Counter()
    for message_id, status, n in counts:
        if status == MailStatus.FAILED:
            failed[message_id] += n
        elif status == MailStatus.QUEUED:
            waiting[message_id] += n
    return [SentSummary(m, failed[m.id], waiting[m.id]) for m in messages]


def get_sent(meeting: Meeting, message_id: int) -> GroupMessage | None:
    """One message of this meeting with its recipients and their emails."""
    return db.session.scalar(
        select(GroupMessage)
        .where(GroupMessage.id == message_id, GroupMessage.meeting_id == meeting.id)
        .options(
            selectinload(GroupMessage.recipients).selectinload(MessageRecipient.outbox_message),
            selectinload(GroupMessage.sent_by),
        )
    )


def templates() -> list[MessageTemplate]:
    return list(db.session.scalars(select(MessageTemplate).order_by(func.lower(MessageTemplate.name))))


def save_template(name: str, draft: Draft, *, by: User) -> MessageTemplate:
    """Keep the draft's texts under `name` for any meeting; a template of that name is replaced."""
    name = " ".join(name.split())
    if not name:
        raise MessageError(_("Name the template to keep it."), field="template_name")
    if len(name) > 120:
        raise MessageError(_("Keep this under %(limit)d characters.", limit=120), field="template_name")
    template = db.session.scalar(select(MessageTemplate).where(MessageTemplate.name == name))
    if template is None:
        template = MessageTemplate(name=name)
        db.session.add(template)
    template.default_locale = draft.default_locale
    template.versions = draft.versions
    template.saved_by_id = by.id
    db.session.commit()
    return template


def delete_template(template: MessageTemplate) -> None:
    db.session.delete(template)
    db.session.commit()
