#!/usr/bin/env bash
# placard serve logging into the systemd journal, end to end: a journald stand-in listens on
# /run/systemd/journal/socket (in a mount namespace of its own, so the machine's /run is not
# touched) and decodes what sd_journal_send sends. Checked: each JSON member is a field
# (STATUS=404, PATH=...), PRIORITY follows the level, an access line's MESSAGE is the JSON
# line, SYSLOG_IDENTIFIER=placard; PLACARD_LOG_TARGET=auto uses the journal only when
# JOURNAL_STREAM names standard error.
#
# Usage: journal.sh PLACARD_BINARY. Skipped (exit 77) where a mount namespace cannot be made
# (not root, no unshare), without python3, or for a placard built without libsystemd.
set -euo pipefail
placard=$(realpath "$1")
skip() {
	echo "skipped: $*"
	exit 77
}
if [ "${PLACARD_JOURNAL_TEST_INNER:-}" != 1 ]; then
	command -v python3 >/dev/null || skip "python3 is not installed"
	command -v unshare >/dev/null || skip "unshare is not installed"
	[ "$(id -u)" = 0 ] || skip "a mount namespace for the stand-in journald needs root"
	unshare -m true 2>/dev/null || skip "unshare -m is not allowed here"
	PLACARD_JOURNAL_TEST_INNER=1 exec unshare -m "$0" "$@"
fi

# From here on, in a mount namespace of our own.
mount -t tmpfs tmpfs /run 2>/dev/null || skip "cannot mount a tmpfs on /run"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

# The stand-in: one line per entry, fields joined with " | " (the native protocol: NAME=value
# lines, or NAME, a 64-bit length and the value for values with a newline).
cat >"$work/journald.py" <<'EOF'
import os, socket, struct, sys
path = "/run/systemd/journal/socket"
os.makedirs(os.path.dirname(path), exist_ok=True)
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
open(sys.argv[1] + ".ready", "w").close()
with open(sys.argv[1], "a") as out:
    while True:
        d = s.recv(1 << 20)
        i, fields = 0, []
        while i < len(d):
            nl = d.index(b"\n", i)
            line = d[i:nl]
            if b"=" in line:
                fields.append(line.decode())
                i = nl + 1
            else:
                n = struct.unpack("<Q", d[nl + 1:nl + 9])[0]
                fields.append(line.decode() + "=" + d[nl + 9:nl + 9 + n].decode())
                i = nl + 9 + n + 1
        out.write(" | ".join(fields).replace("\n", "\\n") + "\n")
        out.flush()
EOF
python3 "$work/journald.py" "$work/journal.txt" &
for _ in $(seq 100); do [ -f "$work/journal.txt.ready" ] && break; sleep 0.05; done
[ -f "$work/journal.txt.ready" ] || { echo "FAIL: the stand-in journald did not start"; exit 1; }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# Run placard serve against no database (it warns and serves 503) with @1 as
# PLACARD_LOG_TARGET and @2 as JOURNAL_STREAM ("stderr": the stream of its standard error);
# one request to a path with nothing at it; then stop it.
serve() {
	local stream=$2
	: >"$work/stderr.txt"
	[ "$stream" = stderr ] && stream=$(stat -c '%d:%i' "$work/stderr.txt")
	env PLACARD_LOG_TARGET="$1" JOURNAL_STREAM="$stream" PLACARD_DEVELOPMENT=1 \
		PLACARD_DATABASE_URL="host=/nonexistent dbname=none" PLACARD_SEARCH_INDEX=0 \
		PLACARD_LISTEN="127.0.0.1:$port" "$placard" serve >/dev/null 2>>"$work/stderr.txt" &
	local pid=$!
	for _ in $(seq 100); do
		python3 - "$port" <<'EOF' 2>/dev/null && break
import socket, sys
socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.1).close()
EOF
		sleep 0.05
	done
	python3 - "$port" <<'EOF'
import sys, urllib.request, urllib.error
try:
    urllib.request.urlopen("http://127.0.0.1:%s/api/v1/no-such-thing" % sys.argv[1])
except urllib.error.HTTPError:
    pass
EOF
	sleep 0.3
	kill "$pid"
	wait "$pid" || true
	sleep 0.2
}

failed=0
check() { # @1 what, @2 a pattern (grep -E) that a line of @3 must match
	if grep -qE -- "$2" "$3"; then
		echo "ok: $1"
	else
		echo "FAIL: $1: no line of $(basename "$3") matches $2"
		failed=1
	fi
}
check_not() {
	if grep -qE -- "$2" "$3"; then
		echo "FAIL: $1: a line of $(basename "$3") matches $2"
		failed=1
	else
		echo "ok: $1"
	fi
}

out=$(env PLACARD_LOG_TARGET=journal "$placard" version 2>&1) ||
	{ grep -q "without libsystemd" <<<"$out" && skip "placard was built without libsystemd"; }

serve journal ""
j="$work/journal.txt"
check "an access line's members are fields" \
	'TS=[0-9T:.-]+Z \| METHOD=GET \| PATH=/api/v1/no-such-thing \| STATUS=404 \| BYTES=[0-9]+ \| DURATION_MS=[0-9.]+ \| MESSAGE=\{"ts":' "$j"
check "an access line is info" 'STATUS=404 .*\| PRIORITY=6 \| SYSLOG_IDENTIFIER=placard$' "$j"
check "a warning is PRIORITY=4 with its text as MESSAGE" \
	'LEVEL=warn \| MESSAGE=cannot connect to the database.*serving anyway.* \| PRIORITY=4 \| SYSLOG_IDENTIFIER=placard$' "$j"
check "an info line is PRIORITY=6" 'LEVEL=info \| MESSAGE=stopped \| PRIORITY=6' "$j"
check_not "no code location of the logging module" 'CODE_FILE=' "$j"
check_not "nothing on standard error" '.' "$work/stderr.txt"

: >"$j"
serve auto stderr
check "auto: to the journal when JOURNAL_STREAM names standard error" 'STATUS=404' "$j"
check_not "auto: nothing on standard error then" '.' "$work/stderr.txt"

: >"$j"
serve auto "1:1"
check_not "auto: not to the journal when JOURNAL_STREAM names another stream" '.' "$j"
check "auto: JSON lines on standard error then" '^\{"ts":"[^"]+","method":"GET".*"status":404' "$work/stderr.txt"

: >"$j"
serve stderr stderr
check_not "stderr: never to the journal" '.' "$j"
check "stderr: JSON lines on standard error" '"level":"info","msg":"stopped"' "$work/stderr.txt"

exit $failed
