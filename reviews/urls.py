"""URLs of the review cycle (planning, schedule, signal lists, leave). The meeting part has its own
reviews/urls_meeting.py, included separately from config/urls.py."""

from django.urls import path

from .views import cycle, cycle_signals

urlpatterns = [
    path("leerlingbespreking/planning/", cycle.planning, name="reviews_planning"),
    path(
        "leerlingbespreking/ronde/<int:pk>/bespreking/nieuw/",
        cycle.meeting_create,
        name="reviews_meeting_create",
    ),
    path("leerlingbespreking/<int:pk>/cyclus/", cycle.meeting_cycle, name="reviews_meeting_cycle"),
    path("leerlingbespreking/<int:pk>/verplaatsen/", cycle.meeting_move, name="reviews_meeting_move"),
    path("leerlingbespreking/<int:pk>/annuleren/", cycle.meeting_cancel, name="reviews_meeting_cancel"),
    path(
        "leerlingbespreking/<int:pk>/lijsten-uitzetten/",
        cycle.signal_round_open,
        name="reviews_signal_round_open",
    ),
    path("leerlingbespreking/<int:pk>/verlof/", cycle.leave_request, name="reviews_leave_request"),
    path(
        "leerlingbespreking/<int:pk>/afspraken-gelezen/",
        cycle.agreements_read,
        name="reviews_agreements_read",
    ),
    path("leerlingbespreking/verlof/<int:pk>/", cycle.leave_detail, name="reviews_leave_detail"),
    path("leerlingbespreking/verlof/<int:pk>/inbreng/", cycle.written_input, name="reviews_written_input"),
    path("signaleringslijst/<int:pk>/", cycle_signals.signal_grid, name="reviews_signal_grid"),
    path("signaleringslijst/<int:pk>/antwoord/", cycle_signals.signal_save, name="reviews_signal_save"),
    path("signaleringslijst/<int:pk>/inleveren/", cycle_signals.signal_finish, name="reviews_signal_finish"),
    path(
        "leerlingbespreking/leerling/<int:pk>/signaal/",
        cycle_signals.signal_raise,
        name="reviews_signal_raise",
    ),
]
