"""Bench settings only: each response says how many queries it made and how long the process took.

Outermost middleware, so the session, the user and the access computation are counted too. The load
client reads `X-Bench-Queries` and `X-Bench-Ms`; production never installs this.
"""

import time

from django.db import connections


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            if not sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT")):
                count += 1
            return execute(sql, params, many, context)

        started = time.perf_counter()
        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Bench-Queries"] = str(count)
        response["X-Bench-Ms"] = f"{(time.perf_counter() - started) * 1000:.2f}"
        return response
