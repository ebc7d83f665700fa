"""Benchmarks as a registry (ARCHITECTURE: registries, not fixed lists).

`make bench` (bench/run.py) times its own modules (bench.BENCHMARKS) and every module an app
registers from its `AppConfig.ready()`:

    from schools.benchmarks import register_benchmark
    register_benchmark("reviews.bench")

A benchmark module has `run(schools, requests=N) -> list[bench.measure.Result]` and may have
`build(schools) -> dict` to add its own data first (see bench/run.py). Registering a name twice
adds it once.
"""

from __future__ import annotations

_MODULES: list[str] = []


def register_benchmark(module: str) -> None:
    if module not in _MODULES:
        _MODULES.append(module)


def registered_benchmarks() -> list[str]:
    return list(_MODULES)
