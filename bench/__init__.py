"""Benchmarks on a board-sized data set (`make bench`)."""
