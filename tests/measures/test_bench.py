"""The measures benchmark module runs on a small world (its figures come from `make bench`), and the
director's overview costs the same number of queries for few and many cases."""

from types import SimpleNamespace

from measures import bench
from tests import factories as f


def test_measures_bench_runs_and_overview_queries_do_not_grow_with_cases(w, monkeypatch):
    for n in range(6):
        f.StudentFactory(school=w.other_school, first_name=f"Leerling{n}")
    monkeypatch.setattr(bench, "FEW", 1)
    monkeypatch.setattr(bench, "MANY", 6)
    monkeypatch.setattr(bench, "DOCUMENTS", 3)
    monkeypatch.setattr(bench, "PDF_BUILDS", 1)
    schools = [SimpleNamespace(school_id=w.school.pk), SimpleNamespace(school_id=w.other_school.pk)]
    assert bench.build(schools) == {"measures_cases": 7, "measures_letters": 3}
    few, many, pdf = bench.run(schools, requests=2)
    assert max(few.queries) == max(many.queries)  # constant in the number of cases
    assert pdf.timings_ms and pdf.queries
