"""The JSON API at /api/v1/ (django-ninja); schema at /api/v1/openapi.json."""

from ninja import NinjaAPI

from ..throttle import Throttled
from .auth import ApiKeyAuth, StaffSessionAuth, in_principal_scope
from .endpoints import router

api = NinjaAPI(
    urls_namespace="api-v1",
    title="Leerlingzorg API",
    version="1",
    description="Alleen-lezen API per school. Sleutel: `Authorization: Bearer lz_…`.",
    auth=[ApiKeyAuth(), StaffSessionAuth()],
    # Swagger UI loads scripts from a CDN, which our CSP forbids; the schema itself is served.
    docs_url=None,
)
# "operation" wraps the endpoint function (after auth), not the whole request.
api.add_decorator(in_principal_scope, mode="operation")
api.add_router("/", router)


@api.exception_handler(Throttled)
def too_many_attempts(request, exc: Throttled):
    """429 with Retry-After: too many failed API keys from this client (issue 7)."""
    message = (
        f"Te veel mislukte pogingen met een API-sleutel. Probeer het over {exc.retry_after} seconden opnieuw."
    )
    response = api.create_response(request, {"detail": message}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response
