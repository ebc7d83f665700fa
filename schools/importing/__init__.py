"""Import of students, guardians, groups, staff and teaching assignments.

parsers (edexml, tabular + mapping, oneroster) → records.ImportSet → changes (diff/preview) → apply.
"""
