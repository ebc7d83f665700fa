import datetime

from django.apps import AppConfig
from django.utils.functional import lazy
from django.utils.translation import get_language

KIND = "fake_case"
VIEWED = "fakeprotocol.case.viewed"
VIEW_DENIED = "fakeprotocol.case.view_denied"
LETTER = "fakeprotocol.notice"


def _bilingual(dutch: str, english: str):
    """A label in two languages without adding test strings to the project's catalogue."""
    return lazy(lambda: english if (get_language() or "").startswith("en") else dutch, str)()


class FakeProtocolConfig(AppConfig):
    name = "tests.fakeprotocol"
    label = "fakeprotocol"
    verbose_name = "Nep-protocol (alleen tests)"

    def ready(self) -> None:
        from audit.labels import register_action_labels
        from dossier.entry_kinds import register_entry_kind
        from messaging.letters.registry import register_letter_template
        from protocols.registry import ChoiceSetting, ListSetting, register_settings
        from schools.benchmarks import register_benchmark
        from schools.home import register_home_provider
        from schools.matrix import register_matrix_rows
        from schools.periodic import register_periodic_job

        from . import home, jobs, views

        register_entry_kind(
            KIND, _bilingual("nepzaak", "fake case"), icon="🧪", detail_url=views.case_url_for_entry
        )
        register_action_labels(
            {
                VIEWED: _bilingual("nepzaak bekeken", "fake case viewed"),
                VIEW_DENIED: _bilingual("geweigerde poging om een nepzaak te bekijken", "fake case refused"),
            }
        )
        register_periodic_job("fakeprotocol.tick", jobs.tick, every=datetime.timedelta(days=1))
        register_home_provider(home.open_cases, order=50)
        register_matrix_rows(
            "fakeprotocol",
            pages=["/nep-protocol/zaak/{fake_case}/"],
            objects="tests.fakeprotocol.matrix.objects",
        )
        register_benchmark("tests.fakeprotocol.bench")
        register_settings(
            "review",
            {
                "fake_topics": ListSetting(
                    default=("werkhouding", "sterke kanten"),
                    label=_bilingual("nep-onderwerpen", "fake topics"),
                    help_text=_bilingual("Eén per regel (LB-4).", "One per line (LB-4)."),
                    rule="LB-4",
                    minimum=1,
                    maximum=5,
                    max_length=40,
                ),
                "fake_restart": ChoiceSetting(
                    default="year",
                    label=_bilingual("nep-herstart", "fake restart"),
                    help_text=_bilingual("Wanneer opnieuw (GP-3).", "When again (GP-3)."),
                    rule="GP-3",
                    choices=(("year", _bilingual("elk schooljaar", "each year")), ("never", "nooit")),
                ),
            },
        )
        register_letter_template(
            LETTER,
            "Nepzaak over {{ student.first_name }}",
            "Beste ouders,\n\nEr is een nepzaak geopend voor {{ student.first_name }}.",
            rule="GP-99",
            title="Brief nepprotocol",
            recipients={"to": ["guardians_with_authority"], "cc": ["behaviour_specialist"]},
        )
