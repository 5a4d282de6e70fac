"""Withdrawing consent erases the person's data from every table and from Redis.

A student applies through the real Dispatcher; the mentors of the ranked ideas are told, one
opens the card (the self-presentation is re-sent to them), reviewers score and comment. Then a
distinct value is seeded in every column that can hold the person's data (`PERSONAL`), for rows
that are theirs or about them: their plan, a report, drafts, a booking, messages to and about
them, audit details, the conversation state in Redis. The student withdraws consent by
/privacy's buttons, and every text and JSON column of every table, and every Redis key and value
of this test's bot, is searched for each seeded value and for each answer they typed: none is
left.

The scan reads the tables from the metadata, so a column added later is searched without
touching this test; `test_every_text_column_is_classified_for_erasure` makes whoever adds one
decide whether it is personal (then it is seeded here, or the seeding check fails) or not.
What is kept on purpose — the consent records (who gave consent, for whom, when, which text) —
is left out of the seeded values by design: see `NOT_PERSONAL`.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.base import StorageKey
from aiogram.methods import DeleteMessage
from redis.asyncio import Redis
from sqlalchemy import select, update

from services.actions import ApplyVerb
from services.clock import FixedClock
from services.container import ServiceConfig, Services
from services.domain import (
    BookingStatus,
    ConsentKind,
    DefenceStatus,
    Messenger,
    OutboxStatus,
    Recommendation,
    ReviewStatus,
    Role,
    SlotKind,
    TaskKind,
    TaskStatus,
    TeamRole,
)
from services.i18n import Texts
from services.notify import OutboxNotifier
from services.privacy import application_subject
from storage.models import (
    Answer,
    AssignDraft,
    Booking,
    Certificate,
    Consent,
    DefenceSession,
    Invitation,
    OutgoingMessage,
    PlanTask,
    Reminder,
    ReserveNomination,
    RoadmapStage,
    SelectionCriterion,
    Site,
    Slot,
    SlotDraft,
    Team,
    TeamMember,
)
from tests.applicants import cd, fill_to_review
from tests.conftest import REDIS_URL
from tests.databases import ON_BOTH_DATABASES
from tests.dispatcher.harness import Harness, build_harness
from tests.erasure_scan import as_text, table_hits, text_columns
from tests.selection_world import MENTOR_A, MENTOR_B, build_world, identity
from tests.texts import fragment, said

pytestmark = pytest.mark.redis

STUDENT = 9301
SALT = "7f3a"

# Every text or JSON column that can hold a person's data: each is seeded with `_marker(...)`.
PERSONAL = {
    ("people", "full_name"),
    ("people", "username"),
    ("application_answers", "value"),
    ("presentation_media", "file_id"),
    ("presentation_media", "file_unique_id"),
    ("presentation_media", "text"),
    ("paper_consents", "file_id"),
    ("consents", "representative_phone"),
    ("review_notes", "comment"),
    ("outgoing_messages", "payload"),
    ("audit_log", "details"),
    ("plan_tasks", "title"),
    ("plan_tasks", "description"),
    ("plan_tasks", "link"),
    ("plan_tasks", "evidence_text"),
    ("plan_tasks", "evidence_file_id"),
    ("plan_tasks", "return_comment"),
    ("plan_assign_drafts", "data"),
    ("slot_drafts", "data"),
    ("roadmap_stages", "report_text"),
    ("roadmap_stages", "report_file_id"),
    ("roadmap_stages", "return_comment"),
    ("team_members", "invite_link"),
    ("invitations", "label"),
    ("survey_answers", "value"),
    ("certificates", "code"),
    ("reserve_nominations", "reason"),
    ("defence_comments", "text"),
}

# Every other text or JSON column, by why it holds nothing of a person that erasure must take.
NOT_PERSONAL: dict[str, set[tuple[str, str]]] = {
    # Kept on purpose, as the proof of what was agreed: who gave consent (the applicant, or a
    # representative by name and relation), for whom, when, under which text.
    "the consent record": {
        ("consents", "kind"),
        ("consents", "text_version"),
        ("consents", "representative_name"),
        ("consents", "representative_relation"),
        # which account the parent confirmed from (services/applications/parents.py)
        ("consents", "parent_messenger"),
    },
    # The office's own broadcast (its text is the staff's, to many people; the spec holds ids
    # and the name of a municipality, idea or team; the report holds counts).
    "a broadcast the office wrote": {
        ("broadcasts", "spec"),
        ("broadcasts", "text"),
        ("broadcasts", "media_kind"),
        ("broadcasts", "media_file_id"),
        ("broadcasts", "media_messenger"),
        ("broadcasts", "status"),
        ("broadcasts", "progress_messenger"),
        ("broadcasts", "progress_shown"),
        ("broadcasts", "report"),
    },
    # An event the office described (its title, places and agenda are the staff's); the
    # person's answers and check-ins are deleted (services/privacy.py).
    "an event the office wrote": {
        ("events", "title"),
        ("events", "place"),
        ("event_items", "title"),
        ("event_items", "place"),
    },
    "a code from a fixed set, or a key built from ids": {
        ("event_invitations", "answer"),
        ("event_checkins", "how"),
        ("event_codes", "code_hash"),
        ("people", "language"),
        ("people", "preferred_messenger"),
        ("accounts", "messenger"),
        ("link_codes", "messenger"),
        ("parent_links", "parent_messenger"),
        ("paper_consents", "messenger"),
        ("paper_consents", "file_kind"),
        ("paper_consents", "status"),
        ("survey_answers", "wave"),
        ("survey_answers", "question"),
        ("survey_waves", "wave"),
        ("outgoing_messages", "messenger"),
        ("teams", "chat_messenger"),
        ("applications", "role"),
        ("applications", "status"),
        ("application_answers", "step"),
        ("audit_log", "action"),
        ("audit_log", "object_type"),
        ("access_audit", "kind"),
        ("bookings", "status"),
        ("bookings", "attendance"),
        ("consent_texts", "kind"),
        ("invitations", "role"),
        ("motivation_questions", "kind"),
        ("outgoing_messages", "kind"),
        ("outgoing_messages", "dedupe_key"),
        ("outgoing_messages", "subject"),
        ("outgoing_messages", "status"),
        ("plan_assign_drafts", "step"),
        ("plan_tasks", "kind"),
        ("plan_tasks", "status"),
        ("plan_tasks", "evidence_kind"),
        ("presentation_media", "kind"),
        ("presentation_media", "mime_type"),
        ("project_passports", "status"),
        ("reminders", "kind"),
        ("reminders", "status"),
        ("reminders", "dedupe_key"),
        ("review_notes", "recommendation"),
        ("roadmap_stages", "status"),
        ("roadmap_stages", "report_kind"),
        ("role_grants", "role"),
        ("selection_decisions", "decision"),
        ("slot_drafts", "step"),
        ("slots", "kind"),
        ("slots", "status"),
        ("team_members", "role"),
        ("team_members", "chat_state"),
    },
    # The office's defence setup (a session's code, place and state; the season's criteria).
    "the defence's configuration, loaded by the office": {
        ("defence_sessions", "code"),
        ("defence_sessions", "place"),
        ("defence_sessions", "status"),
        ("defence_criteria", "code"),
        ("defence_criteria", "title"),
        # the team's final presentation: the team's work, a messenger's file id (no content)
        ("defence_presentations", "file_id"),
        ("defence_presentations", "messenger"),
    },
    "generated by the bot": {
        ("applications", "number"),
        # a hash of a one-time code, useless once used or expired; erasure drops them anyway
        ("link_codes", "code_hash"),
        # the same for a parent's link; erasure drops the unused ones, a used one is the proof
        ("parent_links", "code_hash"),
        ("invitations", "code"),
        ("season_settings", "stamp"),
        ("teams", "code"),
    },
    "Telegram's answer to a delivery (a status line, never the message)": {
        ("outgoing_messages", "error"),
    },
    "the season's configuration, loaded by the office": {
        ("seasons", "code"),
        ("seasons", "name"),
        ("seasons", "region"),
        ("seasons", "timezone"),
        ("consent_texts", "version"),
        ("consent_texts", "text"),
        ("directions", "code"),
        ("directions", "title"),
        ("motivation_questions", "code"),
        ("motivation_questions", "text"),
        ("municipalities", "name"),
        ("project_ideas", "code"),
        ("project_ideas", "title"),
        ("project_ideas", "short_description"),
        ("project_ideas", "description"),
        ("project_ideas", "mentor_label"),
        ("selection_criteria", "code"),
        ("selection_criteria", "title"),
        ("plan_settings", "before_days"),
        ("sites", "code"),
        ("sites", "organisation"),
        ("sites", "address"),
        ("sites", "direction"),
        ("slots", "requirements"),
        ("slots", "directions"),
    },
    # A team's documents describe its project, written for the team, not about one person.
    "the team's project": {
        ("teams", "name"),
        ("teams", "chat_title"),
        ("teams", "source_key"),
        ("project_passports", "goal"),
        ("project_passports", "tasks"),
        ("project_passports", "results"),
        ("project_passports", "resources"),
        ("project_passports", "return_comment"),
        ("roadmap_stages", "title"),
    },
}

# Answers that are choices or codes shared with other rows (and the representative's name and
# relation, which the consent record keeps): not searched for. Every other answer the student
# typed is.
CHOICE_STEPS = {
    "role", "consent", "rep_consent", "rep_name", "rep_relation", "municipality", "edu_type",
    "grade", "presentation", "ideas",
}  # fmt: skip


def _marker(table: str, column: str, detail: str = "") -> str:
    """A value of its own per column, short enough for the narrowest (a phone's 16 characters);
    a failure names the table and column where it was found."""
    digest = hashlib.sha1(f"{table}.{column}".encode()).hexdigest()[:6]
    return f"ERASE{SALT}{digest}" + (f"/{detail}" if detail else "")


def test_every_text_column_is_classified_for_erasure() -> None:
    """A new column that can carry text is either seeded and erased, or said not to be personal."""
    columns = {(table.name, column.name) for table, column in text_columns()}
    not_personal = set().union(*NOT_PERSONAL.values())
    assert PERSONAL.isdisjoint(not_personal)
    assert columns - PERSONAL - not_personal == set(), "classify these columns"
    assert (PERSONAL | not_personal) - columns == set(), "these columns are gone"


@pytest.fixture
async def harness(
    db_url: str, clock: FixedClock, bot_token: str, redis: Redis
) -> AsyncIterator[Harness]:
    harness = build_harness(
        db_url, clock, bot_token, redis_url=REDIS_URL, throttle_rate_per_second=10_000
    )
    yield harness
    await harness.app.engine.dispose()
    await harness.app.redis.aclose()  # type: ignore[union-attr]
    keys = [key async for key in redis.scan_iter(f"*{harness.app.bot.id}*")]
    if keys:
        await redis.delete(*keys)


@ON_BOTH_DATABASES  # the sender, retraction and erasure paths on PG
async def test_withdrawing_consent_leaves_no_personal_value_in_any_table_or_in_redis(
    harness: Harness, clock: FixedClock, redis: Redis
) -> None:
    factory = harness.app.uow_factory
    world = await build_world(factory, clock)
    app = await fill_to_review(harness, STUDENT)  # ranks space-sat (mentor B), peat-monitor (A)
    async with factory() as uow:
        student = await identity(uow, STUDENT)
        await uow.applications.save_media(
            app, clock.now(), kind="video", mime_type="video/mp4",
            file_id=_marker("presentation_media", "file_id"),
            file_unique_id=_marker("presentation_media", "file_unique_id"),
            text=_marker("presentation_media", "text"),
        )  # fmt: skip
        await uow.commit()
    await harness.press(STUDENT, cd(ApplyVerb.SUBMIT, app))  # the mentors' notices
    async with factory() as uow:  # mentor A opens the card: the video is re-sent to them
        mentor = await identity(uow, MENTOR_A)
        await Services(uow, clock, Texts(), ServiceConfig()).selection.open_card(mentor, app)
    subjects = await _seed_everything(harness, clock, world.people, app, student.person_id)
    await harness.deliver()
    async with factory() as uow:  # queued after delivery: must never be sent
        await OutboxNotifier(uow.outbox, clock).send_text(
            MENTOR_B, _marker("outgoing_messages", "payload", "pending"),
            subject=application_subject(app),
        )  # fmt: skip
        await uow.commit()
    fsm = FSMContext(
        harness.app.dp.storage,
        StorageKey(bot_id=harness.app.bot.id, chat_id=STUDENT, user_id=STUDENT),
    )
    await fsm.set_state("apply:step")
    await fsm.set_data({"typed": _marker("redis", "fsm-data")})

    async with factory() as uow:  # the access audit saw mentor A open the card and the video
        about = [r.kind.value for r in await uow.access_audit.about(student.person_id)]
    assert about == ["card", "media"]
    needles = await _needles(harness, app)
    before = await _hits(harness, redis, needles)
    seeded = {(t, c) for t, c, needle in before if needle == _marker(t, c)}
    assert PERSONAL - seeded == set(), "every personal column holds its seeded value"
    assert {needle for *_, needle in before} == needles, "every value is found before erasure"
    sent_about = await _sent_about(harness, subjects)
    assert len(sent_about) == 7  # two notices, the video and card, task, booking and stage

    # Telegram refuses to delete one message (too old): its text is replaced instead.
    harness.session.errors["DeleteMessage"] = TelegramBadRequest(
        method=DeleteMessage(chat_id=MENTOR_A, message_id=1), message="message can't be deleted"
    )
    await harness.press(STUDENT, cd(ApplyVerb.ASK_WITHDRAW_CONSENT))
    await harness.press(STUDENT, cd(ApplyVerb.WITHDRAW_CONSENT))
    assert harness.session.texts_to(STUDENT)[-1].startswith(said("apply-privacy-done"))
    await harness.deliver()

    assert await _hits(harness, redis, needles) == []
    async with factory() as uow:  # who opened their data goes with it (services/privacy.py)
        assert await uow.access_audit.about(student.person_id) == []
    deleted = {(int(m.chat_id), m.message_id) for m in harness.session.of("DeleteMessage")}
    assert deleted == sent_about
    placeholder = "Участник отозвал согласие, данные удалены."
    edited = [m.text for m in harness.session.of("EditMessageText")]
    edited += [m.caption for m in harness.session.of("EditMessageCaption")]
    assert edited.count(placeholder) == 1
    pending = _marker("outgoing_messages", "payload", "pending")
    assert not any(pending in str(call.method) for call in harness.session.calls)
    async with factory() as uow:
        about = list(
            await uow.session.scalars(
                select(OutgoingMessage).where(OutgoingMessage.subject.in_(subjects))
            )
        )
        reminders = list(await uow.session.scalars(select(Reminder)))
        consents = {c.kind: c for c in await uow.session.scalars(select(Consent))}
    # An outbox row keeps the fact of delivery, not the content; the pending one was not sent.
    assert {row.status for row in about} == {OutboxStatus.SENT, OutboxStatus.FAILED}
    assert all(row.payload == {"erased": True} for row in about)
    assert reminders == []
    # Kept by design: the consent records, withdrawn.
    representative = consents[ConsentKind.REPRESENTATIVE]
    assert representative.representative_name == "Иванова Елена Сергеевна"
    assert representative.withdrawn_at is not None and not representative.valid
    await harness.send(STUDENT, "/privacy")
    kept = harness.session.texts_to(STUDENT)[-1]
    assert fragment("apply-privacy-withdrawn") in kept
    assert (
        said(
            "apply-privacy-consent-withdrawn",
            line="— Иванова Елена Сергеевна (мать)",
            withdrawn="01.09.2026 14:00",
        )
        in kept
    )


async def _seed_everything(
    harness: Harness, clock: FixedClock, people: dict[int, int], app: int, student_id: int
) -> list[str]:
    """A distinct value in every personal column, on rows of the student or about them.
    Returns the subjects of what was sent about them."""
    now = clock.now()
    m = _marker
    async with harness.app.uow_factory() as uow:
        season = await uow.seasons.current()
        assert season is not None
        mentor_a = people[MENTOR_A]
        await uow.people.set_profile(
            student_id, m("people", "full_name"), m("people", "username"), now
        )
        await uow.applications.save_answer(app, "about", m("application_answers", "value"), now)
        await uow.session.execute(
            update(Consent)
            .where(Consent.person_id == student_id, Consent.kind == ConsentKind.REPRESENTATIVE)
            .values(representative_phone=m("consents", "representative_phone"))
        )
        await uow.paper_consents.submit(  # a photo of the parent's signed paper form
            app, student_id, Messenger.TELEGRAM, m("paper_consents", "file_id"), "photo", now
        )
        await uow.survey.answer(  # a survey answer (the start wave)
            student_id, season.id, "start", "study", m("survey_answers", "value"), now
        )
        criterion = await uow.session.scalar(select(SelectionCriterion.id).limit(1))
        assert criterion is not None
        await uow.selection.upsert_score(app, mentor_a, criterion, 4, now)
        await uow.selection.set_note(
            app, mentor_a, now,
            comment=m("review_notes", "comment"), recommendation=Recommendation.ACCEPT,
        )  # fmt: skip
        team = Team(season_id=season.id, name="Команда", code="ERASE1", created_at=now)
        uow.session.add(team)
        await uow.session.flush()
        uow.session.add(
            TeamMember(
                team_id=team.id, person_id=student_id, role=TeamRole.STUDENT, joined_at=now,
                share_contact=True, invite_link=m("team_members", "invite_link"),
            )
        )  # fmt: skip
        stage = RoadmapStage(
            team_id=team.id, position=1, title="Макет", status=ReviewStatus.RETURNED,
            report_kind="document", report_text=m("roadmap_stages", "report_text"),
            report_file_id=m("roadmap_stages", "report_file_id"),
            return_comment=m("roadmap_stages", "return_comment"),
            submitted_by=student_id, submitted_at=now, created_at=now, updated_at=now,
        )  # fmt: skip
        task = PlanTask(
            season_id=season.id, student_id=student_id, team_id=team.id, kind=TaskKind.OTHER,
            title=m("plan_tasks", "title"), description=m("plan_tasks", "description"),
            link=m("plan_tasks", "link"), status=TaskStatus.RETURNED, evidence_kind="photo",
            evidence_text=m("plan_tasks", "evidence_text"),
            evidence_file_id=m("plan_tasks", "evidence_file_id"),
            return_comment=m("plan_tasks", "return_comment"), due_at=now + timedelta(days=3),
            created_at=now, updated_at=now,
        )  # fmt: skip
        site = Site(
            season_id=season.id, code="erase", organisation="АО «Завод»", address="ул. Ленина",
            direction="Промышленность", created_at=now, updated_at=now,
        )  # fmt: skip
        uow.session.add_all([stage, task, site])
        await uow.session.flush()
        slot = Slot(
            site_id=site.id, kind=SlotKind.INTERNSHIP, starts_at=now + timedelta(days=5),
            ends_at=now + timedelta(days=5, hours=4), capacity=2, seats_taken=1,
            directions=[], created_at=now, updated_at=now,
        )  # fmt: skip
        uow.session.add(slot)
        await uow.session.flush()
        booking = Booking(
            slot_id=slot.id, student_id=student_id, status=BookingStatus.CONFIRMED,
            created_at=now, updated_at=now, task_id=task.id,
        )  # fmt: skip
        uow.session.add_all(
            [
                booking,
                Reminder(
                    task_id=task.id, person_id=mentor_a, kind="escalation", due_at=now,
                    dedupe_key="erase:escalation", created_at=now,
                ),
                Reminder(
                    person_id=student_id, kind="before", due_at=now,
                    dedupe_key="erase:before", created_at=now,
                ),
                AssignDraft(
                    author_id=student_id, step="title", updated_at=now,
                    data={"title": m("plan_assign_drafts", "data")},
                ),
                SlotDraft(
                    author_id=student_id, step="text", updated_at=now,
                    data={"requirements": m("slot_drafts", "data")},
                ),
                Invitation(
                    code="erase-inv", role=Role.STUDENT, label=m("invitations", "label"),
                    created_at=now, used_at=now, used_by=student_id,
                ),
            ]
        )  # fmt: skip
        await uow.session.flush()
        await uow.audit.record(
            now, mentor_a, "selection.comment", "application", app,
            note=m("audit_log", "details", "about"),
        )  # fmt: skip
        await uow.audit.record(
            now, student_id, "plan.submit", "plan_task", task.id,
            evidence=m("audit_log", "details", "by"),
        )  # fmt: skip
        notifier = OutboxNotifier(uow.outbox, clock)
        payload = "outgoing_messages", "payload"
        await notifier.send_text(STUDENT, m(*payload, "to"), person_id=student_id)
        await notifier.send_text(MENTOR_A, m(*payload, "task"), subject=f"task:{task.id}")
        await notifier.send_media(
            MENTOR_B, "photo", m(*payload, "booking"), subject=f"booking:{booking.id}"
        )
        await notifier.send_text(MENTOR_A, m(*payload, "stage"), subject=f"stage:{stage.id}")
        subjects = [
            application_subject(app),
            f"task:{task.id}",
            f"booking:{booking.id}",
            f"stage:{stage.id}",
        ]
        uow.session.add_all([
            Certificate(person_id=student_id, season_id=season.id, issued_at=now,
                        code=m("certificates", "code"), coursework=True),
            ReserveNomination(person_id=student_id, season_id=season.id, nominated_by=mentor_a,
                              reason=m("reserve_nominations", "reason"), at=now,
                              consent_asked_at=now, consent_given_at=now),
        ])  # fmt: skip
        # The person as a juror: their comment on a team is theirs to take away.
        defence = DefenceSession(season_id=season.id, code="E", place="Зал", starts_at=now,
                                 status=DefenceStatus.OPEN)  # fmt: skip
        await uow.defence.add(defence)
        await uow.defence.upsert_comment(
            defence.id, student_id, team.id, m("defence_comments", "text"), now
        )
        await uow.commit()
    return subjects


async def _needles(harness: Harness, app: int) -> set[str]:
    """The seeded values (each column's marker is in every value seeded there), the one in the
    conversation state, and every answer the student typed."""
    needles = {_marker(t, c) for t, c in PERSONAL} | {_marker("redis", "fsm-data")}
    async with harness.app.uow_factory() as uow:
        answers = await uow.session.execute(
            select(Answer.step, Answer.value).where(Answer.application_id == app)
        )
        for step, value in answers:
            if step not in CHOICE_STEPS and value and not value.isdigit():
                needles.add(value)
    return needles


async def _hits(harness: Harness, redis: Redis, needles: set[str]) -> list[tuple[str, str, str]]:
    """(table or "redis", column or key, needle) for every needle found anywhere: every text and
    JSON column of every table, every key of this test's bot in Redis and its value."""
    hits: list[tuple[str, str, str]] = []

    def search(where: str, what: str, text: str) -> None:
        hits.extend((where, what, needle) for needle in needles if needle in text)

    async with harness.app.engine.connect() as connection:
        hits.extend(await table_hits(connection, needles))
    async for key in redis.scan_iter(f"*{harness.app.bot.id}*"):
        name = key.decode()
        search("redis", name, name)
        for value in await _redis_values(redis, key):
            search("redis", name, as_text(value))
    return hits


async def _redis_values(redis: Redis, key: bytes) -> list[Any]:
    kind = (await redis.type(key)).decode()
    if kind == "string":
        return [await redis.get(key)]
    if kind == "hash":
        return [item for pair in (await redis.hgetall(key)).items() for item in pair]
    if kind == "list":
        return list(await redis.lrange(key, 0, -1))
    if kind == "set":
        return list(await redis.smembers(key))
    if kind == "zset":
        return list(await redis.zrange(key, 0, -1))
    raise AssertionError(f"a Redis {kind} is not searched yet: add it here")


async def _sent_about(harness: Harness, subjects: list[str]) -> set[tuple[int, int]]:
    async with harness.app.uow_factory() as uow:
        rows = await uow.session.scalars(
            select(OutgoingMessage).where(
                OutgoingMessage.subject.in_(subjects), OutgoingMessage.status == OutboxStatus.SENT
            )
        )
        return {(row.chat_id, row.telegram_message_id) for row in rows if row.telegram_message_id}
