"""`make bench`, load part: gunicorn as the Docker image runs it, under officers working at once.

Target (the load issue): 100 users of mixed roles on the national data, at least 100 requests a
second with a p95 under 300 ms and no error, on the 2-core machine with the load generator beside
the server. `run_load_test(database_url)` runs it against a database already filled (and migrated);
`python -m tests.bench_load <database name or URL>` does the same from the shell and exits non-zero
when a target is missed. Bounded: a 10 s ramp-up, then `seconds` of measurement (120 by default),
then everything it started is stopped. Only 127.0.0.1 is sent requests.

What it does, in order:

1. The officers: USERS_BY_ROLE of `users` (60 % commune officers spread over the communes of
   Bến Tre (legacy province 83), 25 % district members of its districts, 15 % provincial
   officers), usernames `load.xa.001`..., made if missing, with no usable password. Each is signed
   in by Client.force_login in a subprocess under the production settings and environment of the
   server, SECRET_KEY included (the session is written to the database and to Redis: production's
   cached_db engine), and a sample of the households in each one's scope is read for their pages.
   Static files are collected first (as the image's build does: production's storage reads a
   manifest) when the collected ones are missing or older than frontwelfare/static.
2. gunicorn as the Dockerfile's CMD starts it: `gunicorn frontwelfare.wsgi:application` from the
   checkout's top (so gunicorn.conf.py applies), settings frontwelfare.settings.production,
   workers from WEB_CONCURRENCY (`workers`, else the environment's, else the image's 3), `--threads`
   when `threads` is given (gunicorn then uses its gthread worker), the access log on, bound to
   127.0.0.1. Over plain HTTP, so SECURE_SSL_REDIRECT=false; production marks the session cookie
   Secure, so the load generator sends it itself. One request per role checks that its session
   gets the signed-in page, not the sign-in form.
3. locust, headless (tests/locustfile.py: the requests, their weights and the pacing), its
   statistics reset once every user runs, written as CSV and read back.
4. Meanwhile, the CPU time of each process group (locust, gunicorn, PostgreSQL's connections to
   this database, Redis, the rest of the machine) is sampled every half second, and with
   `profile=True` py-spy records the gunicorn workers; the samples are summed into shares of the
   server's CPU: SQL (ORM and driver), templates, sessions/auth/cache, middleware, view code,
   gunicorn itself.

Worker model: sync, as the image runs it, WEB_CONCURRENCY about 2 x cores + 1 (gunicorn's own
rule; the image's 3 on 2 cores is within the noise of it). Each request costs about 28 ms of
Python CPU in the worker and 14 ms of PostgreSQL CPU (measured here on Bến Tre's 120,000
households): the work is CPU-bound, so what decides throughput is the cores, and
a model only has to keep them busy while a worker waits for PostgreSQL. Sync workers do that with
a few more processes than cores and no GIL between requests; gthread (2 x 4, 4 x 2) served 5-10 %
fewer requests at a higher CPU cost per request (threads of one process take turns on the GIL)
and no better p95; an async worker (gevent) helps requests that mostly wait, which these do not,
and needs psycopg and every library patched for it. Sync workers need a buffering proxy in
front (a slow client holds a worker): the TLS proxy of a deployment is one.

On 2 cores, with the load generator beside the server (about 1 ms of CPU per request), that cost
caps the machine at about 45 requests a second: the report prints the cap from the measured CPU,
and with `profile=True` where the workers' CPU goes (templates, ORM, middleware, sessions).
"""

import argparse
import csv
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
PORT = 8765
PROVINCE = "83"  # Bến Tre before the July 2025 reform, legacy era
# (role, short name in the username, share of the users)
USERS_BY_ROLE = (("commune_officer", "xa", 0.60), ("district_member", "huyen", 0.25),
                 ("provincial_officer", "tinh", 0.15))
HOUSEHOLDS_PER_OFFICER = 40
RAMP_SECONDS = 10
# Seconds between the starts of one user's requests (tests/locustfile.py): 0.9 on average.
PACE = (0.4, 1.4)
TARGET_RPS = 100
TARGET_P95_MS = 300
LOGIN_FORM = b'name="password"'
# The process groups whose CPU serves the load (PostgreSQL's background processes are left out:
# on this machine they also serve other databases).
GENERATOR, SERVER = "load generator (locust)", "gunicorn (master and workers)"
DATABASE, REDIS = "PostgreSQL (connections to this database)", "Redis (shared with others)"
# Variables that would change what production does here, or where it reads its settings from.
CLEARED = {"DEBUG", "BEHIND_TLS_PROXY", "REPORTS_DATABASE_URL", "GUNICORN_CMD_ARGS", "DATABASE_CONN_MAX_AGE",
           *(f"{name}_FILE" for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "DEBUG",
                                         "SECURE_SSL_REDIRECT", "BEHIND_TLS_PROXY"))}


def role_counts(users: int) -> list[tuple[str, str, int]]:
    """(role, short name, how many) for ``users`` users: 60 %, 25 %, the rest."""
    communes = round(users * USERS_BY_ROLE[0][2])
    districts = round(users * USERS_BY_ROLE[1][2])
    counts = [communes, districts, max(0, users - communes - districts)]
    return [(role, short, count) for (role, short, _), count in zip(USERS_BY_ROLE, counts, strict=True)]


def production_env(database_url: str, redis_url: str, *, workers: int | None) -> dict[str, str]:
    """The environment of the server (and of the subprocess that signs the officers in): the
    caller's, with what production requires set as a deployment would, and a new SECRET_KEY."""
    env = {name: value for name, value in os.environ.items() if name not in CLEARED}
    env.update(
        DJANGO_SETTINGS_MODULE="frontwelfare.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=f"{HOST},localhost",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        SECURE_SSL_REDIRECT="false",
        PYTHONUNBUFFERED="1",
        PYTHONDONTWRITEBYTECODE="1",
    )
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    else:
        env.setdefault("WEB_CONCURRENCY", "3")  # the image's
    return env


# -- step 1, in a subprocess under the production settings --------------------------------------------

def prepare(users: int, out: Path) -> None:
    """Collect static files if needed; make, sign in and describe the officers (see the module)."""
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.utils.crypto import get_random_string

    from frontwelfare.accounts.choices import ROLE_UNIT_LEVEL
    from frontwelfare.accounts.models import User
    from frontwelfare.areas.choices import Era, Level
    from frontwelfare.areas.models import AdministrativeUnit
    from households.models import Household

    collected = _collect_static(Path(settings.STATIC_ROOT))
    province = AdministrativeUnit.objects.get(era=Era.LEGACY, level=Level.PROVINCE, code=PROVINCE)
    units = {level: list(AdministrativeUnit.objects.filter(era=Era.LEGACY, level=level, province=province)
                         .order_by("code")) for level in (Level.COMMUNE, Level.DISTRICT)}
    units[Level.PROVINCE] = [province]
    officers = []
    for role, short, count in role_counts(users):
        choices = units[ROLE_UNIT_LEVEL[role]]
        for number in range(count):
            # Spread evenly: every other commune or so, every district in turn.
            unit = choices[number * len(choices) // count if count <= len(choices) else number % len(choices)]
            user = User.objects.filter(username=f"load.{short}.{number + 1:03d}").first()
            if user is None:
                user = User(username=f"load.{short}.{number + 1:03d}", role=role, unit=unit,
                            first_name=f"{short} {number + 1}", last_name="Đo tải")
                user.set_unusable_password()
                user.save()
            elif (user.role, user.unit_id, user.is_active) != (role, unit.pk, True):
                user.role, user.unit, user.is_active = role, unit, True
                user.save(update_fields=["role", "unit", "is_active"])
            client = Client()
            client.force_login(user)
            households = list(Household.objects.visible_to(user).order_by("?")
                              .values_list("pk", flat=True)[:HOUSEHOLDS_PER_OFFICER])
            if not households:
                raise SystemExit(f"{user.username} ({unit.name}) sees no household: is the database filled?")
            officers.append({"username": user.username, "role": role, "unit": unit.name,
                             "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
                             "csrf": get_random_string(32), "households": households})
    out.write_text(json.dumps({
        "session_cookie": settings.SESSION_COOKIE_NAME, "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "pace": list(PACE), "static_collected": collected, "users": officers,
    }, ensure_ascii=False), encoding="utf-8")


def _collect_static(static_root: Path) -> bool:
    """collectstatic, as the image's build runs it, unless its manifest is newer than our static files
    (it takes a minute: every file is compressed). True when it ran."""
    from django.core.management import call_command

    manifest = static_root / "staticfiles.json"
    newest = max(path.stat().st_mtime for path in (ROOT / "frontwelfare" / "static").rglob("*") if path.is_file())
    if manifest.exists() and manifest.stat().st_mtime >= newest:
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    return True


# -- step 2: the server ----------------------------------------------------------------------------

def _port_open(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=1):
            return True
    except OSError:
        return False


def start_gunicorn(env: dict, *, threads: int | None, port: int, logs: Path) -> subprocess.Popen:
    """gunicorn as the Dockerfile's CMD, bound to 127.0.0.1:port; returns once every worker answers."""
    import psutil

    if _port_open(port):
        raise RuntimeError(f"something already listens on {HOST}:{port}")
    command = [str(BIN / "gunicorn"), "frontwelfare.wsgi:application", "--bind", f"{HOST}:{port}",
               "--access-logfile", "-"]
    if threads:
        command += ["--threads", str(threads)]
    with open(logs / "access.log", "wb") as access, open(logs / "gunicorn.log", "wb") as errors:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=access, stderr=errors)
    workers = int(env["WEB_CONCURRENCY"])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped:\n" + (logs / "gunicorn.log").read_text(errors="replace")[-3000:])
        if _port_open(port) and len(psutil.Process(server.pid).children()) >= workers:
            return server
        time.sleep(0.2)
    stop(server)
    raise RuntimeError("gunicorn did not start within 60 s")


def check_signed_in(plan: dict, port: int) -> None:
    """One officer of each role gets the dashboard signed in (and, as a side effect, the workers
    that answer have loaded the application)."""
    for role in dict.fromkeys(officer["role"] for officer in plan["users"]):
        officer = next(officer for officer in plan["users"] if officer["role"] == role)
        connection = http.client.HTTPConnection(HOST, port, timeout=60)
        try:
            connection.request("GET", "/", headers={
                "Cookie": f"{plan['session_cookie']}={officer['session']}"})
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        if response.status != 200 or LOGIN_FORM in body:
            raise RuntimeError(f"{officer['username']}'s session does not sign in: GET / answered "
                               f"{response.status} {response.getheader('Location') or ''}")


def stop(process: subprocess.Popen | None, *, timeout: float = 30) -> None:
    """Stop a process this module started (gunicorn stops its workers on SIGTERM)."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# -- step 4: where the CPU goes ----------------------------------------------------------------------

class CpuSampler(threading.Thread):
    """The CPU time of each group of processes over a window, sampled every half second so that a
    process ending meanwhile (a database connection replaced after DATABASE_CONN_MAX_AGE) is counted
    up to its last sample; the machine's busy time over the same window."""

    def __init__(self, *, locust: int, server: int, database: str, profilers: list):
        super().__init__(daemon=True)
        self.roots = {GENERATOR: locust, SERVER: server}
        self.database = database
        self.profilers = profilers
        self.base: dict[int, float] = {}
        self.last: dict[int, tuple[str, float]] = {}
        self.window: bool | None = None  # None before, True during, False after
        self.halt = threading.Event()

    def _group(self, process, trees: dict[int, str]) -> str | None:
        if process.pid in trees:
            return trees[process.pid]
        if process.pid == os.getpid():
            return "this harness"
        name = process.info["name"] or ""
        if name == "postgres":
            command = " ".join(process.info["cmdline"] or [])
            return (DATABASE if f" {self.database} " in f"{command} "
                    else "PostgreSQL (other: background, other databases)")
        if name.startswith("redis-server"):
            return REDIS
        return None

    def _sample(self) -> dict[int, tuple[str, float]]:
        import psutil

        trees = {}
        for group, pid in self.roots.items():
            try:
                root = psutil.Process(pid)
                trees.update({process.pid: group for process in [root, *root.children(recursive=True)]})
            except psutil.NoSuchProcess:
                pass
        trees.update({profiler.pid: "py-spy (profiler)" for profiler in self.profilers})
        found = {}
        for process in psutil.process_iter(["name", "cmdline", "cpu_times"]):
            group = self._group(process, trees)
            times = process.info["cpu_times"]
            if group and times is not None:
                found[process.pid] = (group, times.user + times.system)
        return found

    def _machine(self) -> tuple[float, float]:
        import psutil

        times = psutil.cpu_times()
        return time.monotonic(), sum(times) - times.idle - getattr(times, "iowait", 0.0)

    def open(self) -> None:
        self.base = {pid: cpu for pid, (_, cpu) in self._sample().items()}
        self.started = self._machine()
        self.window = True

    def close(self) -> dict:
        self.last.update(self._sample())
        ended = self._machine()
        self.window = False
        self.halt.set()
        wall, busy = ended[0] - self.started[0], ended[1] - self.started[1]
        spent = Counter()
        for pid, (group, cpu) in self.last.items():
            spent[group] += max(0.0, cpu - self.base.get(pid, 0.0))
        cores = os.cpu_count() or 1
        return {"wall_seconds": wall, "cores": cores, "busy_seconds": busy, "by_group": dict(spent),
                "elsewhere_seconds": max(0.0, busy - sum(spent.values())),
                "idle_seconds": max(0.0, wall * cores - busy)}

    def run(self) -> None:
        while not self.halt.wait(0.5):
            if self.window:
                self.last.update(self._sample())


# Exclusive categories of a sampled stack: the first whose packages one of its frames is in (py-spy
# writes a frame as "function (path/of/file.py:line)", the path from site-packages or the checkout).
PROFILE_CATEGORIES = [
    ("SQL: ORM and database driver (Python side)", ("django/db/", "psycopg/")),
    ("templates", ("django/template/", "django/templatetags/")),
    ("sessions, auth and cache (Redis)", ("django/contrib/sessions/", "django/contrib/auth/", "django_redis/",
                                          "redis/", "frontwelfare/redis_breaker")),
]
OUR_PACKAGES = ("frontwelfare/", "households/", "housing/")


def _in(frames: list[str], fragments) -> bool:
    return any(f" ({fragment}" in frame for frame in frames for fragment in fragments)


def profile_category(frames: list[str]) -> str:
    for name, fragments in PROFILE_CATEGORIES:
        if _in(frames, fragments):
            return name
    if any(frame.startswith("_get_response (django/core/handlers/base.py") for frame in frames):
        return "view code (views, filters, forms, DRF, i18n)"
    if _in(frames, ("django/",)):
        return "middleware and request handling (outside the view)"
    if _in(frames, ("gunicorn/",)):
        return "gunicorn (HTTP parsing, access log)"
    return "the rest (GC, start-up, other)"


def _where(frame: str) -> str:
    function, _, where = frame.partition(" (")
    return f"{function} ({where.rsplit(':', 1)[0]})"


def summarise_profile(path: Path, *, top: int = 12) -> dict:
    """Shares of the sampled stacks (py-spy's raw format: frames joined by ';', then a count) by
    category (each stack in one); the shares spent inside a template render and inside the
    session and authentication code (their queries included); the functions most often at the top
    of the stack (where the CPU itself went), our own functions most often on it (innermost), and
    what called the ORM or the driver (the frame just outside the first of theirs)."""
    categories, leaves, ours, orm_callers = Counter(), Counter(), Counter(), Counter()
    total = in_template = in_session = 0
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = [frame for frame in stack.split(";") if not frame.startswith("process ")] or ["(no frame)"]
        samples = int(count)
        total += samples
        categories[profile_category(frames)] += samples
        in_template += samples if _in(frames, PROFILE_CATEGORIES[1][1]) else 0
        in_session += samples if _in(frames, PROFILE_CATEGORIES[2][1]) else 0
        leaves[_where(frames[-1])] += samples
        own = [frame for frame in frames if _in([frame], OUR_PACKAGES) and "middleware" not in frame]
        ours[_where(own[-1]) if own else "(none of our functions)"] += samples
        orm = next((number for number, frame in enumerate(frames) if _in([frame], PROFILE_CATEGORIES[0][1])), None)
        if orm:
            orm_callers[_where(frames[orm - 1])] += samples
    share = (lambda samples: samples / total) if total else (lambda samples: 0.0)
    return {"samples": total, "shares": {name: share(samples) for name, samples in categories.most_common()},
            "inside_templates": share(in_template), "inside_sessions_auth": share(in_session),
            "top_functions": [(name, share(samples)) for name, samples in leaves.most_common(top)],
            "top_our_functions": [(name, share(samples)) for name, samples in ours.most_common(top)],
            "top_orm_callers": [(name, share(samples)) for name, samples in orm_callers.most_common(top)]}


def start_profiler(server: subprocess.Popen, *, seconds: int, out: Path) -> subprocess.Popen:
    """py-spy on the gunicorn master and its workers, without pausing them, 100 samples a second, of
    the threads that hold the GIL (running Python: not waiting for PostgreSQL, Redis or a client)."""
    with open(out.with_suffix(".log"), "wb") as log:
        return subprocess.Popen(
            [str(BIN / "py-spy"), "record", "--nonblocking", "--gil", "--subprocesses", "--format", "raw",
             "--rate", "100", "--duration", str(seconds), "-o", str(out), "-p", str(server.pid)],
            stdout=log, stderr=subprocess.STDOUT)


# -- step 3: the load ----------------------------------------------------------------------------------

def _ms(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None  # N/A: no request of that kind


def read_stats(prefix: Path) -> dict:
    """locust's CSV statistics: the figures of each request kind and of all, and the failures."""
    def figures(row: dict) -> dict:
        return {"requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]), "average_ms": _ms(row["Average Response Time"]),
                "p50_ms": _ms(row["50%"]), "p95_ms": _ms(row["95%"]), "p99_ms": _ms(row["99%"]),
                "max_ms": _ms(row["Max Response Time"])}

    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        rows = list(csv.DictReader(stats))
    with open(f"{prefix}_failures.csv", encoding="utf-8") as failures:
        failed = [(row["Name"], row["Error"], int(row["Occurrences"])) for row in csv.DictReader(failures)]
    return {"all": figures(next(row for row in rows if row["Name"] == "Aggregated")),
            "by_name": {row["Name"]: figures(row) for row in rows if row["Name"] != "Aggregated"},
            "failure_kinds": failed}


def run_load_test(database_url: str, *, users: int = 100, seconds: int = 120, workers: int | None = None,
                  threads: int | None = None, profile: bool = False, port: int = PORT,
                  redis_url: str | None = None, keep: bool = False, quiet: bool = False) -> dict:
    """Run the load test (see the module) against ``database_url`` and return its figures:
    users, seconds, workers, threads, worker_class, requests, failures, rps, p50_ms, p95_ms,
    p99_ms (all requests), by_name (the same for each kind of request), failure_kinds, cpu (seconds
    of CPU per process group over the measured window, and cores used), profile (with
    profile=True: shares of the server's sampled CPU), passed (the targets met) and workdir (the
    logs, CSV and profile, kept only with keep=True)."""
    redis_url = redis_url or os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    env = production_env(database_url, redis_url, workers=workers)
    workers = int(env["WEB_CONCURRENCY"])
    database = urlsplit(database_url).path.lstrip("/")
    workdir = Path(tempfile.mkdtemp(prefix="fw-load-"))
    server = locust = profiler = sampler = None
    try:
        started = time.perf_counter()
        plan_path = workdir / "officers.json"
        subprocess.run([sys.executable, "-m", "tests.bench_load", "--prepare-officers", str(plan_path), str(users)],
                       cwd=ROOT, env={**env, "LOG_LEVEL": "WARNING"}, check=True)
        plan = json.loads(plan_path.read_text(encoding="utf-8"))
        prepared = time.perf_counter() - started

        server = start_gunicorn(env, threads=threads, port=port, logs=workdir)
        check_signed_in(plan, port)

        locust_env = {**os.environ, "LOAD_USERS_FILE": str(plan_path)}
        with open(workdir / "locust.log", "wb") as log:
            locust = subprocess.Popen(
                [str(BIN / "locust"), "-f", str(ROOT / "tests" / "locustfile.py"), "--headless",
                 "--users", str(users), "--spawn-rate", f"{max(1.0, users / RAMP_SECONDS):g}",
                 "--run-time", f"{RAMP_SECONDS + seconds}s", "--host", f"http://{HOST}:{port}",
                 "--csv", str(workdir / "load"), "--reset-stats", "--only-summary", "--stop-timeout", "5"],
                cwd=workdir, env=locust_env, stdout=log, stderr=subprocess.STDOUT)
        launched = time.monotonic()
        profilers: list = []
        sampler = CpuSampler(locust=locust.pid, server=server.pid, database=database, profilers=profilers)
        sampler.start()
        # The window: from 2 s after every user runs to 1 s before locust stops them.
        time.sleep(max(0.0, launched + RAMP_SECONDS + 2 - time.monotonic()))
        if profile:
            profiler = start_profiler(server, seconds=max(1, seconds - 4), out=workdir / "profile.txt")
            profilers.append(profiler)
        sampler.open()
        time.sleep(max(0.0, launched + RAMP_SECONDS + seconds - 1 - time.monotonic()))
        cpu = sampler.close()
        locust.wait(timeout=60)
        if profiler is not None:
            profiler.wait(timeout=60)
        stats = read_stats(workdir / "load")
    finally:
        for process in (locust, profiler):
            stop(process, timeout=10)
        if sampler is not None:
            sampler.halt.set()
        stop(server)
    result = {
        "users": users, "seconds": seconds, "workers": workers, "threads": threads or 1,
        "worker_class": "gthread" if (threads or 1) > 1 else "sync", "database": database,
        "roles": Counter(officer["role"] for officer in plan["users"]),
        "prepare_seconds": prepared, "static_collected": plan["static_collected"],
        **{key: stats["all"][key] for key in ("requests", "failures", "rps", "p50_ms", "p95_ms", "p99_ms")},
        "by_name": stats["by_name"], "failure_kinds": stats["failure_kinds"], "cpu": cpu,
        "profile": summarise_profile(workdir / "profile.txt") if profile else None,
        "workdir": workdir if keep else None,
    }
    served = result["rps"] * cpu["wall_seconds"]
    result["cpu_ms_per_request"] = {group: spent * 1000 / served if served else None
                                    for group, spent in cpu["by_group"].items()}
    # What all the cores could serve at this cost, were nothing else running.
    serving = sum(result["cpu_ms_per_request"].get(group) or 0.0 for group in (GENERATOR, SERVER, DATABASE, REDIS))
    result["capacity_rps"] = cpu["cores"] * 1000 / serving if serving else None
    result["passed"] = bool(result["requests"] and result["rps"] >= TARGET_RPS and result["p95_ms"] is not None
                            and result["p95_ms"] < TARGET_P95_MS and result["failures"] == 0)
    if not keep:
        shutil.rmtree(workdir, ignore_errors=True)
    if not quiet:
        report(result)
    return result


# -- the report ----------------------------------------------------------------------------------------

def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def report(result: dict) -> None:
    roles = result["roles"]
    print(f"\nload test on {result['database']}: {result['users']} users ({roles.get('commune_officer', 0)} commune "
          f"officers, {roles.get('district_member', 0)} district members, {roles.get('provincial_officer', 0)} "
          f"provincial officers of Bến Tre), {result['seconds']} s after a {RAMP_SECONDS} s ramp-up; gunicorn "
          f"{result['worker_class']}, {result['workers']} workers x {result['threads']} threads")
    print(f"{'request':<22} {'requests':>8} {'failed':>6} {'req/s':>6} {'median':>6} {'p95':>5} {'p99':>5} "
          f"{'max':>6}   (ms)")
    rows = sorted(result["by_name"].items(), key=lambda item: -item[1]["requests"])
    for name, row in [*rows, ("all", {**result, "average_ms": None, "max_ms": None})]:
        print(f"{name:<22} {row['requests']:>8} {row['failures']:>6} {row['rps']:>6.1f} {_cell(row['p50_ms']):>6} "
              f"{_cell(row['p95_ms']):>5} {_cell(row['p99_ms']):>5} {_cell(row.get('max_ms')):>6}")
    for name, error, occurrences in result["failure_kinds"][:10]:
        print(f"  failed {occurrences} x {name}: {error}")
    print(f"targets: >= {TARGET_RPS} req/s, p95 < {TARGET_P95_MS} ms, no failure: "
          f"{'PASS' if result['passed'] else 'FAIL'}")

    cpu = result["cpu"]
    capacity = cpu["wall_seconds"] * cpu["cores"]
    requests = result["rps"] * cpu["wall_seconds"] or 1
    print(f"\nCPU over {cpu['wall_seconds']:.0f} s of the run ({cpu['cores']} cores = 100 %):")
    lines = [*sorted(cpu["by_group"].items(), key=lambda item: -item[1]),
             ("everything else on the machine", cpu["elsewhere_seconds"]), ("idle", cpu["idle_seconds"])]
    for group, spent in lines:
        per_request = f"{spent * 1000 / requests:6.1f} ms per request" if group != "idle" else ""
        print(f"  {group:<50} {spent / cpu['wall_seconds']:5.2f} cores {spent / capacity:6.1%}   {per_request}")
    if result["capacity_rps"]:
        per = result["cpu_ms_per_request"]
        print(f"at {per.get(SERVER) or 0:.1f} ms of gunicorn, {per.get(DATABASE) or 0:.1f} ms of PostgreSQL, "
              f"{per.get(REDIS) or 0:.1f} ms of Redis and {per.get(GENERATOR) or 0:.1f} ms of locust per request, "
              f"{cpu['cores']} cores serve at most {result['capacity_rps']:.0f} req/s with nothing else running")

    if result["profile"]:
        profile = result["profile"]
        print(f"\nwhere the workers' CPU goes (py-spy, {profile['samples']:,} samples of busy threads):")
        for name, share in profile["shares"].items():
            print(f"  {name:<52} {share:6.1%}")
        print(f"  (inside a template render, its queries included: {profile['inside_templates']:.1%}; inside "
              f"sessions, auth and cache, theirs included: {profile['inside_sessions_auth']:.1%})")
        print("  most frequent innermost functions:")
        for name, share in profile["top_functions"]:
            print(f"    {share:6.1%}  {name}")
        print("  our functions (the innermost of ours on each stack):")
        for name, share in profile["top_our_functions"]:
            print(f"    {share:6.1%}  {name}")
        print("  what called the ORM or the driver:")
        for name, share in profile["top_orm_callers"]:
            print(f"    {share:6.1%}  {name}")
    if result["workdir"]:
        print(f"\nlogs, CSV and profile kept in {result['workdir']}")


def main(argv: list[str]) -> int:
    if argv[:1] == ["--prepare-officers"]:
        prepare(int(argv[2]), Path(argv[1]))
        return 0
    parser = argparse.ArgumentParser(prog="python -m tests.bench_load", description=__doc__.split("\n\n")[0])
    parser.add_argument("database", help="a database name on the server of DATABASE_URL, or a postgres:// URL")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=120, help="measured, after the ramp-up")
    parser.add_argument("--workers", type=int, help="gunicorn workers (WEB_CONCURRENCY; the image's 3 by default)")
    parser.add_argument("--threads", type=int, help="threads per worker (more than 1: gunicorn's gthread worker)")
    parser.add_argument("--profile", action="store_true", help="record the workers with py-spy")
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--keep", action="store_true", help="keep the logs, CSV and profile")
    options = parser.parse_args(argv)
    url = options.database
    if "://" not in url:
        url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/frontwelfare").rsplit("/", 1)[0]
        url += "/" + options.database
    result = run_load_test(url, users=options.users, seconds=options.seconds, workers=options.workers,
                           threads=options.threads, profile=options.profile, port=options.port, keep=options.keep)
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
