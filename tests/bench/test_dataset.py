"""Issue #13 §4: SCALE=N is N x 20,000 students in schools of the board set's shape."""

from bench import dataset
from schools.models import SchoolKind


def test_scale_gives_n_times_20000_students_in_schools_of_the_same_shape():
    assert [len(dataset.school_shapes(0)), *{g for _, g in dataset.school_shapes(0)}] == [20, 24]
    for scale, schools in ((1, 34), (5, 167)):
        shapes = dataset.school_shapes(scale)
        assert sum(g for _, g in shapes) * dataset.STUDENTS_PER_GROUP == scale * 20_000
        assert len(shapes) == schools
        # The first twenty (the measured ones) are the board set's; one smaller po school at the end.
        assert shapes[:20] == dataset.school_shapes(0)
        assert shapes[-1][0] == SchoolKind.PO and shapes[-1][1] % 8 == 0
        kind, groups = shapes[-1]
        assert len(dataset.group_names(kind, groups)) == groups
