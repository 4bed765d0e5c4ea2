/*
 * config.h - Placard's settings, read once from the environment at start, and from a
 * configuration file of NAME=VALUE lines whose names are those of the environment variables
 * (the environment wins over the file).
 *
 * Every setting has a default that works for a local run; docs/operations.md lists them.
 * Every user-controlled size the server accepts has its limit here.
 *
 * Core layer: standard C only.
 */
#ifndef PLACARD_CORE_CONFIG_H
#define PLACARD_CORE_CONFIG_H

#include <stddef.h>

#include "core/netaddr.h"
/* Who may read GET /metrics when PLACARD_METRICS_ALLOW is unset: this machine. */
#define CONFIG_METRICS_ALLOW_DEFAULT "127.0.0.0/8,::1"
/* The longest PLACARD_PUBLIC_URL accepted, in bytes. */
#define CONFIG_PUBLIC_URL_MAX 100
/* The longest PLACARD_MAP_TILES accepted, in bytes. */
#define CONFIG_MAP_TILES_MAX 200

struct config {
	char listen_host[64];          /* PLACARD_LISTEN host part, default 127.0.0.1 */
	unsigned listen_port;          /* PLACARD_LISTEN port part, default 8080 (0 = any free) */
	const char *database_url;      /* PLACARD_DATABASE_URL (writes and staff reads) */
	const char *read_database_url; /* PLACARD_READ_DATABASE_URL (public reads), may be NULL */
	const char *web_dir;           /* PLACARD_WEB_DIR, default <data root>/web */
	const char *sql_dir;           /* PLACARD_SQL_DIR, default <data root>/sql */
	const char *schemes_dir;       /* PLACARD_SCHEMES_DIR, default <data root>/schemes */
	unsigned threads;              /* PLACARD_THREADS, default: number of cores */
	size_t max_body;               /* PLACARD_MAX_BODY bytes, default 1 MiB */
	size_t max_header_memory;      /* PLACARD_MAX_HEADER_BYTES per connection, default 32 KiB */
	unsigned connection_timeout;   /* PLACARD_CONNECTION_TIMEOUT s of inactivity, default 15 */
	unsigned request_timeout; /* PLACARD_REQUEST_TIMEOUT s for a whole request to arrive, 30 */
	unsigned max_connections; /* PLACARD_MAX_CONNECTIONS total, default 1024 */
	unsigned per_ip_connections; /* PLACARD_PER_IP_CONNECTIONS, default 64 */
	unsigned shutdown_grace;     /* PLACARD_SHUTDOWN_GRACE s to finish in-flight requests, 10 */
	int tls;                     /* 1 when served behind TLS (PLACARD_TLS=1): Secure, HSTS */
	int search_index; /* PLACARD_SEARCH_INDEX: 1 (default) keeps names in memory, 0 not */
	/* PLACARD_TRUSTED_PROXIES: peers whose X-Forwarded-For names the client; default none */
	struct netaddr_list trusted_proxies;
	/* PLACARD_METRICS_ALLOW: who may read GET /metrics; default loopback (127.0.0.0/8, ::1) */
	struct netaddr_list metrics_allow;
	/* PLACARD_LOG_TARGET: where log lines go, "auto" (default: the journal when stderr is
	 * connected to it), "journal" or "stderr" */
	int log_journal; /* 1: the journal, 0: stderr, -1: auto */
	/* PLACARD_PUBLIC_URL without its trailing slash ("https://inspections.example.gov"), or
	 * "" when unset: placard serve refuses to start without it unless development is set. */
	char public_url[CONFIG_PUBLIC_URL_MAX + 1];
	int development; /* PLACARD_DEVELOPMENT=1: a local server (public URL from the listen address) */
	/* PLACARD_LOG_KEY: the file of the key that signs the log's checkpoints, or NULL;
	 * PLACARD_LOG_ORIGIN: their origin line, or NULL for the key's name */
	const char *log_key;
	const char *log_origin;
	/* PLACARD_LOG_KEY_PREVIOUS: during a key rotation, the file of the key being replaced,
	 * which signs every checkpoint beside the new one; or NULL */
	const char *log_key_previous;
	const char *witnesses; /* PLACARD_WITNESSES: who cosigns the checkpoints, or NULL */
	/* PLACARD_MAP_TILES: the map's tile URL template, default OpenStreetMap's; map_origin
	 * its scheme, host and port, the one other origin pages may load images from */
	char map_tiles[CONFIG_MAP_TILES_MAX + 1];
	char map_origin[CONFIG_PUBLIC_URL_MAX + 1];
	/* PLACARD_VENDOR_DIR: the system's JavaScript libraries (Debian's libjs-* packages),
	 * served under /vendor/; default /usr/share/javascript */
	const char *vendor_dir;
};

/*
 * Fill @ret from the environment. Returns 0, or -EINVAL with a message naming the bad
 * variable written to @err (of @errsize bytes). @ret is untouched on failure.
 */
int config_from_env(struct config *ret, char *err, size_t errsize);

/*
 * Check a public address: "http://" or "https://", a host name, IPv4 address or bracketed
 * IPv6 address, an optional :port (1-65535), an optional final "/", and nothing else (no
 * user, path, query or fragment), at most CONFIG_PUBLIC_URL_MAX bytes. Writes it without the
 * final "/" into @ret (@size bytes, CONFIG_PUBLIC_URL_MAX + 1 is enough). 0 or -EINVAL
 * (@ret untouched).
 */
int config_parse_public_url(const char *s, char *ret, size_t size);

/*
 * Check a map tile URL template: an address as config_parse_public_url() takes it, then a
 * path holding {z}, {x} and {y} (and optionally {s}), of letters, digits and
 * -._~/{}@, at most CONFIG_MAP_TILES_MAX bytes. Writes the template into @ret_url and its
 * origin (scheme, host, port) into @ret_origin (CONFIG_PUBLIC_URL_MAX + 1 bytes). 0 or
 * -EINVAL (both untouched).
 */
int config_parse_map_tiles(const char *s, char ret_url[CONFIG_MAP_TILES_MAX + 1],
                           char ret_origin[CONFIG_PUBLIC_URL_MAX + 1]);

/* Split "host:port" into its parts; 0 or -EINVAL. */
int config_parse_listen(const char *s, char *host, size_t hostsize, unsigned *port);

/*
 * Where the web pages and the SQL live by default (the data root): @data_dir (meson's
 * datadir/placard, where `meson install` puts web/ and sql/) when the running executable
 * @exe is the installed binary @installed_binary, otherwise @source_root, the tree the
 * binary was built from (a build directory, the tests). @exe may be NULL (unknown).
 */
const char *config_data_root(const char *exe, const char *installed_binary, const char *source_root,
                             const char *data_dir);

/* A configuration file: at most this many bytes, and this many settings (one a name). */
#define CONFIG_FILE_MAX      (64 * 1024)
#define CONFIG_FILE_SETTINGS 64

struct config_file_entry {
	const char *name;  /* one of the settings' names (PLACARD_LISTEN, ...) */
	const char *value; /* the text after "=", unquoted */
	unsigned line;     /* where it was set, from 1 */
};

/*
 * Parse the configuration file @text (@len bytes and room for one more, changed in place:
 * names and values are cut out of it, so it must outlive @ret). One setting a line: NAME=VALUE, NAME one of the
 * environment variables Placard reads, spaces and tabs around NAME and VALUE ignored, VALUE
 * optionally between a pair of double or single quotes (no escapes inside); blank lines and
 * lines whose first non-blank is '#' are ignored; CRLF endings are accepted. Refused, naming
 * the line in @err: a line without "=", a name Placard does not read, a name set twice, an
 * unmatched quote, a control character or a NUL byte, more than CONFIG_FILE_MAX bytes or
 * CONFIG_FILE_SETTINGS settings. Fills @ret[0..*n). 0 or -EINVAL.
 */
int config_file_parse(char *text, size_t len, struct config_file_entry *ret, size_t *n, char *err,
                      size_t errsize);

/*
 * Which configuration file to read: @env (PLACARD_CONFIG) when it is set, none (NULL) when it
 * is set but empty; otherwise @sysconf_file (SYSCONFDIR/placard/placard.conf) when the running
 * executable @exe is the installed binary @installed_binary, and none for any other binary (a
 * build directory, the tests). Sets *@required when the file was named explicitly (a missing
 * file is then an error; the default file may be absent).
 */
const char *config_file_choose(const char *env, const char *exe, const char *installed_binary,
                               const char *sysconf_file, int *required);

/*
 * Read the configuration file @path and put every setting it holds into the environment,
 * except those the environment already has (setenv without overwriting), so that
 * config_from_env() and every other reader of a setting see them. Call before any thread
 * starts. @path NULL: nothing to do. A missing file is an error only when @required.
 * 0, or a negative errno with a message (the file and the line) in @err.
 */
int config_file_load(const char *path, int required, char *err, size_t errsize);

/* config_file_choose() for this process, then config_file_load(). */
int config_file_load_default(char *err, size_t errsize);

#endif
