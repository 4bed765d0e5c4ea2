"""Tools for the resilience tests: throw-away PostgreSQL clusters (run as the postgres user
when the tests run as root, since PostgreSQL refuses root), `placard serve` processes, an
HTTP client, simulated tablets and the checks' bookkeeping. Standard library only."""

import base64
import hashlib
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import threading
import time
import uuid
import zlib

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("PLACARD_BIN", os.path.join(ROOT, "build", "placard"))
AS_ROOT = os.getuid() == 0


def pg_bindir():
    versions = sorted(
        (v for v in os.listdir("/usr/lib/postgresql") if os.path.exists(f"/usr/lib/postgresql/{v}/bin/pg_ctl")),
        key=lambda v: [int(x) for x in v.split(".")],
    )
    if not versions:
        raise RuntimeError("no PostgreSQL server under /usr/lib/postgresql (script/bootstrap test)")
    return f"/usr/lib/postgresql/{versions[-1]}/bin"


PG_BIN = pg_bindir()


def free_port():
    """A free loopback port below the kernel's range for outgoing connections."""
    low = 32768
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low = int(f.read().split()[0])
    except OSError:
        pass
    span = max(low - 20000, 1000)
    for _ in range(200):
        port = 20000 + random.randrange(span)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port
    raise RuntimeError("no free port")


def log(msg):
    print(f"# {time.strftime('%H:%M:%S')} {msg}", flush=True)


class Checks:
    """Counts named checks; a failed one prints what it saw. Never vacuous: callers assert
    that the load did something before asserting that nothing went wrong."""

    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.lock = threading.Lock()

    def check(self, ok, name, detail=""):
        with self.lock:
            if ok:
                self.passed += 1
                print(f"ok - {name}", flush=True)
            else:
                self.failed += 1
                print(f"FAIL - {name}{': ' + str(detail) if detail else ''}", flush=True)
        return ok


class Cluster:
    """A PostgreSQL cluster in a throw-away directory, on a loopback port."""

    def __init__(self, base, name, port=None):
        self.dir = os.path.join(base, name)
        self.data = os.path.join(self.dir, "data")
        self.sock = os.path.join(self.dir, "sock")
        self.logfile = os.path.join(self.dir, "postgresql.log")
        self.port = port or free_port()
        os.makedirs(self.sock, exist_ok=True)
        if AS_ROOT:
            shutil.chown(self.dir, "postgres", "postgres")
            shutil.chown(self.sock, "postgres", "postgres")

    def run(self, *args, check=True, capture=True, timeout=120):
        cmd = list(args)
        if AS_ROOT:
            cmd = ["runuser", "-u", "postgres", "--"] + cmd
        r = subprocess.run(cmd, cwd="/", capture_output=capture, text=True, timeout=timeout)
        if check and r.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed ({r.returncode}): {r.stdout}{r.stderr}")
        return r

    def settings(self, extra=""):
        conf = (
            f"port = {self.port}\n"
            "listen_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{self.sock}'\n"
            "fsync = on\n"
            "synchronous_commit = on\n"
            "max_connections = 100\n"
            "shared_buffers = 64MB\n"
            "wal_level = replica\n"
            "max_wal_senders = 10\n"
            "hot_standby = on\n"
            "logging_collector = off\n" + extra
        )
        with open(os.path.join(self.data, "postgresql.auto.conf"), "a") as f:
            f.write(conf)

    def init(self, extra=""):
        self.run(
            f"{PG_BIN}/initdb", "-D", self.data, "-E", "UTF8", "--locale=C.UTF-8", "-A", "trust",
            "-U", "postgres",
        )
        self.settings(extra)

    def clone_from(self, primary):
        """A streaming replica of @primary: pg_basebackup -R, then its own port."""
        self.run(
            f"{PG_BIN}/pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
            "-D", self.data, "-R", "-X", "stream", "-c", "fast",
        )
        self.settings()

    def start(self):
        self.run(f"{PG_BIN}/pg_ctl", "-D", self.data, "-l", self.logfile, "-w", "-t", "120", "start")

    def stop(self, mode="fast", check=True):
        return self.run(f"{PG_BIN}/pg_ctl", "-D", self.data, "-m", mode, "-w", "-t", "120", "stop", check=check)

    def running(self):
        return self.run(f"{PG_BIN}/pg_ctl", "-D", self.data, "status", check=False).returncode == 0

    def url(self, db="placard"):
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={db} connect_timeout=3"

    def psql(self, sql, db="placard"):
        r = subprocess.run(
            [f"{PG_BIN}/psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", self.url(db), "-c", sql],
            capture_output=True, text=True, timeout=120,
        )
        if r.returncode != 0:
            raise RuntimeError(f"psql failed: {sql}: {r.stderr}")
        return r.stdout.strip()

    def rows(self, sql, db="placard"):
        out = self.psql(sql, db)
        return [line.split("|") for line in out.splitlines()] if out else []


def placard(args, url, stdin=None, timeout=600):
    env = dict(os.environ, PLACARD_DATABASE_URL=url, PLACARD_SQL_DIR=os.path.join(ROOT, "sql"))
    return subprocess.run([BIN] + args, input=stdin, capture_output=True, text=True, env=env, timeout=timeout)


def setup_database(cluster, establishments):
    """Create the database, migrate, load a small demo city and a few more staff."""
    cluster.psql("CREATE DATABASE placard", db="postgres")
    for args in (["migrate"], ["demo", "--establishments", str(establishments), "--inspections-per-establishment", "1"]):
        r = placard(args, cluster.url())
        if r.returncode != 0:
            raise RuntimeError(f"placard {' '.join(args)} failed: {r.stdout}{r.stderr}")


def add_inspector(cluster, name, password):
    r = placard(["user", "add", name, "--role", "inspector"], cluster.url(), stdin=password + "\n")
    if r.returncode != 0:
        raise RuntimeError(f"placard user add {name} failed: {r.stdout}{r.stderr}")


class Server:
    """One `placard serve` on a fixed port (kept across restarts, as a tablet knows one
    address)."""

    def __init__(self, base, name, url, read_url=None, port=None):
        self.url, self.read_url = url, read_url
        self.port = port or free_port()
        self.logfile = os.path.join(base, f"{name}.log")
        self.proc = None
        self.starts = 0

    def start(self, timeout=30):
        env = dict(os.environ)
        for k in list(env):
            if k.startswith("PLACARD_") and k != "PLACARD_BIN":
                del env[k]
        env.update(
            PLACARD_LISTEN=f"127.0.0.1:{self.port}",
            PLACARD_DATABASE_URL=self.url,
            PLACARD_WEB_DIR=os.path.join(ROOT, "web"),
            PLACARD_SQL_DIR=os.path.join(ROOT, "sql"),
            PLACARD_THREADS="4",
            PLACARD_PUBLIC_URL="https://placard.test",
            PLACARD_QUIET_ACCESS_LOG="1",
        )
        if self.read_url:
            env["PLACARD_READ_DATABASE_URL"] = self.read_url
        deadline = time.time() + timeout
        while True:
            logf = open(self.logfile, "a")
            self.proc = subprocess.Popen([BIN, "serve"], stdout=subprocess.PIPE, stderr=logf, env=env, text=True)
            logf.close()
            line = self.proc.stdout.readline()
            if "listening on" in line:
                self.starts += 1
                # Drain stdout so the server never blocks on a full pipe.
                threading.Thread(target=self._drain, args=(self.proc,), daemon=True).start()
                return
            self.proc.wait()
            if time.time() > deadline:
                raise RuntimeError(f"placard serve did not start: {line!r} (log {self.logfile})")
            time.sleep(0.2)  # the port may still be held by the killed process's sockets

    @staticmethod
    def _drain(proc):
        for _ in proc.stdout:
            pass

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                return self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                return -9
        return self.proc.returncode if self.proc else None

    def base(self):
        return ("127.0.0.1", self.port)


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body)


def request(server, method, path, body=None, headers=None, timeout=10):
    """One request on a fresh connection. Raises OSError (and http.client errors) when there
    is no answer."""
    host, port = server.base() if isinstance(server, Server) else server
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        h = dict(headers or {})
        data = None
        if body is not None:
            data = body if isinstance(body, (bytes, str)) else json.dumps(body)
            if isinstance(data, str):
                data = data.encode()
            h.setdefault("Content-Type", "application/json")
        conn.request(method, path, body=data, headers=h)
        r = conn.getresponse()
        return Response(r.status, {k.lower(): v for k, v in r.getheaders()}, r.read())
    finally:
        conn.close()


class Session:
    def __init__(self, cookie, csrf):
        self.cookie, self.csrf = cookie, csrf

    def headers(self, extra=None):
        h = {"Cookie": self.cookie, "X-CSRF-Token": self.csrf}
        h.update(extra or {})
        return h


def login(server, username, password, attempts=60):
    last = None
    for _ in range(attempts):
        try:
            r = request(server, "POST", "/api/v1/session", {"username": username, "password": password})
            if r.status == 201:
                cookie = r.headers["set-cookie"].split(";")[0]
                return Session(cookie, r.json()["csrf_token"])
            last = f"{r.status} {r.body[:200]!r}"
            if r.status < 500:
                break
        except (OSError, http.client.HTTPException) as e:
            last = repr(e)
        time.sleep(0.5)
    raise RuntimeError(f"sign-in as {username} failed: {last}")


ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def appeal_code(rng):
    """A code the server accepts: 10 characters, at least 7 different, no run of four
    that follow each other in the alphabet, up or down."""
    while True:
        c = "".join(rng.choice(ALPHABET) for _ in range(10))
        if len(set(c)) < 7:
            continue
        idx = [ALPHABET.index(x) for x in c]
        bad = False
        for i in range(7):
            d = [idx[i + j + 1] - idx[i + j] for j in range(3)]
            if d == [1, 1, 1] or d == [-1, -1, -1]:
                bad = True
        if not bad:
            return c


def png(rng, w=6, h=4):
    """A small PNG of random pixels: every photo has bytes of its own."""
    def chunk(kind, data):
        return (len(data).to_bytes(4, "big") + kind + data
                + zlib.crc32(kind + data).to_bytes(4, "big"))
    raw = b"".join(b"\x00" + bytes(rng.randrange(256) for _ in range(w * 3)) for _ in range(h))
    ihdr = w.to_bytes(4, "big") + h.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


RETRYABLE = (OSError, http.client.HTTPException)


class Tablet(threading.Thread):
    """A simulated inspector's tablet: makes inspections into its own queue and sends each
    as web/inspect/sync.mjs does: the creation with the inspection's own id as
    Idempotency-Key and the same body on every retry, then the submission with the appeal
    code made on the device (the same on every retry); a 409 at submission is looked up
    (submitted already: a retry after a lost answer). Errors without an answer, 5xx, 408
    and 429 are retried with back-off; any other refusal is a failure the test reports.
    Every acknowledged answer goes into the ledger."""

    def __init__(self, name, server, username, password, establishments, codes, stop, seed, pace=0.0):
        super().__init__(daemon=True)
        self.name, self.server, self.username, self.password = name, server, username, password
        self.establishments, self.codes, self.stop = establishments, codes, stop
        self.rng = random.Random(seed)
        self.pace = pace
        self.session = None
        self.ledger = []  # acknowledged inspections: dicts
        self.queue = []
        self.errors = {"no_answer": 0, "503": 0, "5xx": 0, "408/429": 0}
        self.refused = []  # unexpected answers: (what, status, body)
        self.replays = 0
        self.requests = 0

    def make(self):
        key = str(uuid.uuid4())
        n = self.rng.randrange(0, 4)
        codes = self.rng.sample(self.codes, n)
        body = {
            "establishment_id": self.rng.choice(self.establishments),
            "type": "initial",
            "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 3600)),
            "closed_establishment": False,
            "notes": f"resilience {key}",
            "violations": [{"code": c, "observed": f"seen {i}", "corrected_on_site": False, "repeat": False}
                           for i, c in enumerate(codes)],
        }
        photos = []
        for _ in range(self.rng.choice((0, 0, 0, 1, 2))):
            data = png(self.rng)
            photos.append({"id": str(uuid.uuid4()), "sha256": hashlib.sha256(data).hexdigest(), "uploaded": False,
                           "body": {"content_type": "image/png", "sha256": hashlib.sha256(data).hexdigest(),
                                    "data": [base64.b64encode(data).decode()], "width": 6, "height": 4,
                                    "taken_at": body["started_at"]}})
        return {"key": key, "create": json.dumps(body), "codes": sorted(codes), "appeal_code": appeal_code(self.rng),
                "server_id": None, "submitted": False, "establishment": body["establishment_id"], "photos": photos}

    def call(self, method, path, body=None, headers=None):
        """Until an answer that is not retryable; returns it. Raises when stopping hard."""
        backoff = 0.05
        while True:
            if self.session is None:
                try:
                    self.session = login(self.server, self.username, self.password, attempts=1)
                except RuntimeError:
                    self.errors["no_answer"] += 1
                    time.sleep(backoff)
                    backoff = min(backoff * 2, 1.0)
                    continue
            self.requests += 1
            try:
                r = request(self.server, method, path, body, self.session.headers(headers))
            except RETRYABLE:
                self.errors["no_answer"] += 1
                time.sleep(backoff)
                backoff = min(backoff * 2, 1.0)
                continue
            if r.status == 503:
                self.errors["503"] += 1
            elif r.status >= 500:
                self.errors["5xx"] += 1
            elif r.status in (408, 429):
                self.errors["408/429"] += 1
            elif r.status == 401:
                self.session = None  # signed out (never expected): sign in again
                self.refused.append((f"{method} {path}", r.status, r.body[:300]))
            else:
                return r
            time.sleep(backoff)
            backoff = min(backoff * 2, 1.0)

    def sync_one(self, rec):
        if rec["server_id"] is None:
            rec.setdefault("first_sent", time.time())
            r = self.call("POST", "/api/v1/inspections", rec["create"], {"Idempotency-Key": rec["key"]})
            if r.status != 201:
                self.refused.append(("create", r.status, r.body[:300]))
                return False
            if r.headers.get("idempotent-replayed") == "true":
                self.replays += 1
            rec["server_id"] = r.json()["id"]
        for p in rec["photos"]:
            if p["uploaded"]:
                continue
            r = self.call("POST", f"/api/v1/inspections/{rec['server_id']}/photos", p["body"],
                          {"Idempotency-Key": p["id"]})
            if r.status == 200:
                self.replays += 1
            elif r.status != 201:
                self.refused.append(("photo", r.status, r.body[:300]))
                return False
            p["uploaded"] = True
        if not rec["submitted"]:
            path = f"/api/v1/inspections/{rec['server_id']}/submit"
            r = self.call("POST", path, {"appeal_code": rec["appeal_code"]})
            if r.status == 409:
                s = self.call("GET", f"/api/v1/staff/inspections/{rec['server_id']}")
                if s.status != 200 or s.json().get("status") != "submitted":
                    self.refused.append(("submit", r.status, r.body[:300]))
                    return False
                self.replays += 1
            elif r.status != 200:
                self.refused.append(("submit", r.status, r.body[:300]))
                return False
            else:
                d = r.json()
                if d.get("status") != "submitted" or d.get("score") is None:
                    self.refused.append(("submit answer", r.status, r.body[:300]))
                    return False
            rec["submitted"] = True
        rec["acked_at"] = time.time()
        self.ledger.append(rec)
        return True

    def run(self):
        while not self.stop.is_set():
            rec = self.make()
            self.queue.append(rec)
            while self.queue:
                self.sync_one(self.queue.pop(0))
            if self.pace:
                time.sleep(self.pace)


# ---------------------------------------------------------------------------------------
# Patroni: a one-node etcd and PostgreSQL nodes managed by Patroni, on loopback


def http_json(url, timeout=2):
    import urllib.error
    import urllib.request
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never a proxy
    try:
        with opener.open(url, timeout=timeout) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        try:
            return e.code, json.loads(e.read() or b"null")
        except ValueError:
            return e.code, None
    except (OSError, ValueError):
        return None, None


class Etcd:
    def __init__(self, base):
        self.dir = os.path.join(base, "etcd")
        self.client, self.peer = free_port(), free_port()
        self.proc = None

    def start(self):
        os.makedirs(self.dir, exist_ok=True)
        peer = f"http://127.0.0.1:{self.peer}"
        client = f"http://127.0.0.1:{self.client}"
        self.proc = subprocess.Popen(
            ["etcd", "--name", "e1", "--data-dir", os.path.join(self.dir, "data"),
             "--listen-client-urls", client, "--advertise-client-urls", client,
             "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
             "--initial-cluster", f"e1={peer}", "--initial-cluster-state", "new",
             "--enable-v2=true"],
            stdout=open(os.path.join(self.dir, "etcd.log"), "w"), stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            st, _ = http_json(f"{client}/health")
            if st == 200:
                return
            time.sleep(0.2)
        raise RuntimeError("etcd did not start")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(30)


class PatroniNode:
    def __init__(self, base, name, etcd, scope):
        self.name = name
        self.dir = os.path.join(base, name)
        self.data = os.path.join(self.dir, "data")
        self.port, self.rest = free_port(), free_port()
        self.etcd, self.scope = etcd, scope
        self.proc = None
        self.config = os.path.join(self.dir, "patroni.yml")
        os.makedirs(self.dir, exist_ok=True)
        os.chmod(self.dir, 0o700)
        if AS_ROOT:
            shutil.chown(self.dir, "postgres", "postgres")

    def write_config(self):
        # JSON is YAML: the configuration needs no YAML writer.
        conf = {
            "scope": self.scope, "name": self.name,
            "log": {"level": "INFO", "dir": self.dir},
            "restapi": {"listen": f"127.0.0.1:{self.rest}", "connect_address": f"127.0.0.1:{self.rest}"},
            "etcd3": {"hosts": [f"127.0.0.1:{self.etcd.client}"]},
            "bootstrap": {
                "dcs": {
                    "ttl": 10, "loop_wait": 1, "retry_timeout": 4,
                    "maximum_lag_on_failover": 1048576,
                    "synchronous_mode": True,
                    "postgresql": {"use_pg_rewind": True, "parameters": {
                        "wal_level": "replica", "hot_standby": "on", "wal_log_hints": "on",
                        "max_wal_senders": 10, "max_replication_slots": 10, "max_connections": 100,
                        "shared_buffers": "64MB"}},
                },
                "initdb": [{"encoding": "UTF8"}, {"locale": "C.UTF-8"}],
                "pg_hba": ["local all all trust", "host all all 127.0.0.1/32 trust",
                           "host replication all 127.0.0.1/32 trust"],
            },
            "postgresql": {
                "listen": f"127.0.0.1:{self.port}", "connect_address": f"127.0.0.1:{self.port}",
                "data_dir": self.data, "bin_dir": PG_BIN,
                "pgpass": os.path.join(self.dir, "pgpass"),
                "authentication": {"superuser": {"username": "postgres"},
                                   "replication": {"username": "postgres"},
                                   "rewind": {"username": "postgres"}},
                "parameters": {"unix_socket_directories": self.dir},
                "pg_hba": ["local all all trust", "host all all 127.0.0.1/32 trust",
                           "host replication all 127.0.0.1/32 trust"],
            },
            "tags": {"nofailover": False, "noloadbalance": False, "clonefrom": False, "nosync": False},
        }
        with open(self.config, "w") as f:
            json.dump(conf, f, indent=1)
        if AS_ROOT:
            shutil.chown(self.config, "postgres", "postgres")

    def start(self):
        self.write_config()
        kw = {}
        if AS_ROOT:
            kw = dict(user="postgres", group="postgres", extra_groups=[])
        env = dict(os.environ, HOME=self.dir, no_proxy="127.0.0.1,localhost", NO_PROXY="127.0.0.1,localhost")
        self.proc = subprocess.Popen(["patroni", self.config], cwd=self.dir, env=env,
                                     stdout=open(os.path.join(self.dir, "patroni.out"), "w"),
                                     stderr=subprocess.STDOUT, **kw)

    def status(self):
        return http_json(f"http://127.0.0.1:{self.rest}/patroni")

    def role(self):
        st, d = self.status()
        return (d or {}).get("role") if st else None

    def postmaster_pid(self):
        try:
            with open(os.path.join(self.data, "postmaster.pid")) as f:
                return int(f.readline())
        except (OSError, ValueError):
            return None

    def kill_patroni(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        pid = self.postmaster_pid()
        if pid:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
