/*
 * config.c - settings from the environment and the configuration file. See config.h.
 */
#include "core/config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
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
#ifndef PLACARD_CONFIG_FILE
#define PLACARD_CONFIG_FILE "/usr/local/etc/placard/placard.conf"
#endif

/*
 * Every setting Placard reads from the environment, which a configuration file may set too.
 * script/test checks that every "PLACARD_..." name in src/ is here (PLACARD_CONFIG aside).
 */
static const char *const setting_names[] = {
	"PLACARD_ACCESS_LOG",
	"PLACARD_CACHE_DIR",
	"PLACARD_CONNECTION_TIMEOUT",
	"PLACARD_DATABASE_URL",
	"PLACARD_DEVELOPMENT",
	"PLACARD_LISTEN",
	"PLACARD_LOG_KEY",
	"PLACARD_LOG_KEY_PREVIOUS",
	"PLACARD_LOG_ORIGIN",
	"PLACARD_LOG_TARGET",
	"PLACARD_MAP_TILES",
	"PLACARD_MAX_BODY",
	"PLACARD_MAX_CONNECTIONS",
	"PLACARD_MAX_HEADER_BYTES",
	"PLACARD_METRICS_ALLOW",
	"PLACARD_PER_IP_CONNECTIONS",
	"PLACARD_PUBLIC_URL",
	"PLACARD_QUIET_ACCESS_LOG",
	"PLACARD_READ_DATABASE_URL",
	"PLACARD_REQUEST_TIMEOUT",
	"PLACARD_SCHEMES_DIR",
	"PLACARD_SEARCH_INDEX",
	"PLACARD_SHUTDOWN_GRACE",
	"PLACARD_SQL_DIR",
	"PLACARD_THREADS",
	"PLACARD_TLS",
	"PLACARD_TRUSTED_PROXIES",
	"PLACARD_VENDOR_DIR",
	"PLACARD_WEB_DIR",
	"PLACARD_WITNESSES",
};

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

/* The running executable's path, or NULL when unknown. */
static const char *self_exe(void)
{
	static char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	return n > 0 ? exe : NULL;
}

/* Where web/, sql/ and schemes/ are: beside the installed binary, or in the source tree it was built
 * from. */
static const char *data_root(void)
{
	return config_data_root(self_exe(), PLACARD_INSTALLED_BINARY, PLACARD_SOURCE_ROOT,
	                        PLACARD_DATA_DIR);
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static const char *setting_known(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(setting_names); i++)
		if (streq(name, setting_names[i]))
			return setting_names[i];
	return NULL;
}

int config_file_parse(char *text, size_t len, struct config_file_entry *ret, size_t *n, char *err,
                      size_t errsize)
{
	size_t count = 0;
	unsigned line = 0;
	if (len > CONFIG_FILE_MAX) {
		snprintf(err, errsize, "longer than %d bytes", CONFIG_FILE_MAX);
		return -EINVAL;
	}
	for (size_t pos = 0; pos < len;) {
		line++;
		char *start = text + pos;
		char *nl = memchr(start, '\n', len - pos);
		char *end = nl ? nl : text + len;
		pos = (size_t)(end - text) + (nl ? 1 : 0);
		/* Trim the line; a CR before the LF is one of the blanks. */
		while (start < end && is_blank(*start))
			start++;
		while (end > start && is_blank(end[-1]))
			end--;
		for (char *c = start; c < end; c++) {
			if ((unsigned char)*c < 0x20 && *c != '\t') {
				snprintf(err, errsize, "line %u: a control character (byte 0x%02x)",
				         line, (unsigned char)*c);
				return -EINVAL;
			}
			if (*c == 0x7f) {
				snprintf(err, errsize, "line %u: a control character (byte 0x7f)",
				         line);
				return -EINVAL;
			}
		}
		if (start == end || *start == '#')
			continue;
		char *eq = memchr(start, '=', (size_t)(end - start));
		if (!eq) {
			snprintf(err, errsize, "line %u: not NAME=VALUE", line);
			return -EINVAL;
		}
		char *name_end = eq;
		while (name_end > start && is_blank(name_end[-1]))
			name_end--;
		char *value = eq + 1;
		while (value < end && is_blank(*value))
			value++;
		if (name_end == start) {
			snprintf(err, errsize, "line %u: no name before \"=\"", line);
			return -EINVAL;
		}
		*name_end = '\0';
		const char *name = setting_known(start);
		if (!name) {
			snprintf(err, errsize, "line %u: %.64s is not a setting of Placard", line,
			         start);
			return -EINVAL;
		}
		if (end > value && (*value == '"' || *value == '\'')) {
			if (end - value < 2 || end[-1] != *value ||
			    memchr(value + 1, *value, (size_t)(end - value - 2))) {
				snprintf(err, errsize, "line %u: %s: unmatched quote", line, name);
				return -EINVAL;
			}
			value++;
			end--;
		}
		*end = '\0';
		for (size_t i = 0; i < count; i++) {
			if (ret[i].name == name) {
				snprintf(err, errsize, "line %u: %s is already set on line %u",
				         line, name, ret[i].line);
				return -EINVAL;
			}
		}
		if (count == CONFIG_FILE_SETTINGS) {
			snprintf(err, errsize, "line %u: more than %d settings", line,
			         CONFIG_FILE_SETTINGS);
			return -EINVAL;
		}
		ret[count++] =
		        (struct config_file_entry){ .name = name, .value = value, .line = line };
	}
	*n = count;
	return 0;
}

const char *config_file_choose(const char *env, const char *exe, const char *installed_binary,
                               const char *sysconf_file, int *required)
{
	*required = env != NULL;
	if (env)
		return *env ? env : NULL;
	return exe && streq(exe, installed_binary) ? sysconf_file : NULL;
}

int config_file_load(const char *path, int required, char *err, size_t errsize)
{
	if (!path)
		return 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		if (e == ENOENT && !required)
			return 0;
		snprintf(err, errsize, "cannot read the configuration file %s: %s", path,
		         strerror(e));
		return -e;
	}
	/* One byte more than the limit: a longer file is seen as such, and the parser may end
	 * the last value in place. setenv() copies the settings out. */
	char *text = xmalloc(CONFIG_FILE_MAX + 1);
	size_t len = 0;
	ssize_t got;
	while ((got = read(fd, text + len, CONFIG_FILE_MAX + 1 - len)) > 0) {
		len += (size_t)got;
		if (len > CONFIG_FILE_MAX)
			break;
	}
	int e = got < 0 ? errno : 0;
	close(fd);
	if (e) {
		free(text);
		snprintf(err, errsize, "cannot read the configuration file %s: %s", path,
		         strerror(e));
		return -e;
	}
	struct config_file_entry entries[CONFIG_FILE_SETTINGS];
	size_t n = 0;
	char why[200];
	if (config_file_parse(text, len, entries, &n, why, sizeof(why)) < 0) {
		free(text);
		snprintf(err, errsize, "the configuration file %s: %s", path, why);
		return -EINVAL;
	}
	for (size_t i = 0; i < n; i++)
		setenv(entries[i].name, entries[i].value, 0);
	free(text);
	return 0;
}

int config_file_load_default(char *err, size_t errsize)
{
	int required;
	const char *path =
	        config_file_choose(getenv("PLACARD_CONFIG"), self_exe(), PLACARD_INSTALLED_BINARY,
	                           PLACARD_CONFIG_FILE, &required);
	return config_file_load(path, required, err, errsize);
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
