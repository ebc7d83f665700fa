"""School B's measures for the authorization matrix (tests/test_authorization_matrix.py): staff of
school A get a 404 on each. Runs in the tests only; no test imports here."""

from django.utils import timezone


def school_b_objects(world) -> dict:
    from .models import SuspensionMode
    from .services.expulsions import open_expulsion
    from .services.suspensions import suspend
    from .services.timeouts import impose_time_out

    time_out = impose_time_out(actor=world.zeno, student=world.otto, incident="Incident op school B.")
    suspension = suspend(
        actor=world.zeno, student=world.otto, grounds=[time_out.setting("suspension_grounds")[0]],
        reasons="Reden.", start_on=timezone.localdate(), school_days=1, mode=SuspensionMode.PROPOSED,
        catch_up_work="Werk.", contact_person=world.zeno,
    )  # fmt: skip
    expulsion = open_expulsion(actor=world.zeno, student=world.otto, ground="Grond op school B.")
    return {"time_out": time_out.pk, "suspension": suspension.pk, "expulsion": expulsion.pk}
