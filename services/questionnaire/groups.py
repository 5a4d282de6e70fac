"""Age groups: whose consent the law asks for, by age, and which groups a role's ages span."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

from services.domain import Role
from services.seasons import SeasonConfig


class AgeGroup(enum.StrEnum):
    """Whose consent the law asks for, by age: under the season's threshold only a legal
    representative's, from it to the adult age both the applicant's and a representative's,
    from the adult age the applicant's own. Asked with buttons before consent: a bracket alone
    is not personal data, and it is all the bot needs to know whose consent to ask."""

    CHILD = "child"
    TEEN = "teen"
    ADULT = "adult"

    @property
    def asks_own_consent(self) -> bool:
        return self is not AgeGroup.CHILD

    @property
    def asks_representative(self) -> bool:
        return self is not AgeGroup.ADULT


def age_range(config: SeasonConfig, role: Role) -> tuple[int, int | None]:
    return config.student_ages if role is Role.STUDENT else config.tutor_ages


def group_bounds(config: SeasonConfig, group: AgeGroup) -> tuple[int, int | None]:
    """The ages of a group, both ends included (None: no upper end)."""
    if group is AgeGroup.CHILD:
        return 0, config.representative_only_under - 1
    if group is AgeGroup.TEEN:
        return config.representative_only_under, config.adult_age - 1
    return config.adult_age, None


def age_groups(config: SeasonConfig) -> tuple[AgeGroup, ...]:
    """The groups the season's thresholds leave non-empty, youngest first."""
    found = []
    for group in AgeGroup:
        low, high = group_bounds(config, group)
        if high is None or low <= high:
            found.append(group)
    return tuple(found)


def group_of(config: SeasonConfig, age: int) -> AgeGroup:
    for group in age_groups(config):
        low, high = group_bounds(config, group)
        if low <= age and (high is None or age <= high):
            return group
    return AgeGroup.ADULT


def group_fits_role(config: SeasonConfig, role: Role, group: AgeGroup) -> bool:
    """Does the group share at least one age with the role's range?"""
    low, high = age_range(config, role)
    group_low, group_high = group_bounds(config, group)
    return (high is None or group_low <= high) and (group_high is None or low <= group_high)


def groups_for(config: SeasonConfig, role: Role) -> tuple[AgeGroup, ...]:
    return tuple(g for g in age_groups(config) if group_fits_role(config, role, g))


def asks_age_group(config: SeasonConfig, role: Role) -> bool:
    """Only when the role's ages span more than one consent rule (students by default)."""
    return len(groups_for(config, role)) > 1


def chosen_group(
    config: SeasonConfig, role: Role | None, answered: Mapping[str, object]
) -> AgeGroup | None:
    """The group the path follows: the one the role implies, else the applicant's answer if
    it fits the role, else None (not known yet)."""
    role = role or Role.STUDENT
    groups = groups_for(config, role)
    if len(groups) == 1:
        return groups[0]
    value = answered.get("age_group")
    return next((g for g in groups if g.value == value), None)


def group_args(config: SeasonConfig) -> dict[str, Any]:
    """What the age groups' labels say: the threshold, the last teen age, the adult age."""
    return {
        "under": config.representative_only_under,
        "top": config.adult_age - 1,
        "adult": config.adult_age,
    }
