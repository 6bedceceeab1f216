"""Demo data: Kungälv's real 2023 follow-up (the reference report) and a second, made-up municipality (Ale),
with statistics, places and a lägesbild. Everything here writes through the apps' do_* actions; no production
module imports this package. `manage.py load_demo` loads it all (idempotent)."""
