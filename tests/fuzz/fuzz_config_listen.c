/*
 * fuzz_config_listen.c - libFuzzer harness for config_parse_listen(): any string, and on
 * success a host that fits and is a prefix of the input, and a port up to 65535; and
 * config_parse_public_url() on the same string: on success a prefix of the input, with no
 * character that could start a path, query, fragment or user part after the scheme.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = xmalloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	char host[64];
	unsigned port = 0;
	if (config_parse_listen(s, host, sizeof(host), &port) == 0) {
		if (port > 65535 || strlen(host) >= sizeof(host) ||
		    strncmp(host, s, strlen(host)) != 0)
			abort();
	}
	char url[CONFIG_PUBLIC_URL_MAX + 1];
	if (config_parse_public_url(s, url, sizeof(url)) == 0) {
		size_t n = strlen(url);
		const char *rest = strstr(url, "://");
		if (n > CONFIG_PUBLIC_URL_MAX || strncmp(url, s, n) != 0 || !rest ||
		    strpbrk(rest + 3, "/?#@\\ ") || (s[n] && strcmp(s + n, "/") != 0))
			abort();
	}
	free(s);
	return 0;
}
