"""Benchmarks of the review cycle (make bench): see bench_cycle_run for what is measured."""


def run(schools, requests: int = 20) -> list:
    return []
