"""The meeting side of the leerlingbespreking under /besprekingen/ (included from config/urls.py)."""

from django.urls import path

from .views import meeting_after, meeting_mode, meeting_prepare

urlpatterns = [
    path("<int:pk>/voorbereiden/", meeting_prepare.prepare, name="review_prepare"),
    path("<int:pk>/bespreeklijst/versturen/", meeting_prepare.send_list, name="review_send_list"),
    path("<int:pk>/bespreeklijst.pdf", meeting_prepare.list_pdf, name="review_list_pdf"),
    path("<int:pk>/vergadering/", meeting_mode.meeting_mode, name="review_meeting_mode"),
    path("<int:pk>/vergadering/starten/", meeting_mode.start, name="review_meeting_start"),
    path(
        "<int:pk>/vergadering/leerling/<int:student_pk>/", meeting_mode.discussion, name="review_discussion"
    ),
    path(
        "<int:pk>/vergadering/leerling/<int:student_pk>/afspraak/",
        meeting_mode.agreement_add,
        name="review_agreement_add",
    ),  # fmt: skip
    path(
        "<int:pk>/vergadering/leerling/<int:student_pk>/verwijzing/",
        meeting_mode.referral_add,
        name="review_referral_add",
    ),  # fmt: skip
    path("<int:pk>/afsluiten/", meeting_mode.close, name="review_meeting_close"),
    path("<int:pk>/nazorg/", meeting_after.follow_up, name="review_follow_up"),
    path("afspraak/<int:pk>/", meeting_mode.agreement_edit, name="review_agreement_edit"),
    path("afspraak/<int:pk>/evalueren/", meeting_after.evaluate, name="review_evaluate"),
    path(
        "evaluatie/<int:pk>/terugkoppelen/", meeting_after.evaluation_report, name="review_evaluation_report"
    ),
    path("verwijzing/<int:pk>/", meeting_after.referral_detail, name="review_referral"),
    path("nazorg/<int:pk>/", meeting_after.follow_up_record, name="review_follow_up_record"),
]
