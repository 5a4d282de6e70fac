"""The questionnaire's pure rules: validation and normalisation, the steps per role and age
group, the next-step rule, the resume point and Back."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.domain import ConsentKind, QuestionKind, Role
from services.questionnaire import (
    AgeGroup,
    Input,
    InvalidAnswer,
    check_age_group,
    check_birth_date,
    check_presentation,
    group_of,
    groups_for,
    narrow,
    next_step,
    normalize_email,
    normalize_leader_id,
    normalize_meo,
    normalize_name,
    normalize_phone,
    parse_date,
    parse_grade,
    previous_step,
    resume_point,
    steps_for,
)
from services.seasons import ConsentTextInfo, QuestionInfo, SeasonConfig

CONFIG = SeasonConfig(
    season_id=1,
    code="t",
    name="T",
    timezone="Asia/Tomsk",
    opens=None,
    closes=None,
    revision=1,
    student_ages=(13, 17),
    tutor_ages=(18, None),
    representative_only_under=14,
    adult_age=18,
    consent_texts={ConsentKind.APPLICANT: ConsentTextInfo(1, "1", "text")},
    municipalities=((1, "Томск"), (2, "Томский район"), (3, "Северск"), (4, "Зырянский район")),
    ideas=(),
    questions=(
        QuestionInfo("why", QuestionKind.TEXT, "Почему?", 10, 100),
        QuestionInfo("team", QuestionKind.SCALE, "Команда?", None, None),
    ),
)
# 2026-09-01 01:30 in Tomsk (UTC+7) is still 31 August in UTC: the season's zone decides.
NOW = datetime(2026, 8, 31, 18, 30, tzinfo=UTC)


def _problem(call, *args, **kwargs) -> tuple[str, dict[str, object]]:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidAnswer) as caught:
        call(*args, **kwargs)
    return caught.value.key, caught.value.args_for_text


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("+7 900 123-45-67", "+79001234567"),
        ("8 (913) 555-44-33", "+79135554433"),
        ("9135554433", "+79135554433"),
        ("7-382-2-52-10-10", "+73822521010"),
    ],
)
def test_phone_is_normalised_to_plus_seven(typed: str, expected: str) -> None:
    assert normalize_phone(typed) == expected


@pytest.mark.parametrize("typed", ["12345", "+1 202 555 0100", "телефон", "+7 100 123 45 67"])
def test_bad_phones_are_refused(typed: str) -> None:
    assert _problem(normalize_phone, typed)[0] == "apply-bad-phone"


def test_dates_parse_and_refuse_with_specific_reasons() -> None:
    assert parse_date("01.09.2011").isoformat() == "2011-09-01"
    assert parse_date("1/9/2011").isoformat() == "2011-09-01"
    assert _problem(parse_date, "2011-09-01")[0] == "apply-bad-date"
    assert _problem(parse_date, "31.02.2011")[0] == "apply-bad-date-value"


def test_age_is_counted_on_the_application_day_in_the_season_zone() -> None:
    # Turns 13 on 1 September: in Tomsk it is already 1 September, so the 13-year-old passes.
    assert check_birth_date("01.09.2013", CONFIG, Role.STUDENT, NOW).isoformat() == "2013-09-01"
    key, args = _problem(check_birth_date, "02.09.2013", CONFIG, Role.STUDENT, NOW)
    assert key == "apply-age-refused" and args == {
        "role": "student",
        "age": 12,
        "low": 13,
        "high": 17,
    }
    key, args = _problem(check_birth_date, "01.05.2008", CONFIG, Role.STUDENT, NOW)
    assert args["age"] == 18 and args["high"] == 17
    key, args = _problem(check_birth_date, "01.05.2010", CONFIG, Role.TUTOR, NOW)
    assert key == "apply-age-refused" and args["low"] == 18 and args["high"] == "none"
    assert _problem(check_birth_date, "02.09.2026", CONFIG, Role.TUTOR, NOW)[0] == (
        "apply-date-future"
    )


def test_names_email_leader_id_meo_grade() -> None:
    assert normalize_name("  иванова   Мария  Петровна ") == "иванова Мария Петровна"
    assert normalize_name("Jean-Luc O'Neil") == "Jean-Luc O'Neil"
    assert _problem(normalize_name, "Маша")[0] == "apply-bad-name"
    assert _problem(normalize_name, "Маша 123")[0] == "apply-bad-name"
    assert normalize_email("Petr@Example.RU") == "Petr@example.ru"
    assert _problem(normalize_email, "petr@")[0] == "apply-bad-email"
    assert normalize_leader_id("https://leader-id.ru/users/123456/") == "123456"
    assert normalize_leader_id("777") == "777"
    assert _problem(normalize_leader_id, "leader-id.ru/events/1")[0] == "apply-bad-leader-id"
    assert normalize_meo("petr.ivanov") == "petr.ivanov"
    assert _problem(normalize_meo, "пётр")[0] == "apply-bad-meo"
    assert parse_grade("9 класс", Role.STUDENT, "school") == 9
    assert _problem(parse_grade, "9", Role.STUDENT, "college") == (
        "apply-bad-grade",
        {"kind": "college", "low": 1, "high": 4},
    )


def test_presentation_kinds_and_limits() -> None:
    video = check_presentation(Input("video", file_id="F", file_size=10 * 2**20, duration=60))
    assert (video.kind, video.file_id, video.file_size) == ("video", "F", 10 * 2**20)
    assert check_presentation(Input("text", text="Я " * 40)).text == ("Я " * 40).strip()
    key, args = _problem(
        check_presentation, Input("video", file_id="F", file_size=80 * 2**20, duration=60)
    )
    assert key == "apply-media-too-big" and args["limit"] == 50 and args["size"] == 80.0
    assert _problem(check_presentation, Input("voice", file_id="F", duration=400))[0] == (
        "apply-media-too-long"
    )
    assert (
        _problem(check_presentation, Input("document", file_id="F", mime_type="application/zip"))[0]
        == "apply-document-unsupported"
    )
    assert _problem(check_presentation, Input("sticker"))[0] == "apply-bad-sticker"
    assert _problem(check_presentation, Input("other"))[0] == "apply-media-unsupported"
    assert _problem(check_presentation, Input("text", text="коротко"))[0] == (
        "apply-text-too-short"
    )


def test_typed_letters_narrow_the_municipalities() -> None:
    assert narrow(CONFIG.municipalities, "том") == [(1, "Томск"), (2, "Томский район")]
    assert narrow(CONFIG.municipalities, "зыр") == [(4, "Зырянский район")]
    assert narrow(CONFIG.municipalities, "район") == [(2, "Томский район"), (4, "Зырянский район")]
    assert narrow(CONFIG.municipalities, "москва") == []


def test_steps_depend_on_the_role_and_the_age_group() -> None:
    def codes(role: Role, group: str | None = None) -> list[str]:
        return [
            step.code for step in steps_for(CONFIG, role, {"age_group": group} if group else {})
        ]

    unknown, child, teen = (
        codes(Role.STUDENT),
        codes(Role.STUDENT, "child"),
        codes(Role.STUDENT, "teen"),
    )
    tutor = codes(Role.TUTOR)
    # Before the age group is known the longest path counts the steps.
    assert unknown == teen
    assert teen[:5] == ["role", "age_group", "consent", "parent", "birth_date"]
    # Under 14 only the parent consents, and nothing else is asked before it; an adult tutor is
    # never asked for a parent.
    assert child[:4] == ["role", "age_group", "parent", "birth_date"]
    assert tutor[:3] == ["role", "consent", "birth_date"]
    assert "parent" not in tutor and "edu_type" not in tutor and "age_group" not in tutor
    assert teen[-3:] == ["q-why", "q-team", "ideas"]
    assert len(teen) == 19 and len(child) == 18 and len(tutor) == 16
    # Under 14 the parent's step must be answered (by the parent) before anything else; from 14
    # it may be left for now.
    parent = {step.code: step for step in steps_for(CONFIG, Role.STUDENT, {"age_group": "child"})}
    assert not parent["parent"].optional
    assert {step.code: step for step in steps_for(CONFIG, Role.STUDENT, {"age_group": "teen"})}[
        "parent"
    ].optional
    # An answer outside the role's groups does not shape the path.
    assert codes(Role.STUDENT, "adult") == teen


def test_age_groups_follow_the_seasons_thresholds() -> None:
    assert [group_of(CONFIG, age) for age in (13, 14, 17, 18)] == [
        AgeGroup.CHILD, AgeGroup.TEEN, AgeGroup.TEEN, AgeGroup.ADULT,
    ]  # fmt: skip
    assert groups_for(CONFIG, Role.STUDENT) == (AgeGroup.CHILD, AgeGroup.TEEN)
    assert groups_for(CONFIG, Role.TUTOR) == (AgeGroup.ADULT,)
    assert check_age_group("teen", CONFIG, Role.STUDENT) is AgeGroup.TEEN
    key, args = _problem(check_age_group, "adult", CONFIG, Role.STUDENT)
    assert key == "apply-age-group-refused" and args == {"role": "student", "low": 13, "high": 17}


def test_the_birth_date_must_fall_in_the_age_group_the_consents_were_asked_for() -> None:
    assert check_birth_date("01.01.2013", CONFIG, Role.STUDENT, NOW, AgeGroup.CHILD).year == 2013
    key, args = _problem(check_birth_date, "01.01.2011", CONFIG, Role.STUDENT, NOW, AgeGroup.CHILD)
    assert key == "apply-age-group-mismatch"
    assert args == {"age": 15, "group": "child", "under": 14, "top": 17, "adult": 18}
    # Out of the role's range is said first: that refusal names the range.
    assert _problem(check_birth_date, "01.01.2007", CONFIG, Role.STUDENT, NOW, AgeGroup.TEEN)[
        0
    ] == ("apply-age-refused")


def test_next_step_resume_point_and_back() -> None:
    steps = steps_for(CONFIG, Role.TUTOR)
    answers: dict[str, str | None] = {"role": "tutor", "consent": "1", "birth_date": "2000-01-01"}
    assert resume_point(steps, answers).code == "full_name"  # type: ignore[union-attr]
    # Going back and re-answering an earlier step continues at the first unanswered one.
    assert next_step(steps, answers, "birth_date").code == "full_name"  # type: ignore[union-attr]
    answers["municipality"] = "1"
    assert next_step(steps, answers, "birth_date").code == "full_name"  # type: ignore[union-attr]
    # Back steps over a given consent to the role: every step after the role has Back.
    assert previous_step(steps, answers, "birth_date").code == "role"  # type: ignore[union-attr]
    assert previous_step(steps, answers, "municipality").code == "full_name"  # type: ignore[union-attr]
    assert previous_step(steps, {"role": "tutor"}, "consent").code == "role"  # type: ignore[union-attr]
    assert previous_step(steps, answers, "role") is None
    student = steps_for(CONFIG, Role.STUDENT, {"age_group": "teen"})
    given: dict[str, str | None] = {
        "role": "student", "age_group": "teen", "consent": "1", "parent": "1",
    }  # fmt: skip
    assert previous_step(student, given, "birth_date").code == "age_group"  # type: ignore[union-attr]
    # Left for later, the parent's step is returned to until the parent confirms.
    given["parent"] = None
    assert previous_step(student, given, "birth_date").code == "parent"  # type: ignore[union-attr]
    everything = {step.code: "x" for step in steps}
    assert resume_point(steps, everything) is None
