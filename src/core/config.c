/*
 * config.c - settings from the environment. See config.h.
 */
#include "core/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"

#ifndef PLACARD_SOURCE_ROOT
#define PLACARD_SOURCE_ROOT "."
#endif
#ifndef PLACARD_DATA_DIR
#define PLACARD_DATA_DIR "/usr/local/share/placard"
#endif
#ifndef PLACARD_INSTALLED_BINARY
#define PLACARD_INSTALLED_BINARY "/usr/local/bin/placard"
#endif

/* The defaults' text (the settings live as long as the process). */
static char web_path[4096], sql_path[4096], schemes_path[4096];

static const char *root_path(char *buf, size_t size, const char *root, const char *name)
{
	snprintf(buf, size, "%s/%s", root, name);
	return buf;
}

const char *config_data_root(const char *exe, const char *installed_binary, const char *source_root,
                             const char *data_dir)
{
	return exe && streq(exe, installed_binary) ? data_dir : source_root;
}

/* Where web/, sql/ and schemes/ are: beside the installed binary, or in the source tree it was built
 * from. */
static const char *data_root(void)
{
	static char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	return config_data_root(n > 0 ? exe : NULL, PLACARD_INSTALLED_BINARY, PLACARD_SOURCE_ROOT,
	                        PLACARD_DATA_DIR);
}

int config_parse_listen(const char *s, char *host, size_t hostsize, unsigned *port)
{
	const char *colon = strrchr(s, ':');
	if (!colon || colon == s)
		return -EINVAL;
	size_t hlen = (size_t)(colon - s);
	if (hlen >= hostsize)
		return -EINVAL;
	long long p;
	if (parse_int64(colon + 1, 0, 65535, &p) < 0)
		return -EINVAL;
	memcpy(host, s, hlen);
	host[hlen] = '\0';
	*port = (unsigned)p;
	return 0;
}

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

int config_parse_map_tiles(const char *s, char ret_url[CONFIG_MAP_TILES_MAX + 1],
                           char ret_origin[CONFIG_PUBLIC_URL_MAX + 1])
{
	size_t len = strlen(s);
	const char *sep = strstr(s, "://");
	if (len > CONFIG_MAP_TILES_MAX || !sep)
		return -EINVAL;
	const char *path = strchr(sep + 3, '/');
	if (!path || (size_t)(path - s) > CONFIG_PUBLIC_URL_MAX)
		return -EINVAL;
	char origin[CONFIG_PUBLIC_URL_MAX + 1], parsed[CONFIG_PUBLIC_URL_MAX + 1];
	memcpy(origin, s, (size_t)(path - s));
	origin[path - s] = '\0';
	if (config_parse_public_url(origin, parsed, sizeof(parsed)) < 0)
		return -EINVAL;
	for (const char *p = path; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("-._~/{}@", *p))
			return -EINVAL;
	if (!strstr(path, "{z}") || !strstr(path, "{x}") || !strstr(path, "{y}"))
		return -EINVAL;
	memcpy(ret_url, s, len + 1);
	memcpy(ret_origin, parsed, strlen(parsed) + 1);
	return 0;
}

int config_parse_public_url(const char *s, char *ret, size_t size)
{
	size_t len = strlen(s);
	if (len > CONFIG_PUBLIC_URL_MAX || len + 1 > size)
		return -EINVAL;
	const char *p;
	if (strncmp(s, "https://", 8) == 0)
		p = s + 8;
	else if (strncmp(s, "http://", 7) == 0)
		p = s + 7;
	else
		return -EINVAL;
	const char *host = p;
	if (*p == '[') {
		/* An IPv6 literal: hex digits, colons and dots (an embedded IPv4). */
		p++;
		while ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') ||
		       (*p >= 'A' && *p <= 'F') || *p == ':' || *p == '.')
			p++;
		if (*p != ']' || p == host + 1)
			return -EINVAL;
		p++;
	} else {
		/* A DNS name or IPv4 address: labels of letters, digits and hyphens. */
		const char *label = p;
		for (;; p++) {
			if (is_alnum(*p) || (*p == '-' && p != label))
				continue;
			if (*p == '.' && p != label && p[-1] != '-') {
				label = p + 1;
				continue;
			}
			break;
		}
		if (p == host || p == label || p[-1] == '-')
			return -EINVAL;
	}
	if (*p == ':') {
		const char *digits = ++p;
		long port = 0;
		while (*p >= '0' && *p <= '9' && p - digits < 5)
			port = port * 10 + (*p++ - '0');
		if (p == digits || port < 1 || port > 65535)
			return -EINVAL;
	}
	size_t n = (size_t)(p - s);
	if (*p == '/')
		p++;
	if (*p)
		return -EINVAL;
	memcpy(ret, s, n);
	ret[n] = '\0';
	return 0;
}

static int env_uint(const char *name, long long min, long long max, long long def, long long *ret,
                    char *err, size_t errsize)
{
	const char *v = getenv(name);
	if (!v || !*v) {
		*ret = def;
		return 0;
	}
	if (parse_int64(v, min, max, ret) < 0) {
		snprintf(err, errsize, "%s must be a whole number from %lld to %lld, not \"%s\"",
		         name, min, max, v);
		return -EINVAL;
	}
	return 0;
}

int config_from_env(struct config *ret, char *err, size_t errsize)
{
	struct config c = { 0 };
	const char *listen = getenv("PLACARD_LISTEN");
	if (!listen || !*listen)
		listen = "127.0.0.1:8080";
	if (config_parse_listen(listen, c.listen_host, sizeof(c.listen_host), &c.listen_port) < 0) {
		snprintf(err, errsize, "PLACARD_LISTEN must be HOST:PORT, not \"%s\"", listen);
		return -EINVAL;
	}
	c.database_url = getenv("PLACARD_DATABASE_URL");
	if (!c.database_url)
		c.database_url = "";
	c.read_database_url = getenv("PLACARD_READ_DATABASE_URL");
	if (c.read_database_url && !*c.read_database_url)
		c.read_database_url = NULL;
	const char *root = data_root();
	c.web_dir = getenv("PLACARD_WEB_DIR");
	if (!c.web_dir || !*c.web_dir)
		c.web_dir = root_path(web_path, sizeof(web_path), root, "web");
	c.sql_dir = getenv("PLACARD_SQL_DIR");
	if (!c.sql_dir || !*c.sql_dir)
		c.sql_dir = root_path(sql_path, sizeof(sql_path), root, "sql");
	c.schemes_dir = getenv("PLACARD_SCHEMES_DIR");
	if (!c.schemes_dir || !*c.schemes_dir)
		c.schemes_dir = root_path(schemes_path, sizeof(schemes_path), root, "schemes");

	c.log_key = getenv("PLACARD_LOG_KEY");
	if (c.log_key && !*c.log_key)
		c.log_key = NULL;
	c.log_key_previous = getenv("PLACARD_LOG_KEY_PREVIOUS");
	if (c.log_key_previous && !*c.log_key_previous)
		c.log_key_previous = NULL;
	c.log_origin = getenv("PLACARD_LOG_ORIGIN");
	if (c.log_origin && !*c.log_origin)
		c.log_origin = NULL;
	c.witnesses = getenv("PLACARD_WITNESSES");
	if (c.witnesses && !*c.witnesses)
		c.witnesses = NULL;

	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	long long v;
	struct {
		const char *name;
		long long min, max, def;
	} const nums[] = {
		{ "PLACARD_THREADS", 1, 256, ncpu > 0 ? ncpu : 2 },
		{ "PLACARD_MAX_BODY", 1024, 64LL << 20, 1 << 20 },
		{ "PLACARD_MAX_HEADER_BYTES", 4096, 1 << 20, 32 << 10 },
		{ "PLACARD_CONNECTION_TIMEOUT", 1, 3600, 15 },
		{ "PLACARD_REQUEST_TIMEOUT", 1, 3600, 30 },
		{ "PLACARD_MAX_CONNECTIONS", 1, 100000, 1024 },
		{ "PLACARD_PER_IP_CONNECTIONS", 1, 100000, 64 },
		{ "PLACARD_SHUTDOWN_GRACE", 0, 600, 10 },
		{ "PLACARD_TLS", 0, 1, 0 },
		{ "PLACARD_SEARCH_INDEX", 0, 1, 1 },
		{ "PLACARD_DEVELOPMENT", 0, 1, 0 },
	};
	long long vals[ARRAY_SIZE(nums)];
	for (size_t i = 0; i < ARRAY_SIZE(nums); i++) {
		if (env_uint(nums[i].name, nums[i].min, nums[i].max, nums[i].def, &v, err,
		             errsize) < 0)
			return -EINVAL;
		vals[i] = v;
	}
	c.threads = (unsigned)vals[0];
	c.max_body = (size_t)vals[1];
	c.max_header_memory = (size_t)vals[2];
	c.connection_timeout = (unsigned)vals[3];
	c.request_timeout = (unsigned)vals[4];
	c.max_connections = (unsigned)vals[5];
	c.per_ip_connections = (unsigned)vals[6];
	c.shutdown_grace = (unsigned)vals[7];
	c.tls = (int)vals[8];
	c.search_index = (int)vals[9];
	c.development = (int)vals[10];
	const char *public_url = getenv("PLACARD_PUBLIC_URL");
	if (public_url && *public_url &&
	    config_parse_public_url(public_url, c.public_url, sizeof(c.public_url)) < 0) {
		snprintf(err, errsize,
		         "PLACARD_PUBLIC_URL must be http(s)://HOST[:PORT] with no path, query or "
		         "fragment, at most %d characters, not \"%.120s\"",
		         CONFIG_PUBLIC_URL_MAX, public_url);
		return -EINVAL;
	}
	const char *tiles = getenv("PLACARD_MAP_TILES");
	if (!tiles || !*tiles)
		tiles = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
	if (config_parse_map_tiles(tiles, c.map_tiles, c.map_origin) < 0) {
		snprintf(err, errsize,
		         "PLACARD_MAP_TILES must be an http(s) tile URL with {z}, {x} and {y} in "
		         "its "
		         "path, at most %d characters, not \"%.120s\"",
		         CONFIG_MAP_TILES_MAX, tiles);
		return -EINVAL;
	}
	c.vendor_dir = getenv("PLACARD_VENDOR_DIR");
	if (!c.vendor_dir || !*c.vendor_dir)
		c.vendor_dir = "/usr/share/javascript";
	char why[200];
	if (netaddr_list_parse(getenv("PLACARD_TRUSTED_PROXIES"), &c.trusted_proxies, why,
	                       sizeof(why)) < 0) {
		snprintf(err, errsize,
		         "PLACARD_TRUSTED_PROXIES must be a comma-separated list of addresses and "
		         "CIDR blocks: %s",
		         why);
		return -EINVAL;
	}
	const char *allow = getenv("PLACARD_METRICS_ALLOW");
	if (!allow || !*allow)
		allow = CONFIG_METRICS_ALLOW_DEFAULT;
	if (netaddr_list_parse(allow, &c.metrics_allow, why, sizeof(why)) < 0) {
		snprintf(err, errsize,
		         "PLACARD_METRICS_ALLOW must be a comma-separated list of addresses and "
		         "CIDR blocks: %s",
		         why);
		return -EINVAL;
	}
	const char *target = getenv("PLACARD_LOG_TARGET");
	if (!target || !*target || streq(target, "auto"))
		c.log_journal = -1;
	else if (streq(target, "journal"))
		c.log_journal = 1;
	else if (streq(target, "stderr"))
		c.log_journal = 0;
	else {
		snprintf(err, errsize,
		         "PLACARD_LOG_TARGET must be auto, journal or stderr, not \"%.40s\"",
		         target);
		return -EINVAL;
	}
	*ret = c;
	return 0;
}
