"""Views of the lägesbild, one module per topic. Thin: parse with a form, authorise with
trygg.situation.permissions, call a do_* action, render or redirect."""
