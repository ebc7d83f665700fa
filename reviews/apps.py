"""De leerlingbespreking (LB-n): registers its records, kinds, letters and jobs from ready()."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Leerlingbespreking")

    def ready(self):
        from .apps_meeting import ready_meeting

        ready_meeting()  # the meeting side (LB-3, LB-5 … LB-13)
