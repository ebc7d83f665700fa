"""Who may see and act on measures (AVG-4): the director and the care team of the school; the board
only the expulsion cases of its schools, on its own screen (no other care content)."""

import rules

from schools.rules import is_care_team, is_director, relates_to_student


@rules.predicate
def is_board_of_case(user, case=None) -> bool:
    if case is None:
        return False
    from .services.common import acts_for_board

    return acts_for_board(user, case.school)


# SV-1: whoever teaches or guides the student (or the care team) may impose a time-out.
rules.add_perm("measures.impose_time_out", relates_to_student)
rules.add_perm("measures.view_measure", is_care_team)
rules.add_perm("measures.manage_measure", is_director)
rules.add_perm("measures.view_overview", is_director)
rules.add_perm("measures.board_decide", is_board_of_case)
