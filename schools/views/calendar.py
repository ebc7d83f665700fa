"""The school calendar page for the functional admin: holidays, study days, the length of a dagdeel."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ..calendar import dagdeel_minutes, school_days_in
from ..cleaning import SafeForm, query_int
from ..models import HolidayKind, SchoolHoliday, SchoolYear
from ..services import calendar as services
from .common import get_permitted, staff_required

PERM = "schools.manage_configuration"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class HolidayForm(SafeForm):
    name = forms.CharField(label=gettext_lazy("Naam"), max_length=100)
    start = forms.DateField(label=gettext_lazy("Eerste dag"), widget=DateInput())
    end = forms.DateField(
        label=gettext_lazy("Laatste dag"),
        required=False,
        widget=DateInput(),
        help_text=gettext_lazy("Leeg: één dag."),
    )
    # The period as the form showed it, so a change made meanwhile by someone else is not overwritten.
    was = forms.CharField(widget=forms.HiddenInput, required=False)


def _require_admin(request: HttpRequest) -> None:
    if not request.user.has_perm(PERM, request.school):
        raise Http404


def _stamp(holiday: SchoolHoliday) -> str:
    return f"{holiday.name}|{holiday.start}|{holiday.end}|{holiday.active}"


# The years the page can show; a year outside is a clear 400, never a 500 (issue 7).
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _school_year(request: HttpRequest) -> int:
    current = SchoolYear.bounds_for(timezone.localdate())[0].year
    return query_int(
        request,
        "jaar",
        default=current,
        minimum=FIRST_YEAR,
        maximum=LAST_YEAR,
        message=_("Kies een schooljaar tussen %(min)s en %(max)s."),
    )


def _page(request: HttpRequest, *, add_form=None, status=200) -> HttpResponse:
    school = request.school
    try:
        year = _school_year(request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        year, status = SchoolYear.bounds_for(timezone.localdate())[0].year, 400
    first, last = datetime.date(year, 8, 1), datetime.date(year + 1, 7, 31)
    holidays = list(
        SchoolHoliday.objects.filter(school=school, active=True, end__gte=first, start__lte=last).order_by(
            "start"
        )
    )
    has_regional = any(h.kind == HolidayKind.REGIONAL for h in holidays)
    context = {
        "school": school,
        "year": year,
        "years": [year - 1, year, year + 1],
        "holidays": holidays,
        "has_regional": has_regional,
        "school_days": len(school_days_in(school, first, last)),
        "add_form": add_form or HolidayForm(),
        "dagdeel_minutes": dagdeel_minutes(school),  # a protocol number, set on the protocol page
        "attribution": services.attribution(),
    }
    return render(request, "schools/calendar.html", context, status=status)


@staff_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    return _page(request)


@staff_required
@require_POST
def holiday_add(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = HolidayForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_study_day(
                actor=request.user,
                school=request.school,
                name=data["name"],
                start=data["start"],
                end=data["end"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("De vrije dag is toegevoegd."))
            return redirect(
                f"{reverse('school_calendar')}?jaar={SchoolYear.bounds_for(data['start'])[0].year}"
            )
    return _page(request, add_form=form, status=422)


@staff_required
def holiday_change(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    holiday = get_permitted(
        request, SchoolHoliday.objects.filter(active=True), pk, PERM, action="schools.calendar.change_denied"
    )
    if request.method == "POST":
        form = HolidayForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if data["was"] != _stamp(holiday):
                form.add_error(
                    None, _("Iemand anders heeft deze periode intussen gewijzigd. Bekijk de nieuwe datums.")
                )
            else:
                try:
                    services.change_holiday(
                        actor=request.user,
                        holiday=holiday,
                        name=data["name"],
                        start=data["start"],
                        end=data["end"] or data["start"],
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, _("De periode is gewijzigd."))
                    return redirect(
                        f"{reverse('school_calendar')}?jaar={SchoolYear.bounds_for(data['start'])[0].year}"
                    )
        status = 422
    else:
        form = HolidayForm(
            initial={"name": holiday.name, "start": holiday.start, "end": holiday.end, "was": _stamp(holiday)}
        )
        status = 200
    return render(request, "schools/calendar_change.html", {"form": form, "holiday": holiday}, status=status)


@staff_required
@require_POST
def holiday_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    holiday = get_permitted(
        request, SchoolHoliday.objects.filter(active=True), pk, PERM, action="schools.calendar.remove_denied"
    )
    year = SchoolYear.bounds_for(holiday.start)[0].year
    services.remove_holiday(actor=request.user, holiday=holiday)
    messages.success(request, _("%(name)s is verwijderd: de school is dan open.") % {"name": holiday.name})
    return redirect(f"{reverse('school_calendar')}?jaar={year}")


@staff_required
@require_POST
def defaults_load(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    result = services.load_default_holidays(school=request.school)
    messages.success(request, _("%(n)s feestdagen en vakanties toegevoegd.") % {"n": result.created})
    for year in result.missing_regional:
        messages.warning(
            request,
            _("Voor schooljaar %(a)s-%(b)s zijn nog geen schoolvakanties bekend: vul ze zelf in.")
            % {"a": year, "b": year + 1},
        )
    return redirect("school_calendar")
