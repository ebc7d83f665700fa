"""The JSON API at /api/v1/ (django-ninja); schema at /api/v1/openapi.json."""

from ninja import NinjaAPI

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
