"""Who may see and change the school's protocol versions: the director and the functional admin."""

import rules

from schools.rules import is_director, is_functional_admin

rules.add_perm("protocols.manage_protocols", is_director | is_functional_admin)
