"""The one codec of button actions (services/actions.py): every action survives a round trip,
the longest payload fits Telegram's 64 bytes, and whatever encode would not write is refused in
`decode` with a reason that names what is wrong, never the values."""

from __future__ import annotations

import typing
from typing import Any

import pytest
from annotated_types import Ge, Le, Lt, MaxLen

from services.actions import (
    PAYLOAD_LIMIT,
    Action,
    ApplyAction,
    ApplyVerb,
    PlanAction,
    PlanVerb,
    RefusedPayload,
    actions,
    build,
    decode,
    encode,
)


def _widest(kind: type[Action], verb: Any) -> Action:
    """The action of `kind` whose every field takes its longest encoded form."""
    values: dict[str, Any] = {"verb": verb}
    for name, field in list(kind.model_fields.items())[1:]:
        metadata = field.metadata
        if field.annotation is int:
            low = next(m.ge for m in metadata if isinstance(m, Ge))
            high = next(
                (m.lt - 1 for m in metadata if isinstance(m, Lt)),
                next((m.le for m in metadata if isinstance(m, Le)), None),
            )
            values[name] = max(
                typing.cast(int, low), typing.cast(int, high), key=lambda n: len(str(n))
            )
        else:
            values[name] = "a" * next(m.max_length for m in metadata if isinstance(m, MaxLen))
    return kind.model_validate(values)


def _every_action() -> list[Action]:
    found = []
    for kind in actions().values():
        verbs = typing.get_args(kind.model_fields["verb"].annotation) or list(
            typing.cast(Any, kind.model_fields["verb"].annotation)
        )
        for verb in verbs:
            found += [kind.model_validate({"verb": verb}), _widest(kind, verb)]
    return found


@pytest.mark.parametrize("action", _every_action(), ids=repr)
def test_every_action_survives_a_round_trip(action: Action) -> None:
    assert decode(encode(action)) == action
    assert build(action.prefix, action.args()) == action  # as a queued message stores it


def test_the_longest_payload_of_every_action_fits_telegrams_64_bytes() -> None:
    longest = max(_every_action(), key=lambda action: len(encode(action).encode()))
    assert len(encode(longest).encode()) < PAYLOAD_LIMIT, encode(longest)


def _payload(**fields: Any) -> str:
    return encode(ApplyAction(verb=ApplyVerb.SUBMIT, application=7, **fields))


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        pytest.param("ap:1:sb:7:::0:0", "ap: stale layout", id="stale-version"),
        pytest.param("ap:sb:7::", "ap: stale layout", id="old-layout-without-version"),
        pytest.param("ap:2:zz:7:::0:0", "ap: unknown verb", id="unknown-verb"),
        pytest.param(f"ap:2:sb:{2**31}:::0:0", "ap: bad application", id="id-out-of-range"),
        pytest.param("ap:2:sb:-1:::0:0", "ap: bad application", id="negative-id"),
        pytest.param("ap:2:sb:7:::0:100", "ap: bad page", id="page-out-of-range"),
        pytest.param("ap:2:sb:7:::0", "ap: wrong number of fields", id="too-few-fields"),
        pytest.param("ap:2:sb:7:::0:0:0", "ap: wrong number of fields", id="too-many-fields"),
        pytest.param("ap:2:sb:07:::0:0", "ap: not in canonical form", id="not-canonical"),
        pytest.param("ap:2:ch:7:Role::0:0", "ap: bad step", id="step-outside-its-alphabet"),
        pytest.param("zz:2:sb", "unknown prefix", id="unknown-prefix"),
    ],
)
def test_a_forged_stale_or_malformed_payload_is_refused_naming_what_is_wrong(
    payload: str, reason: str
) -> None:
    assert decode(_payload()) == ApplyAction(verb=ApplyVerb.SUBMIT, application=7)
    with pytest.raises(RefusedPayload) as refused:
        decode(payload)
    assert refused.value.reason == reason


def test_an_action_with_a_value_encode_cannot_carry_is_not_built() -> None:
    with pytest.raises(ValueError):
        ApplyAction(verb=ApplyVerb.CHOOSE, step="a:b")  # the separator would shift the fields


def test_a_queued_button_from_an_older_layout_is_sent_and_refused_as_stale_when_pressed() -> None:
    from bot.callbacks import pack_action

    current = PlanAction(verb=PlanVerb.OPEN, task=5)
    assert pack_action(current.prefix, current.args()) == encode(current)
    # As the outbox stored it before the plan's buttons moved to the codec.
    payload = pack_action("plan", {"act": "open", "id": 5})
    with pytest.raises(RefusedPayload) as refused:
        decode(payload)
    assert refused.value.reason == "plan: stale layout"
