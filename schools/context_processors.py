def current_school(request) -> dict:
    return {
        "current_school": getattr(request, "school", None),
        "access": getattr(request, "access", None),
        "available_schools": getattr(request, "available_schools", []),
    }
