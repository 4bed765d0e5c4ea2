# shellcheck shell=bash
# Shared helpers for script/*. Sourced after `set -euo pipefail`; moves to the repo root.

PLACARD_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$PLACARD_ROOT" || exit 1

say() { printf '%s: %s\n' "${0##*/}" "$*"; }
die() {
	printf '%s: error: %s\n' "${0##*/}" "$*" >&2
	exit 1
}

# Directory of the newest installed PostgreSQL server binaries.
pg_bindir() {
	local v
	v=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1)
	if [ -z "$v" ] || [ ! -x "/usr/lib/postgresql/$v/bin/pg_ctl" ]; then
		die "no PostgreSQL server under /usr/lib/postgresql (run script/bootstrap)"
	fi
	printf '/usr/lib/postgresql/%s/bin\n' "$v"
}

# build_dir DIR [meson setup options...]
# Configures DIR on first use (or after a failed setup), then compiles it.
# Tool output goes to var/log/DIR.log and is shown only when something fails.
build_dir() {
	local dir=$1
	shift
	[ -f meson.build ] || die "no meson.build in $PLACARD_ROOT"
	mkdir -p var/log
	local log="var/log/$dir.log"
	: >"$log"
	if [ ! -f "$dir/build.ninja" ]; then
		local wipe=()
		[ -d "$dir/meson-private" ] && wipe=(--wipe)
		if ! meson setup "${wipe[@]}" "$dir" "$@" >>"$log" 2>&1; then
			tail -n 40 "$log" >&2
			printf '%s: error: meson setup %s failed (full log: %s)\n' "${0##*/}" "$dir" "$log" >&2
			return 1
		fi
	fi
	local setup_lines
	setup_lines=$(wc -l <"$log")
	if ! meson compile -C "$dir" >>"$log" 2>&1; then
		tail -n "+$((setup_lines + 1))" "$log" | grep -v '^\[[0-9]*/[0-9]*\] ' | tail -n 60 >&2
		printf '%s: error: build in %s failed (full log: %s)\n' "${0##*/}" "$dir" "$log" >&2
		return 1
	fi
}

# A port for a throw-away cluster. pg_virtualenv's own choice (5432, or the next port
# its config knows of) collides with a concurrent run on the same machine.
free_port() {
	# Below the kernel's range for outgoing connections' local ports: a port in that range
	# can be taken by any client socket between this check and the server's bind.
	local port low span=30000
	read -r low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || low=
	[ -n "$low" ] && [ "$low" -gt 21000 ] && span=$((low - 20000))
	for _ in $(seq 50); do
		port=$((20000 + RANDOM % span))
		[ -e "/var/run/postgresql/.s.PGSQL.$port" ] && continue
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
		echo "$port"
		return
	done
	die "found no free port for the test PostgreSQL"
}
