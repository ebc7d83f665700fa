"""The signal grid's HTML after issue #13's render work (options made once per request, the save
URL reversed once): what the teacher sees and what the HTMX requests send stay the same."""

import re

from django.utils import timezone

from reviews.services.signals import open_signal_round, save_signal_answer

from .cycle_helpers import plan


def test_lb_4_the_grid_shows_each_given_answer_selected_and_posts_each_cell_to_the_save_url(world):
    signal_round = open_signal_round(actor=world.mentor, meeting=plan(world))
    save_signal_answer(
        actor=world.teacher, round=signal_round, student_id=world.sanne.pk, question="2", value="watch"
    )
    body = world.client_for(world.teacher).get(f"/signaleringslijst/{signal_round.pk}/").content.decode()
    save_url = f"/signaleringslijst/{signal_round.pk}/antwoord/"
    questions = len(signal_round.questions)
    cells = 2 * questions  # Sanne and Daan
    assert body.count(f'hx-post="{save_url}"') == cells + 2  # every select and both remarks
    assert f'<form method="post" action="{save_url}" id="signal-grid"' in body
    assert body.count('<option value="">—</option>') == cells
    sanne_2 = re.search(rf'<select id="a-{world.sanne.pk}-2".*?</select>', body, re.S).group(0)
    assert '<option value="watch" selected>let op</option>' in sanne_2
    assert (
        '<option value="good">gaat goed</option>' in sanne_2
        and '<option value="concern">zorg</option>' in sanne_2
    )
    grid = body[body.index('id="signal-grid"') :]
    assert grid[: grid.index("</form>")].count(" selected>") == 1
    assert f"{world.sanne.full_name}</th>" in body
    assert f">Opmerking {world.daan.full_name}</label>" in body


def test_lb_4_a_cell_and_a_remark_are_the_markup_the_template_wrote_and_a_closed_round_disables_every_control(
    world,
):
    """The cells are written in Python since issue #13 (no template lookups per cell): the markup is the
    template's of before, character for character, with each value escaped (a remark with quotes and tags)."""
    signal_round = open_signal_round(actor=world.mentor, meeting=plan(world))
    save_signal_answer(actor=world.teacher, round=signal_round, student_id=world.daan.pk, question="remark",
                       value='Let op: "x" <b> & y')  # fmt: skip
    client = world.client_for(world.teacher)
    body = client.get(f"/signaleringslijst/{signal_round.pk}/").content.decode()
    sid, url, name = world.daan.pk, f"/signaleringslijst/{signal_round.pk}/antwoord/", world.daan.full_name
    label = signal_round.questions[0]
    assert (
        f'<td data-label="{label}">\n'
        f'        <label class="visually-hidden" for="a-{sid}-0">{label}: {name}</label>\n'
        f'        <select id="a-{sid}-0" name="a-{sid}-0" data-col="0"\n'
        f'          hx-post="{url}" hx-trigger="change" hx-sync="closest form:queue all"'
        f""" hx-vals='{{"student": "{sid}", "question": "0"}}'\n"""
        f'          hx-target="#s-{sid}-0" hx-swap="outerHTML">\n'
        '          <option value="">—</option><option value="good">gaat goed</option>'
        '<option value="watch">let op</option><option value="concern">zorg</option>\n'
        "        </select>\n"
        f'        <span id="s-{sid}-0" class="cell-status"></span>\n'
        "      </td>"
    ) in body
    assert (
        f'<textarea id="a-{sid}-remark" name="a-{sid}-remark" rows="1" maxlength="2000" '
        f'data-col="{len(signal_round.questions)}"\n'
        f'          hx-post="{url}" hx-trigger="change" hx-sync="closest form:queue all"'
        f""" hx-vals='{{"student": "{sid}", "question": "remark"}}'\n"""
        f'          hx-target="#s-{sid}-remark" hx-swap="outerHTML">Let op: &quot;x&quot; &lt;b&gt; &amp; y</textarea>'
    ) in body
    assert body.count(" disabled>") == 0

    signal_round.closed_at = timezone.now()
    signal_round.save(update_fields=["closed_at"])
    body = client.get(f"/signaleringslijst/{signal_round.pk}/").content.decode()
    controls = 2 * (len(signal_round.questions) + 1)  # Sanne and Daan: the scores and the remark
    assert body.count('hx-swap="outerHTML" disabled>') == controls
    assert "Deze ronde is gesloten" in body
