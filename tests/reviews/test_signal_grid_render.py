"""The signal grid's HTML after issue #13's render work (options made once per request, the save
URL reversed once): what the teacher sees and what the HTMX requests send stay the same."""

import re

from reviews.services.signals import open_signal_round, save_signal_answer

from .cycle_helpers import plan


def test_lb_4_the_grid_shows_each_given_answer_selected_and_posts_each_cell_to_the_save_url(world):
    signal_round = open_signal_round(actor=world.mentor, meeting=plan(world))
    save_signal_answer(actor=world.teacher, round=signal_round, student_id=world.sanne.pk, question="2", value="watch")
    body = world.client_for(world.teacher).get(f"/signaleringslijst/{signal_round.pk}/").content.decode()
    save_url = f"/signaleringslijst/{signal_round.pk}/antwoord/"
    questions = len(signal_round.questions)
    cells = 2 * questions  # Sanne and Daan
    assert body.count(f'hx-post="{save_url}"') == cells + 2  # every select and both remarks
    assert f'<form method="post" action="{save_url}" id="signal-grid"' in body
    assert body.count('<option value="">—</option>') == cells
    sanne_2 = re.search(rf'<select id="a-{world.sanne.pk}-2".*?</select>', body, re.S).group(0)
    assert '<option value="watch" selected>let op</option>' in sanne_2
    assert '<option value="good">gaat goed</option>' in sanne_2 and '<option value="concern">zorg</option>' in sanne_2
    grid = body[body.index('id="signal-grid"') :]
    assert grid[: grid.index("</form>")].count(" selected>") == 1
    assert f"{world.sanne.full_name}</th>" in body
    assert f'>Opmerking {world.daan.full_name}</label>' in body
