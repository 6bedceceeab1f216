"""Benchmark: follow-up report build + render time per format, demo plan vs a synthetic plan 10× larger.

"pdf" is the tagged PDF/UA-1 every download is now; "pdf_untagged" is the untagged PDF of earlier versions,
measured in the same run for comparison; "pdfa" is the tagged PDF/A-2u archive variant.

Run: .venv/bin/python benchmarks/report.py [--repeat 3]
Uses a throwaway SQLite database. Prints medians and the ratio 10×/1× (times are noisy here: compare ratios).
"""

import argparse
import copy
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="trygg-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{TMP}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.test_settings")

import django  # noqa: E402

django.setup()

import yaml  # noqa: E402
from django.core.management import call_command  # noqa: E402

from trygg.demo import indicators as demo_indicators  # noqa: E402
from trygg.demo.plans import DEMO_PLANS  # noqa: E402
from trygg.places.loading import load_municipality  # noqa: E402
from trygg.plans.exchange import import_plan  # noqa: E402
from trygg.plans.models import FollowUp  # noqa: E402
from trygg.plans.report import build_follow_up_report, render_document  # noqa: E402
from trygg.plans.tree import load_plan_tree  # noqa: E402

FORMATS = ("html", "docx", "pdf", "pdf_untagged", "pdfa")
CACHED_FORMATS = ("html", "docx", "pdf", "pdfa")


def render(document, fmt: str) -> bytes:
    from trygg.documents.pdf import render_pdf

    if fmt == "pdf_untagged":
        return render_pdf(document, tagged=False)
    if fmt == "pdfa":
        return render_pdf(document, archive=True)
    return render_document(document, fmt)


def scaled(data: dict, factor: int) -> dict:
    """The demo plan with its areas repeated `factor` times (new uids), statuses and comments included."""
    data = copy.deepcopy(data)
    if factor == 1:
        return data
    fresh = {}

    def new_uid(old):
        return fresh.setdefault(old, str(uuid.uuid4()))

    areas, statuses = [], []
    follow_up = data["follow_ups"][0]
    by_activity = {s["activity"]: s for s in follow_up["statuses"]}
    for copy_no in range(factor):
        fresh.clear()
        for area in copy.deepcopy(data["areas"]):
            area["uid"] = new_uid(area["uid"])
            area["number"] = len(areas) + 1
            for intervention in area["interventions"]:
                intervention["uid"] = new_uid(intervention["uid"])
                for activity in intervention["activities"]:
                    status = dict(by_activity[activity["uid"]])
                    activity["uid"] = status["activity"] = new_uid(activity["uid"])
                    statuses.append(status)
            area["title"] = f"{area['title']} ({copy_no + 1})"
            areas.append(area)
    data["areas"] = areas
    data["plan"].update(uid=str(uuid.uuid4()), slug=f"plan-x{factor}", name=f"Plan x{factor}")
    if data.get("program"):
        data["program"]["uid"] = str(uuid.uuid4())
    follow_up.update(uid=str(uuid.uuid4()), statuses=statuses)
    data["follow_ups"] = [follow_up]
    return data


def time_it(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(follow_up, repeat):
    results = {}
    results["build"] = time_it(
        lambda: build_follow_up_report(follow_up, load_plan_tree(follow_up.plan, follow_up)), repeat
    )
    document = build_follow_up_report(follow_up)
    for fmt in FORMATS:
        size = len(render(document, fmt))  # warm-up (fonts, templates)
        results[fmt] = time_it(lambda fmt=fmt: render(build_follow_up_report(follow_up), fmt), repeat)
        results[f"{fmt}_bytes"] = size
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # each line as it is measured, also when piped to a file
    call_command("migrate", verbosity=0)
    kungalv = load_municipality("1482")
    data = yaml.safe_load(DEMO_PLANS["1482"].read_text(encoding="utf-8"))
    import_plan(data, acting_user=None)
    import_plan(scaled(data, 10), acting_user=None)
    # section 3 of the demo report carries the statistics charts
    demo_indicators.load({"1482": kungalv}, acting_user=None)
    demo = FollowUp.objects.select_related("plan").get(plan__slug=data["plan"]["slug"], year=2023)
    big = FollowUp.objects.select_related("plan").get(plan__slug="plan-x10")
    n_demo = len(load_plan_tree(demo.plan, demo).activities)
    n_big = len(load_plan_tree(big.plan, big).activities)

    one, ten = measure(demo, args.repeat), measure(big, args.repeat)
    figures = sum(
        1 for s in build_follow_up_report(demo).walk() for b in s.blocks if type(b).__name__ == "Figure"
    )
    print(f"Report benchmark (median of {args.repeat}; build + render per format, seconds; {figures} charts)")
    print(
        f"{'step':<14}{'demo (' + str(n_demo) + ' act.)':>18}{'10× (' + str(n_big) + ' act.)':>18}{'ratio 10×/1×':>14}"
    )
    for step in ("build", *FORMATS):
        print(f"{step:<14}{one[step]:>18.3f}{ten[step]:>18.3f}{ten[step] / one[step]:>14.1f}")
    for fmt in FORMATS:
        print(
            f"size {fmt}: demo {one[fmt + '_bytes'] / 1024:.0f} KiB, 10× {ten[fmt + '_bytes'] / 1024:.0f} KiB"
        )
    print(
        f"tagged PDF/UA-1 vs untagged (demo): {one['pdf']:.3f} s vs {one['pdf_untagged']:.3f} s "
        f"({one['pdf'] / one['pdf_untagged']:.2f}×); 10×: {ten['pdf']:.3f} s vs {ten['pdf_untagged']:.3f} s"
    )
    print("targets: demo PDF < 3 s, demo DOCX < 1 s, growth roughly linear (ratio ≈ 10)")
    cached_download(demo, args.repeat)


def cached_download(follow_up, repeat):
    """What a user waits for: a repeat download of an unchanged report (the cached file, after the version
    check) against a cold render (a status changed since the last download)."""
    import tempfile as _tempfile

    from django.conf import settings

    from trygg.plans.actions import do_set_activity_status
    from trygg.plans.report_cache import cached_report, render_and_store
    from trygg.plans.tree import load_plan_tree as _tree

    settings.MEDIA_ROOT = _tempfile.mkdtemp(prefix="trygg-bench-media-")
    node = _tree(follow_up.plan, follow_up).activities[0]
    statuses = ["ongoing", "ongoing_deviation"]
    print(f"cached download (demo, median of {repeat}; seconds)")
    for fmt in CACHED_FORMATS:
        colds, repeats = [], []
        for i in range(repeat):
            do_set_activity_status(node.activity, follow_up, statuses[i % 2], f"bench {i}", acting_user=None)
            start = time.perf_counter()
            render_and_store(follow_up, fmt)  # cold: the status change made a new version
            colds.append(time.perf_counter() - start)
            start = time.perf_counter()
            cached = cached_report(follow_up, fmt)
            assert cached.exists()
            cached.read()
            repeats.append(time.perf_counter() - start)
        cold, warm = statistics.median(colds), statistics.median(repeats)
        print(f"  {fmt:<6} cold {cold:>7.3f}  repeat {warm:>7.3f}  ratio cold/repeat {cold / warm:>6.1f}")


if __name__ == "__main__":
    main()
