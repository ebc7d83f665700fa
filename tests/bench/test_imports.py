"""The import benchmark's file: recognised without a mapping, every row valid, guardians on each row."""

from bench import imports
from schools.models import ImportStatus

from ..schools.import_helpers import preview


def test_bench_import_file_previews_cleanly_with_recognised_headers(world):
    run = preview(world.school, world.fiona.user, data=imports.csv_bytes(60))
    assert run.status == ImportStatus.PREVIEWED, run.problems[:3]
    counts = run.preview["counts"]
    assert counts["students_create"] == 60 and counts["guardians_create"] == 60
    assert counts["groups_create"] == 48 - 2  # 1A…6H; 2B and 3C exist in the world already
