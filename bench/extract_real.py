"""Benchmark: `taizhang extract` on summaries as people write them (issue 21, point 6).

    python bench/extract_real.py [--megabytes 3] [--runs 3] [--cpu 1] [--baseline main]

The corpus is ``bench/corpus/*.txt`` (summaries written by hand for this benchmark: different
organs, years and halves, simplified and traditional script, full-width and half-width digits,
long paragraphs, a web page's copy, a half-filled draft) and the two seeds, read from
``../shared/seeds`` at run time. None of it is generated from the extractor's own patterns.

What is measured, every run pinned to one core (``--cpu``), in CPU seconds (the machine is shared:
waiting for a core is not the extractor's cost):

- **through the command** (the target, at least 5 MB/s): ``taizhang extract FILE`` in a process of
  its own, FILE being the corpus joined by blank lines and repeated up to ``--megabytes``; the
  start-up (Python, Django, the vocabulary: the same command on a one-line file) is measured apart
  and taken off. CPU is the command's and its children's (the reader it forks);
- **per document, in one process**: ``call_command("extract", path)`` on each file, start-up
  excluded, the forked reader included: what a clerk's single file costs after start-up;
- **extract() alone** over each document and over the generated corpus of ``bench/extract.py``
  (same vocabulary), for the ratio of real text to generated text.

``--baseline REV`` runs the command the same way with the source of another revision (``git
archive``; default ``main``), so the speed-up is a ratio measured in the same run.
Writes bench/results/extract-real.json.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
CORPUS = HERE / "corpus"
SEEDS = ROOT.parent / "shared" / "seeds"  # ../shared/seeds beside the checkout
TARGET_MB_PER_S = 5.0
WIDE_DIGITS = re.compile("[０-９]")


def documents() -> list[Path]:
    seeds = sorted(SEEDS.glob("*.txt"))
    if not seeds:  # the corpus without them is not what the target is measured on
        raise SystemExit(f"extract_real: no seed documents in {SEEDS} (../shared/seeds beside the checkout)")
    return sorted(CORPUS.glob("*.txt")) + seeds


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def command_cpu(python: str, path: Path, cpu: int, env: dict) -> tuple[float, float, int]:
    """CPU and wall seconds of ``taizhang extract path`` in its own process on core ``cpu``, and the
    figures it reported."""
    before, started = _children_cpu(), time.perf_counter()
    done = subprocess.run(
        [
            python,
            "-c",
            "import sys; from taizhang.cli import main; sys.argv[0] = 'taizhang'; main()",
            "extract",
            str(path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        preexec_fn=lambda: os.sched_setaffinity(0, {cpu}),
        check=True,
    )
    wall = time.perf_counter() - started
    found = re.search(r"共 (\d+) 个数字", done.stderr.decode("utf-8", "replace"))
    return _children_cpu() - before, wall, int(found.group(1)) if found else -1


def through_command(python: str, big: Path, tiny: Path, cpu: int, runs: int, env: dict) -> dict:
    startup, total, walls = [], [], []
    figures = -1
    for _ in range(runs):  # interleaved, so a change in the machine's load hits both alike
        startup.append(command_cpu(python, tiny, cpu, env)[0])
        seconds, wall, figures = command_cpu(python, big, cpu, env)
        total.append(seconds)
        walls.append(wall)
    size = big.stat().st_size
    start_s, total_s = statistics.median(startup), statistics.median(total)
    return {
        "file_megabytes": round(size / 1e6, 3),
        "figures": figures,
        "startup_cpu_seconds": round(start_s, 3),
        "startup_runs": [round(x, 3) for x in startup],
        "cpu_seconds": round(total_s, 3),
        "runs": [round(x, 3) for x in total],
        "wall_seconds": [round(x, 2) for x in walls],
        "extract_cpu_seconds": round(total_s - start_s, 3),
        "mb_per_s": round(size / 1e6 / (total_s - start_s), 2),
    }


def baseline_tree(rev: str, into: Path) -> Path:
    """The source and frameworks of ``rev``, unpacked under ``into`` (what PYTHONPATH then imports)."""
    data = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "src", "frameworks"], capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        archive.extractall(into, filter="data")
    return into / "src"


def in_process(paths: list[Path], cpu: int, rounds: int) -> dict:
    """Per document through ``call_command`` (start-up excluded), and ``extract()`` alone."""
    os.sched_setaffinity(0, {cpu})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    from taizhang.documents.drafts.queries import vocabulary
    from taizhang.extract import extract

    vocab = vocabulary()
    texts = [p.read_text(encoding="utf-8") for p in paths]
    size = sum(p.stat().st_size for p in paths)
    call_command("extract", str(paths[0]), stdout=io.StringIO(), stderr=io.StringIO())  # warm

    def cpu_now() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF)
        return own.ru_utime + own.ru_stime + _children_cpu()

    def rate(run) -> float:
        laps = []
        for _ in range(rounds):
            before = cpu_now()
            run()
            laps.append(cpu_now() - before)
        return round(size / 1e6 / statistics.median(laps), 2)

    def commands():
        for p in paths:
            call_command("extract", str(p), stdout=io.StringIO(), stderr=io.StringIO())

    def alone():
        for text in texts:
            extract(text, vocab)

    sys.path.insert(0, str(HERE))
    import extract as generated_bench  # bench/extract.py: its generated corpus, for the ratio

    generated = [text for text, _ in generated_bench.corpus(size / 1e6, 7)]
    generated_size = sum(len(t.encode("utf-8")) for t in generated)

    def alone_generated():
        for text in generated:
            extract(text, vocab)

    laps = []
    for _ in range(rounds):
        before = cpu_now()
        alone_generated()
        laps.append(cpu_now() - before)
    return {
        "per_document_command_mb_per_s": rate(commands),
        "extract_alone_mb_per_s": rate(alone),
        "extract_alone_generated_corpus_mb_per_s": round(generated_size / 1e6 / statistics.median(laps), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--megabytes", type=float, default=3.0, help="size of the file the command reads")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement (median)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds over the corpus in one process")
    parser.add_argument("--cpu", type=int, default=1, help="the core every run is pinned to")
    parser.add_argument("--baseline", default="main", help="revision to compare with ('' for none)")
    args = parser.parse_args()

    paths = documents()
    texts = [p.read_text(encoding="utf-8") for p in paths]
    joined = "\n\n".join(texts)
    corpus_bytes = len(joined.encode("utf-8"))
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="extract-real-") as tmp:
        big, tiny = Path(tmp) / "summaries.txt", Path(tmp) / "one-line.txt"
        copies = max(1, round(args.megabytes * 1e6 / corpus_bytes))
        big.write_text("\n\n".join([joined] * copies), encoding="utf-8")
        tiny.write_text("开展中心组学习1次。\n", encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        ours = through_command(sys.executable, big, tiny, args.cpu, args.runs, env)
        base = None
        if args.baseline:
            src = baseline_tree(args.baseline, Path(tmp) / "baseline")
            base_env = {
                **os.environ,
                "PYTHONPATH": str(src),
                "TAIZHANG_FRAMEWORKS": str(src.parent / "frameworks"),
            }
            base = through_command(sys.executable, big, tiny, args.cpu, args.runs, base_env)
    process = in_process(paths, args.cpu, args.rounds)
    load_after = os.getloadavg()
    figures_per_kb = ours["figures"] / copies / (corpus_bytes / 1000)
    out = {
        "corpus": {
            "documents": len(paths),
            "written_for_the_benchmark": len([p for p in paths if p.parent == CORPUS]),
            "seeds": len([p for p in paths if p.parent != CORPUS]),
            "characters": len(joined),
            "megabytes": round(corpus_bytes / 1e6, 4),
            "traditional_script_documents": sum(1 for t in texts if "們" in t or "黨" in t or "與" in t),
            "documents_with_full_width_digits": sum(1 for t in texts if WIDE_DIGITS.search(t)),
            "figures_per_kilobyte": round(figures_per_kb, 2),
            "copies_in_the_command_file": copies,
        },
        "through_the_command": ours,
        "baseline": {"revision": args.baseline, **base} if base else None,
        "speedup_over_baseline": round(ours["mb_per_s"] / base["mb_per_s"], 2) if base else None,
        **process,
        "real_vs_generated": round(
            process["extract_alone_mb_per_s"] / process["extract_alone_generated_corpus_mb_per_s"], 2
        ),
        "target_mb_per_s": TARGET_MB_PER_S,
        "target_met": ours["mb_per_s"] >= TARGET_MB_PER_S,
        "pinned_to_cpu": args.cpu,
        "load_average_1min": [round(load_before[0], 2), round(load_after[0], 2)],
        "machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "command": "python bench/extract_real.py " + " ".join(sys.argv[1:]),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "extract-real.json").write_text(
        json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
