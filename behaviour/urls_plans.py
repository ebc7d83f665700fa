"""Routes of steps 2–4 of het gedragsprotocol, under /gedrag/stappen/ (config/urls.py)."""

from django.urls import path

from .views import plans as v

urlpatterns = [
    path("leerling/<int:pk>/", v.plan_page, name="behaviour_plans"),
    path("leerling/<int:pk>/stap-2/gesprek/", v.step2_talk, name="behaviour_step2_talk"),
    path("leerling/<int:pk>/stap-2/terugkoppeling/", v.step2_feedback, name="behaviour_step2_feedback"),
    path("leerling/<int:pk>/stap-2/evaluatie/", v.step2_evaluation, name="behaviour_step2_evaluation"),
    path("leerling/<int:pk>/stap-3/uitnodigen/", v.step3_invite, name="behaviour_step3_invite"),
    path("leerling/<int:pk>/stap-3/gesprek/", v.step3_talk, name="behaviour_step3_talk"),
    path("leerling/<int:pk>/stap-3/voortgang/", v.step3_progress, name="behaviour_step3_progress"),
    path("leerling/<int:pk>/stap-3/extern/", v.step3_external, name="behaviour_step3_external"),
    path("leerling/<int:pk>/stap-3/evaluatie/", v.step3_evaluation, name="behaviour_step3_evaluation"),
    path("leerling/<int:pk>/stap-4/uitnodigen/", v.step4_invite, name="behaviour_step4_invite"),
    path("leerling/<int:pk>/stap-4/plan/", v.step4_plan, name="behaviour_step4_plan"),
    path("leerling/<int:pk>/stap-4/starten/", v.step4_start, name="behaviour_step4_start"),
    path("leerling/<int:pk>/stap-4/logboek/", v.step4_log, name="behaviour_host_log"),
    path("leerling/<int:pk>/stap-4/terugkeer/", v.step4_return, name="behaviour_step4_return"),
]
