"""The school dashboard (director, behaviour specialist) and the step overview (+ care coordinator).

Issue 10 §8. Everyone else gets a 404 (AVG-4 need to know). Bad filter input is ignored with a
message, never an error page.
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext

from protocols.registry import BEHAVIOUR
from protocols.services import protocol_value
from schools.models import Role, SchoolYear
from schools.views.common import staff_required

from .. import dashboard as reads

DASHBOARD_ROLES = {Role.DIRECTOR, Role.BEHAVIOUR_SPECIALIST}
OVERVIEW_ROLES = DASHBOARD_ROLES | {Role.CARE_COORDINATOR}
PER_PAGE = 50
BAR_HEIGHT = 160


def _school(request: HttpRequest, roles) -> object:
    access = request.access
    if access.school is None or not (set(access.roles) & roles):
        raise Http404  # AVG-4: not a 403, the page does not exist for them
    return access.school


def _filters(request: HttpRequest, school) -> dict:
    """The GET filters; junk is dropped with a Dutch message."""
    get = request.GET
    problems = []
    start = reads.parse_day(get.get("van", "").strip())
    if "van" not in get and "tot" not in get:
        # Opens on this school year: five years drawn week by week is neither readable nor fast;
        # an emptied date field asks for every year.
        start = SchoolYear.bounds_for(timezone.localdate())[0]
    if get.get("van", "").strip() and start is None:
        problems.append(gettext("De datum 'van' is niet herkend en is genegeerd."))
    end = reads.parse_day(get.get("tot", "").strip())
    if get.get("tot", "").strip() and end is None:
        problems.append(gettext("De datum 'tot' is niet herkend en is genegeerd."))
    categories = list(protocol_value(school, BEHAVIOUR, "incident_categories"))
    category = get.get("categorie", "")
    if category and category not in categories:
        problems.append(gettext("Die categorie bestaat niet en is genegeerd."))
        category = ""
    groups = list(reads.school_groups(school))
    group = None
    raw_group = get.get("groep", "")
    if raw_group:
        group = next((g for g in groups if str(g.pk) == raw_group), None)
        if group is None:
            problems.append(gettext("Die groep bestaat niet en is genegeerd."))
    by = "month" if get.get("per") == "maand" else "week"
    return {"start": start, "end": end, "category": category, "group": group, "by": by,
            "categories": categories, "groups": groups, "problems": problems}  # fmt: skip


def _bars(periods, categories) -> tuple[list[dict], int]:
    """Stacked bars of an SVG chart: one bar per period, one segment per category."""
    peak = max((sum(c.values()) for _, c in periods), default=0) or 1
    bars = []
    for i, (label, counts) in enumerate(periods):
        y = BAR_HEIGHT
        segments = []
        for ci, cat in enumerate(categories):
            n = counts.get(cat, 0)
            if n:
                h = round(n * BAR_HEIGHT / peak, 1)
                y -= h
                segments.append({"y": round(y, 1), "h": h, "n": n, "cat": cat, "color": ci % 6})
        bars.append({"x": 40 + i * 28, "label": label, "total": sum(counts.values()), "segments": segments})
    return bars, peak


@staff_required
def school_dashboard(request: HttpRequest) -> HttpResponse:
    school = _school(request, DASHBOARD_ROLES)
    f = _filters(request, school)
    for problem in f["problems"]:
        messages.warning(request, problem)
    query = {k: f[k] for k in ("start", "end", "category", "group")}
    if request.GET.get("export") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="incidenten.csv"'
        writer = csv.writer(response, delimiter=";")
        writer.writerow([gettext("incident"), gettext("moment"), gettext("categorie"), gettext("ernstig"),
                         gettext("leerlingnummer"), gettext("groep"), gettext("rol")])  # fmt: skip
        # AVG-4: the director's own school's data; student numbers and groups, no names.
        writer.writerows(reads.csv_rows(school, **query))
        return response
    data = reads.dashboard(school, by=f["by"], **query)
    bars, peak = _bars(data["periods"], data["categories"])
    heat_rows, heat_peak = reads.heatmap_rows(data["heat"])
    for row in heat_rows:
        for cell in row["cells"]:
            cell["shade"] = round(cell["n"] / heat_peak, 2) if heat_peak else 0
    group_peak = max((n for _, n in data["per_group"]), default=0) or 1
    per_group = [{"name": name, "n": n, "w": round(n * 100 / group_peak)} for name, n in data["per_group"]]
    params = request.GET.copy()
    params["export"] = "csv"
    return render(request, "behaviour/dashboard/school.html", {
        "f": f, "data": data, "bars": bars, "peak": peak, "chart_width": 60 + 28 * len(bars),
        "bar_height": BAR_HEIGHT, "heat_rows": heat_rows, "hours": list(reads.HOURS), "per_group": per_group,
        "csv_query": params.urlencode(),
        "period_rows": [(label, [counts.get(c, 0) for c in data["categories"]]) for label, counts in data["periods"]],
    })  # fmt: skip


@staff_required
def step_overview(request: HttpRequest) -> HttpResponse:
    school = _school(request, OVERVIEW_ROLES)
    paginator = Paginator(reads.step_overview(school), PER_PAGE)
    page = paginator.get_page(request.GET.get("pagina"))
    return render(request, "behaviour/dashboard/steps.html", {"page": page})
