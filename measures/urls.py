from django.urls import path

from . import views, views_board, views_steps, views_suspension

urlpatterns = [
    path("", views.overview, name="measures_overview"),
    path("leerling/<int:student_pk>/time-out/", views.time_out_new, name="measures_time_out_new"),
    path("leerling/<int:student_pk>/schorsing/", views.suspension_new, name="measures_suspension_new"),
    path("leerling/<int:student_pk>/verwijdering/", views.expulsion_new, name="measures_expulsion_new"),
    path("time-out/<int:pk>/", views.time_out_detail, name="measures_time_out"),
    path("time-out/<int:pk>/stap/", views_steps.time_out_step, name="measures_time_out_step"),
    path("schorsing/<int:pk>/", views.suspension_detail, name="measures_suspension"),
    path("schorsing/<int:pk>/toets/", views_suspension.suspension_test, name="measures_suspension_test"),
    path(
        "schorsing/<int:pk>/zienswijze/",
        views_suspension.suspension_parents_view,
        name="measures_suspension_parents_view",
    ),  # fmt: skip
    path("verwijdering/<int:pk>/", views.expulsion_detail, name="measures_expulsion"),
    path("verwijdering/<int:pk>/stap/", views_steps.expulsion_step, name="measures_expulsion_step"),
    path("verwijdering/<int:pk>/dossier.pdf", views.expulsion_pdf, name="measures_expulsion_pdf"),
    path("bestuur/verwijdering/<int:pk>/", views_board.board_expulsion, name="measures_board_expulsion"),
    path(
        "bestuur/verwijdering/<int:pk>/besluiten/",
        views_board.board_decide_view,
        name="measures_board_decide",
    ),
    path(
        "bestuur/verwijdering/<int:pk>/bezwaar/",
        views_board.board_objection_view,
        name="measures_board_objection",
    ),
]
