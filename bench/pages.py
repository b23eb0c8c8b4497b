"""Benchmark: what each page costs the server against the cheapest logged-in page, eight clients at once.

    python bench/pages.py [--db sqlite|postgres] [--clients 8] [--seconds 5] [--rounds 3]
                          [--workers N] [--threads T] [--label NAME]

It starts one ``taizhang serve`` (gunicorn, the production server) on 127.0.0.1 and, for each page of
the mix in turn, keeps ``--clients`` clients asking for it without pause for ``--seconds`` (raw
HTTP/1.1 keep-alive connections, as bench/load.py's users). Each page's throughput is divided into
the throughput of the floor, the cheapest logged-in page (the password form: a session, a login, a
small template): the *cost* of a page is how many password forms the server could have served
instead. Every page is measured ``--rounds`` times, the rounds interleaved, and the median cost is
reported: the machine is shared, and a ratio measured in one round on one server cancels most of
what other work on the machine does to both.

Before the timed rounds every page is asked once (templates compiled, results worked out and kept:
``core.stamps``); the timed requests are then what the people who open a page after the first
one get. A separate row ``… (first)`` times the page right after a write in its unit (a recorded
activity, committed), when it works its results out again.

Databases:
  sqlite    a fresh demo (``taizhang migrate`` + ``taizhang demo``) in bench/results/pages-var/;
  postgres  the benchmark city of bench/web.py (``python bench/web.py --db postgres`` makes it,
            10,000 units and 1,000,000 activities) in ``taizhang_bench`` (or BENCH_DATABASE_URL).

Logins are made by the benchmark in the server's session table (a password check costs half a
second of CPU by design, which is not what the pages are measured for).

Figures go to bench/results/pages-<db>[-label].json and the "Pages" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shlex
import shutil
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))  # tests.live starts the server as the end-to-end tests do

from tests.live import environment, load_demo, serving, taizhang  # noqa: E402

from load import Connection, django_on, server_cpu  # noqa: E402

FLOOR = "password form"
TARGET = 3.0  # every page of the mix within 3× the floor's cost (issue 21)


def demo_pages() -> list[tuple[str, str, str]]:
    """(page, login, path) on the demo: the pages of issue 21's table, the to-do list and a leader's
    dashboard."""
    return [
        (FLOOR, "cppcc-clerk", "/account/password/"),
        ("unit page", "cppcc-clerk", "/org/units/cppcc/?period=2020H1"),
        ("summary preview", "cppcc-clerk", "/documents/summary/cppcc/2020H1/"),
        ("matrix", "cppcc-clerk", "/rules/?unit=cppcc&period=2020H1"),
        ("activity list", "cppcc-clerk", "/ledger/activities/?unit=cppcc"),
        ("to-do list", "cppcc-clerk", "/rules/todo/?unit=cppcc"),
        ("mine (member)", "cppcc-member", "/ledger/mine/"),
        ("dashboard (county)", "county-leader", "/"),
        ("healthz (no login)", "", "/healthz"),
    ]


def city_pages() -> list[tuple[str, str, str]]:
    """The same pages on the benchmark city: a unit, a county of about 200 units, the city's dashboard."""
    from taizhang.demo.build import demo_user
    from taizhang.org.models import Person, Role, Unit

    root = Unit.objects.get(code="bench-city")
    county = Unit.objects.filter(parent=root).order_by("pk").first()
    leaf = Unit.objects.filter(parent=county).order_by("pk").first()
    demo_user("bench-leader", unit=root, role=Role.LEADER)
    demo_user("bench-clerk", unit=county, role=Role.UNIT_ADMIN)
    person = Person.objects.filter(unit=leaf).order_by("pk").first()
    if person.user_id is None:
        demo_user("bench-member", person=person, unit=leaf, role=Role.MEMBER)
    member = Person.objects.get(pk=person.pk).user.username
    return [
        (FLOOR, "bench-clerk", "/account/password/"),
        ("unit page", "bench-clerk", f"/org/units/{leaf.code}/?period=2020H1"),
        ("unit page (county)", "bench-clerk", f"/org/units/{county.code}/?period=2020H1"),
        ("summary preview", "bench-clerk", f"/documents/summary/{leaf.code}/2020H1/"),
        ("matrix (county)", "bench-clerk", f"/rules/?unit={county.code}&period=2020H1"),
        ("activity list (county)", "bench-clerk", f"/ledger/activities/?unit={county.code}"),
        ("to-do list (county)", "bench-clerk", f"/rules/todo/?unit={county.code}"),
        ("mine (member)", member, "/ledger/mine/"),
        ("dashboard (city)", "bench-leader", "/"),
        ("healthz (no login)", "", "/healthz"),
    ]


def sessions(usernames: set[str]) -> dict[str, str]:
    """A session cookie per login, made as a login would make it."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    out = {}
    for name in sorted(usernames - {""}):
        client = Client()
        client.force_login(get_user_model().objects.get(username=name))
        out[name] = client.cookies["sessionid"].value
    return out


async def hammer(port: int, path: str, cookie: str, clients: int, seconds: float) -> dict:
    """``clients`` connections asking for ``path`` back to back for ``seconds``: requests, errors,
    and the server's CPU seconds meanwhile."""
    cpu_before = server_cpu(port)
    deadline = time.monotonic() + seconds
    counts = {"requests": 0, "errors": 0, "bytes": 0}
    first_error = []

    async def one() -> None:
        conn = Connection(port)
        if cookie:
            conn.cookies["sessionid"] = cookie
        while time.monotonic() < deadline:
            try:
                response = await conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
            except Exception as exc:  # counted, with its kind
                counts["errors"] += 1
                first_error.append(repr(exc))
                await conn.close()
                continue
            counts["requests"] += 1
            counts["bytes"] += len(response.body)
            if response.status != 200:
                counts["errors"] += 1
                first_error.append(f"{response.status} {response.body[:200]!r}")
        await conn.close()

    started = time.monotonic()
    await asyncio.gather(*(one() for _ in range(clients)))
    elapsed = time.monotonic() - started
    cpu = server_cpu(port) - cpu_before
    return {
        **counts,
        "seconds": round(elapsed, 2),
        "per_second": round(counts["requests"] / elapsed, 1),
        "cpu_ms": round(1000 * cpu / max(counts["requests"], 1), 2),
        "first_error": first_error[:1],
    }


async def after_write(port: int, path: str, cookie: str, unit_code: str, clerk_cookie: str) -> float:
    """Milliseconds of one request for ``path`` right after an activity is recorded in its unit."""
    conn = Connection(port)
    conn.cookies["sessionid"] = clerk_cookie
    page = await conn.request("GET", "/account/password/")  # for the CSRF cookie
    assert page.status == 200
    record = {"unit": unit_code, "kind": "collective_study", "date": "2020-06-10", "topic": "基准测试"}
    made = await conn.request(
        "POST",
        "/api/activities/",
        body=json.dumps(record).encode(),
        headers={"Content-Type": "application/json", "X-CSRFToken": conn.cookies.get("csrftoken", "")},
    )
    assert made.status == 201, made.body[:300]
    await conn.close()
    reader = Connection(port)
    if cookie:
        reader.cookies["sessionid"] = cookie
    started = time.perf_counter()
    response = await reader.request("GET", path)
    ms = (time.perf_counter() - started) * 1000
    assert response.status == 200, response.body[:300]
    await reader.close()
    return ms


def measure(port: int, pages, cookies: dict[str, str], args) -> dict:
    async def run() -> dict:
        out: dict[str, dict] = {name: {"rounds": []} for name, _, _ in pages}
        for _name, user, path in pages:  # once each: templates compiled, results kept
            await hammer(port, path, cookies.get(user, ""), 1, 0.01)
        for _ in range(args.rounds):
            for name, user, path in pages:
                out[name]["rounds"].append(
                    await hammer(port, path, cookies.get(user, ""), args.clients, args.seconds)
                )
        return out

    return asyncio.run(run())


def summarise(pages, figures: dict, firsts: dict[str, float]) -> dict:
    rows = {}
    floor_rounds = [r["per_second"] for r in figures[FLOOR]["rounds"]]
    for name, _, path in pages:
        rounds = figures[name]["rounds"]
        costs = [
            round(floor / r["per_second"], 2) if r["per_second"] else None
            for floor, r in zip(floor_rounds, rounds, strict=True)
        ]
        known = [c for c in costs if c is not None]
        cpu_costs = [
            round(r["cpu_ms"] / floor["cpu_ms"], 2) if floor["cpu_ms"] else None
            for floor, r in zip(figures[FLOOR]["rounds"], rounds, strict=True)
        ]
        rows[name] = {
            "path": path,
            "per_second": statistics.median(r["per_second"] for r in rounds),
            "cost": statistics.median(known) if known else None,
            "costs": costs,
            "cpu_ms": statistics.median(r["cpu_ms"] for r in rounds),
            "cpu_cost": statistics.median(c for c in cpu_costs if c is not None),
            "cpu_costs": cpu_costs,
            "errors": sum(r["errors"] for r in rounds),
            "first_error": next((r["first_error"] for r in rounds if r["first_error"]), []),
            "kb": round(statistics.median(r["bytes"] / max(r["requests"], 1) for r in rounds) / 1024, 1),
            "first_after_write_ms": round(firsts[name], 1) if name in firsts else None,
        }
        if name.startswith("healthz"):
            rows[name]["cost"] = rows[name]["cpu_cost"] = None  # no login: not one of the mix
    return rows


def write_results_md() -> None:
    """The "Pages" section of bench/RESULTS.md from every bench/results/pages-*.json."""
    runs = {
        p.stem.removeprefix("pages-"): json.loads(p.read_text()) for p in sorted(RESULTS.glob("pages-*.json"))
    }
    lines = [
        "## Pages (bench/pages.py)",
        "",
        "One `taizhang serve`, eight clients asking for one page at a time without pause, every page in",
        "turn, rounds interleaved; *cost* is the password form's throughput divided by the page's, in the",
        "same round (median of the rounds), and the server's CPU time a request (its gunicorn processes",
        "own, read from /proc: what a busy machine's waiting leaves out) divided by the password form's;",
        "the issue's target is every page of the mix within 3×. The",
        "requests after the first are what the table times (results kept: `core.stamps`); *after a write*",
        "is one request right after an activity is recorded in the page's unit (its results worked out",
        "again). The clients run on the same two cores as the server.",
    ]
    for name, r in runs.items():
        lines += [
            "",
            f"### {name}: {r['data']}",
            "",
            f"Command: `{r['command']}`. {r['when']}, {r['machine']}; server: {r['server']}; load average "
            f"{r['load_average'][0]} before, {r['load_average'][1]} after.",
            "",
            "| page | req/s | cost by req/s | server CPU ms a request | cost by CPU | within 3× "
            "| after a write, ms | KB | errors |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for page, row in r["pages"].items():
            cost = "—" if row["cost"] is None else f"{row['cost']}×"
            cpu_cost = "—" if row["cpu_cost"] is None else f"{row['cpu_cost']}×"
            worst = max((c for c in (row["cost"], row["cpu_cost"]) if c is not None), default=None)
            within = "—" if worst is None else ("yes" if worst <= TARGET else "**no**")
            first = "—" if row["first_after_write_ms"] is None else row["first_after_write_ms"]
            lines.append(
                f"| {page} | {row['per_second']} | {cost} | {row['cpu_ms']} | {cpu_cost} | {within} "
                f"| {first} | {row['kb']} | {row['errors']} |"
            )
    section = "\n".join(lines) + "\n"
    target = HERE / "RESULTS.md"
    text = target.read_text(encoding="utf-8") if target.exists() else ""
    start = text.find("## Pages (bench/pages.py)")
    if start >= 0:
        ends = [i for i in (text.find("\n## ", start + 1), text.find("\n<!--", start + 1)) if i >= 0]
        end = min(ends, default=-1)
        text = text[:start] + section + ("\n" + text[end + 1 :] if end >= 0 else "")
    else:
        # after bench/load.py's end marker: load.py rewrites everything above it, and kept a section
        # placed before it only until its next run
        marker = "<!-- End of what bench/load.py writes"
        at = text.find(marker)
        after = text.find("\n", at) + 1 if at >= 0 else -1
        text = (
            (text[:after] + "\n" + section + text[after:])
            if after > 0
            else text.rstrip("\n") + "\n\n" + section
        )
    target.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per page and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: serve's)")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--label", default="", help="kept beside others: results/pages-<db>-<label>.json")
    args = parser.parse_args()

    var = RESULTS / "pages-var"
    shutil.rmtree(var, ignore_errors=True)
    var.mkdir(parents=True)
    if args.db == "sqlite":
        os.environ.pop("DATABASE_URL", None)
        env, data = load_demo(environment(var, suffix="pages")), "the demo"
    else:
        url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/taizhang_bench")
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        env |= {"TAIZHANG_VAR": str(var), "DATABASE_URL": url}
        done = taizhang(env, "migrate", "--noinput", "-v", "0")
        if done.returncode:
            sys.exit(done.stderr)
        data = "the benchmark city"
    django_on(env)
    from django.db import connections

    from taizhang.core.management.commands.serve import default_workers
    from taizhang.ledger.models import Activity
    from taizhang.org.models import Unit

    pages = demo_pages() if args.db == "sqlite" else city_pages()
    data = f"{data}, {Unit.objects.count():,} units, {Activity.objects.count():,} activities"
    cookies = sessions({user for _, user, _ in pages})
    connections.close_all()
    workers = args.workers or default_workers()
    before = os.getloadavg()[0]
    with serving(env, var / "serve.log", workers=workers, threads=args.threads) as port:
        print(
            f"pages: {len(pages)} pages, {args.clients} clients, {workers} workers x {args.threads} threads"
        )
        figures = measure(port, pages, cookies, args)
        clerk = pages[0][1]
        firsts = {}
        for name, user, path in pages[1:]:
            unit = _unit_of(path)
            if unit:
                firsts[name] = asyncio.run(
                    after_write(port, path, cookies.get(user, ""), unit, cookies[clerk])
                )
    after = os.getloadavg()[0]
    rows = summarise(pages, figures, firsts)
    for name, row in rows.items():
        cost = "" if row["cost"] is None else f"{row['cost']:5.2f}x"
        cpu_cost = "" if row["cpu_cost"] is None else f"{row['cpu_cost']:5.2f}x"
        print(
            f"  {name:24} {row['per_second']:8.1f} req/s {cost:>8}  {row['cpu_ms']:6.1f} ms CPU {cpu_cost:>8}"
            f"  errors {row['errors']}"
        )
    result = {
        "command": "python bench/pages.py " + " ".join(shlex.quote(a) for a in sys.argv[1:]),
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "data": data,
        "server": f"gunicorn gthread, {workers} workers x {args.threads} threads",
        "clients": args.clients,
        "seconds_per_page_and_round": args.seconds,
        "rounds": args.rounds,
        "load_average": [round(before, 2), round(after, 2)],
        "pages": rows,
        "raw": figures,
    }
    name = f"{args.db}-{args.label}" if args.label else args.db
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"pages-{name}.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    write_results_md()
    if any(row["errors"] for row in rows.values()):
        sys.exit(1)


def _unit_of(path: str) -> str:
    """The unit a page's address names (its results are what a write there moves)."""
    from urllib.parse import parse_qs, urlsplit

    parts = urlsplit(path)
    if "unit" in parse_qs(parts.query):
        return parse_qs(parts.query)["unit"][0]
    for prefix in ("/org/units/", "/documents/summary/"):
        if parts.path.startswith(prefix):
            return parts.path[len(prefix) :].split("/")[0]
    return ""


if __name__ == "__main__":
    main()
