"""Time-out, suspension and expulsion (SV-1 – SV-4, GP-23, LAW-1 – LAW-4): registers what it adds from ready()."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

GP_23_GROUNDS = (
    "ernstig wangedrag van de leerling dat orde, rust of veiligheid bedreigt",
    "ernstig wangedrag van de ouders dat orde, rust of veiligheid bedreigt",
    "een andere grond die de schorsing dringend noodzakelijk maakt",
)

AUDIT_LABELS = {
    "measures.time_out.imposed": _("time-out opgelegd"),
    "measures.time_out.parents_contacted": _("ouders geïnformeerd over time-out"),
    "measures.time_out.report_made": _("verslag time-out gemaakt"),
    "measures.time_out.extended": _("time-out verlengd"),
    "measures.suspension.decided": _("schorsing besloten"),
    "measures.suspension.board_informed": _("bestuur geïnformeerd over schorsing"),
    "measures.suspension.inspectorate_filed": _("schorsing gemeld bij de inspectie"),
    "measures.suspension.attendance_notified": _("schorsing gemeld bij de leerplichtambtenaar"),
    "measures.suspension.parents_view": _("zienswijze ouders over schorsing vastgelegd"),
    "measures.suspension.test_decided": _("besluit over landelijke toets tijdens schorsing"),
    "measures.expulsion.opened": _("verwijderingszaak geopend"),
    "measures.expulsion.step": _("stap in verwijderingszaak vastgelegd"),
    "measures.expulsion.decided": _("verwijdering besloten door het bestuur"),
    "measures.expulsion.final": _("verwijdering definitief"),
    "measures.expulsion.objection": _("bezwaar tegen verwijdering ontvangen"),
    "measures.expulsion.objection_step": _("stap in bezwaar tegen verwijdering"),
    "measures.expulsion.objection_decided": _("beslissing op bezwaar tegen verwijdering"),
    "measures.case.viewed": _("maatregel bekeken"),
    "measures.case.view_denied": _("geweigerde poging een maatregel te bekijken"),
    "measures.file.exported": _("dossier verwijdering als PDF gemaakt"),
}


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = _("Time-out, schorsing en verwijdering")

    def ready(self) -> None:
        from audit.labels import register_action_labels
        from deadlines.selectors_deadlines import register_home_deadlines
        from dossier.models import EntryKind
        from dossier.retention_table import RetentionRule, register_retention_rules
        from protocols.registry import MEASURES, ListSetting, register_settings
        from schools.benchmarks import register_benchmark
        from schools.home import register_home_provider
        from schools.matrix import register_matrix_rows

        from . import home, rules  # noqa: F401  (rules registers the permissions)
        from .selectors import measure_deadlines_wanted

        register_settings(
            MEASURES,
            {
                # GP-23: the grounds for suspension; a school may add its own.
                "suspension_grounds": ListSetting(
                    default=GP_23_GROUNDS,
                    label=_("gronden voor schorsing"),
                    help_text=_("Eén grond per regel (GP-23); de school mag gronden toevoegen."),
                    rule="GP-23",
                    minimum=1,
                    maximum=20,
                ),
                # SV-2: national tests the student must not miss ("JJJJ-MM-DD naam" per line).
                "national_test_dates": ListSetting(
                    default=(),
                    label=_("landelijke toetsen (datum en naam)"),
                    help_text=_(
                        "Eén toets per regel: JJJJ-MM-DD naam, bijvoorbeeld 2027-04-20 doorstroomtoets (SV-2)."
                    ),
                    rule="SV-2",
                    minimum=0,
                    maximum=40,
                    max_length=120,
                ),
            },
        )
        register_action_labels(AUDIT_LABELS)
        # AVG-3: measures are part of the care and behaviour file (2 years by default).
        register_retention_rules(
            RetentionRule("time_out", _("time-outs"), "measures.TimeOut", "student", (EntryKind.MEASURE,)),
            RetentionRule("suspension", _("schorsingen"), "measures.Suspension", "student", (EntryKind.MEASURE,)),
            RetentionRule("expulsion_contact", _("benaderde scholen"), "measures.SchoolContact", "case__student",
                          (EntryKind.MEASURE,)),
            RetentionRule("expulsion_objection", _("bezwaren tegen verwijdering"), "measures.Objection",
                          "case__student", (EntryKind.MEASURE,)),
            RetentionRule("expulsion", _("verwijderingszaken"), "measures.ExpulsionCase", "student",
                          (EntryKind.MEASURE,)),
        )  # fmt: skip
        register_home_provider(home.open_measures, order=40)
        register_home_deadlines("measures", measure_deadlines_wanted, limit=home.HOME_LIMIT)
        __import__("measures.student_panel", fromlist=["register"]).register()  # the student's overview
        register_benchmark("measures.bench")

        from schools.demo.fillers import register_demo_filler

        from .demo import fill_demo_measures, remove_demo_measures

        register_demo_filler(fill_demo_measures, remove=remove_demo_measures)  # `manage.py demo`: a time-out
        register_matrix_rows(
            "measures",
            pages=[
                "/maatregelen/leerling/{student}/time-out/",
                "/maatregelen/leerling/{student}/schorsing/",
                "/maatregelen/time-out/{time_out}/",
                "/maatregelen/schorsing/{suspension}/",
                "/maatregelen/verwijdering/{expulsion}/",
                "/maatregelen/verwijdering/{expulsion}/dossier.pdf",
                "/maatregelen/bestuur/verwijdering/{expulsion}/",
            ],
            posts=[
                "/maatregelen/time-out/{time_out}/stap/",
                "/maatregelen/verwijdering/{expulsion}/stap/",
                "/maatregelen/bestuur/verwijdering/{expulsion}/bezwaar/",
                "/maatregelen/schorsing/{suspension}/",
                "/maatregelen/bestuur/verwijdering/{expulsion}/besluiten/",
            ],
            objects="measures.matrix.school_b_objects",
        )
