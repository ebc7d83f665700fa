from django.utils.functional import SimpleLazyObject


def current_school(request) -> dict:
    from .menu import main_menu

    return {
        "current_school": getattr(request, "school", None),
        "access": getattr(request, "access", None),
        "available_schools": getattr(request, "available_schools", []),
        # Computed only when a page shows the menu (schools/menu.py).
        "main_menu": SimpleLazyObject(lambda: main_menu(request)),
    }
