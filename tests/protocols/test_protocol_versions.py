"""Protocols as configuration (issue 9): declared settings, legal bounds by rule, versions, cases."""

import datetime
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from protocols.models import ProtocolCase, ProtocolVersion
from protocols.registry import FILE, MEASURES, IntSetting, setting, settings_for
from protocols.services import change_protocol, current_version, start_case_version

pytestmark = pytest.mark.django_db


def change(world, protocol=MEASURES, based_on=0, reason="Besproken in het team", **values):
    return change_protocol(
        actor=world.dirk,
        school=world.school,
        protocol=protocol,
        values=values,
        reason=reason,
        based_on=based_on,
    )


def refused(world, protocol=MEASURES, **values) -> str:
    with pytest.raises(ValidationError) as error:
        change(world, protocol, **values)
    return " ".join(m for msgs in error.value.message_dict.values() for m in msgs)


def test_law_1_suspension_longer_than_five_school_days_cannot_be_configured(world):
    message = refused(world, suspension_max_school_days=6)
    assert "LAW-1" in message and "wettelijke grens" in message
    assert not ProtocolVersion.objects.filter(school=world.school).exists()
    assert change(world, suspension_max_school_days=3).value("suspension_max_school_days") == 3


def test_sv_2_suspension_bound_is_five_school_days_by_default_and_at_most(world):
    assert current_version(world.school, MEASURES).value("suspension_max_school_days") == 5
    assert "SV-2" in refused(world, suspension_max_school_days=10)
    assert setting(MEASURES, "suspension_max_school_days").maximum == 5


def test_sv_1_time_out_extension_bound(world):
    assert current_version(world.school, MEASURES).value("timeout_extension_max_days") == 1
    assert "SV-1" in refused(world, timeout_extension_max_days=2)
    assert change(world, timeout_extension_max_days=0).value("timeout_extension_max_days") == 0


def test_law_4_objection_period_is_six_weeks(world):
    assert current_version(world.school, MEASURES).value("objection_period_weeks") == 6
    assert "LAW-4" in refused(world, objection_period_weeks=5)
    assert "LAW-4" in refused(world, objection_period_weeks=8)


def test_law_4_decision_term_at_most_four_weeks(world):
    assert "LAW-4" in refused(world, decision_term_weeks=5)
    assert change(world, decision_term_weeks=3).value("decision_term_weeks") == 3


@pytest.mark.parametrize("years", [0, 21, -1])
def test_avg_3_retention_period_outside_the_law_refused(world, years):
    assert "AVG-3" in refused(world, FILE, retention_log_entry=years)
    assert current_version(world.school, FILE).value("retention_log_entry") == 2


def test_every_declared_setting_has_a_default_within_its_bound_and_a_help_text_citing_a_rule():
    for protocol in (MEASURES, FILE, "behaviour", "review"):
        for key, declared in settings_for(protocol).items():
            if isinstance(declared, IntSetting):
                assert declared.minimum <= declared.default <= declared.maximum, key
            else:  # a list or a choice: the default passes its own declaration (items, bounds, choices)
                declared.clean(
                    list(declared.default) if isinstance(declared.default, tuple) else declared.default
                )
            assert str(declared.help_text) and str(declared.label), key
            if declared.bound_rule:
                assert declared.bound_rule.split(",")[0] in str(declared.help_text), key


def test_a_change_needs_a_reason_and_a_change(world):
    assert "reden" in refused(world, reason="  ", decision_term_weeks=3)
    with pytest.raises(ValidationError, match="niets gewijzigd"):
        change(world, decision_term_weeks=4)


def test_unknown_keys_are_a_programming_error(world):
    with pytest.raises(LookupError):
        change(world, suspension_days_forever=3)
    with pytest.raises(LookupError):
        current_version(world.school, MEASURES).value("nonsense")


def test_a_change_makes_a_new_version_and_keeps_the_old_one_unchanged(world):
    first = change(world, decision_term_weeks=3)
    second = change(world, based_on=1, suspension_max_school_days=2, reason="Nieuw beleid")
    first.refresh_from_db()
    assert (first.number, second.number) == (1, 2)
    assert first.value("suspension_max_school_days") == 5 and first.value("decision_term_weeks") == 3
    assert second.value("suspension_max_school_days") == 2 and second.value("decision_term_weeks") == 3
    assert current_version(world.school, MEASURES) == second
    assert second.changed_by == world.dirk and second.reason == "Nieuw beleid"
    row = AuditEvent.objects.filter(action="protocols.version.created").latest("pk")
    assert row.data["changed"] == {"suspension_max_school_days": [5, 2]}


def test_stale_edit_is_refused_and_saves_nothing(world):
    change(world, decision_term_weeks=3)
    with pytest.raises(ValidationError) as error:
        change(world, based_on=0, decision_term_weeks=2)
    assert error.value.code == "stale" and "intussen gewijzigd" in error.value.messages[0]
    assert current_version(world.school, MEASURES).value("decision_term_weeks") == 3


def test_a_version_takes_effect_at_its_date(world):
    later = timezone.now() + datetime.timedelta(days=7)
    change_protocol(
        actor=world.dirk, school=world.school, protocol=MEASURES, values={"decision_term_weeks": 2},
        reason="Vanaf volgende week", based_on=0, effective_from=later,
    )  # fmt: skip
    assert current_version(world.school, MEASURES).value("decision_term_weeks") == 4
    assert current_version(world.school, MEASURES, at=later).value("decision_term_weeks") == 2


def test_versions_are_per_school(world):
    change(world, decision_term_weeks=2)
    assert current_version(world.other_school, MEASURES).value("decision_term_weeks") == 4


@dataclass
class FakeSuspension:
    """Stands in for a case model (ProtocolCase): it keeps the version it started under."""

    protocol_version: ProtocolVersion

    setting = ProtocolCase.setting


def test_a_change_during_a_running_case_leaves_the_case_on_its_version(world):
    case = FakeSuspension(start_case_version(school=world.school, protocol=MEASURES))
    assert case.protocol_version.pk and case.protocol_version.number == 0  # the seed, stored
    change(world, suspension_max_school_days=2)
    stored = ProtocolVersion.objects.get(pk=case.protocol_version.pk)
    assert FakeSuspension(stored).setting("suspension_max_school_days") == 5
    new_case = FakeSuspension(start_case_version(school=world.school, protocol=MEASURES))
    assert new_case.setting("suspension_max_school_days") == 2


def test_the_case_mixin_protects_the_version_it_started_under():
    from django.db import models

    field = ProtocolCase._meta.get_field("protocol_version")
    assert field.remote_field.model is ProtocolVersion
    assert field.remote_field.on_delete is models.PROTECT
