import statistics, time
from django.template.loader import render_to_string
from django.utils import timezone
from dossier.pdf import html_to_pdf
from measures.director_file import director_file
from measures.services.expulsions import open_expulsion
from messaging.services.messages import compose_letter


def test_time(w):
    case = open_expulsion(actor=w.dirk, student=w.daan, ground="x")
    for _ in range(40):
        compose_letter(actor=w.dirk, student=w.daan, template_code="sv.expulsion.warning", source=case)
    html = render_to_string("measures/director_file_pdf.html", {"file": director_file(case), "case": case, "student": case.student, "school": case.school, "made_on": timezone.localdate(), "title": "x"})
    variants = {
        "base": html,
        "noleader": html.replace("content: leader('.') target-counter(attr(href), page);", "content: ' ' target-counter(attr(href), page);"),
        "pre-line": html.replace("<pre>", "<div class=pre>").replace("</pre>", "</div>").replace("pre { white-space: pre-wrap; font-family: inherit; }", ".pre { white-space: pre-line; }"),
    }
    variants["both"] = variants["noleader"].replace("<pre>", "<div class=pre>").replace("</pre>", "</div>").replace("pre { white-space: pre-wrap; font-family: inherit; }", ".pre { white-space: pre-line; }")
    variants["nobreak"] = html.replace(".letter { page-break-before: always; }", ".letter { break-inside: avoid; }")
    variants["nofooter"] = html.replace("@bottom-right { content: counter(page); font-size: 9pt; }", "")
    times = {k: [] for k in variants}
    for _ in range(5):
        for k, v in variants.items():
            s = time.process_time(); html_to_pdf(v); times[k].append(time.process_time() - s)
    for k, v in times.items():
        print(k, round(statistics.median(v), 3), [round(x, 2) for x in v])
