/*
 * netaddr.c - client addresses, trusted proxies and X-Forwarded-For. See netaddr.h.
 */
#include "core/netaddr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char v4_mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

int netaddr_parse(const char *s, struct netaddr *ret)
{
	struct netaddr a = { 0 };
	if (!s || !*s)
		return -EINVAL;
	if (inet_pton(AF_INET, s, a.bytes) == 1) {
		a.v6 = 0;
	} else if (inet_pton(AF_INET6, s, a.bytes) == 1) {
		a.v6 = 1;
		if (memcmp(a.bytes, v4_mapped, sizeof(v4_mapped)) == 0) {
			memmove(a.bytes, a.bytes + 12, 4);
			memset(a.bytes + 4, 0, 12);
			a.v6 = 0;
		}
	} else {
		return -EINVAL;
	}
	*ret = a;
	return 0;
}

/* True when the bits of @a beyond @prefix are all zero. */
static bool host_bits_clear(const struct netaddr *a, unsigned prefix)
{
	unsigned total = a->v6 ? 128 : 32;
	for (unsigned bit = prefix; bit < total; bit++)
		if (a->bytes[bit / 8] & (0x80u >> (bit % 8)))
			return false;
	return true;
}

static bool in_block(const struct netaddr_block *b, const struct netaddr *a)
{
	if (b->addr.v6 != a->v6)
		return false;
	unsigned full = b->prefix / 8, rest = b->prefix % 8;
	if (memcmp(b->addr.bytes, a->bytes, full) != 0)
		return false;
	if (rest == 0)
		return true;
	unsigned char mask = (unsigned char)(0xffu << (8 - rest));
	return (b->addr.bytes[full] & mask) == (a->bytes[full] & mask);
}

static int block_parse(const char *s, struct netaddr_block *ret)
{
	char text[64];
	size_t len = strlen(s);
	if (len == 0 || len >= sizeof(text))
		return -EINVAL;
	memcpy(text, s, len + 1);
	struct netaddr_block b = { 0 };
	char *slash = strchr(text, '/');
	if (slash)
		*slash = '\0';
	/* A mapped IPv4 block written as IPv6 would change its prefix's meaning: refuse. */
	if (netaddr_parse(text, &b.addr) < 0 || (slash && strchr(text, ':') && !b.addr.v6))
		return -EINVAL;
	unsigned total = b.addr.v6 ? 128 : 32;
	b.prefix = total;
	if (slash) {
		const char *p = slash + 1;
		if (*p < '0' || *p > '9' || strlen(p) > 3 || (p[0] == '0' && p[1]))
			return -EINVAL;
		for (const char *q = p; *q; q++)
			if (*q < '0' || *q > '9')
				return -EINVAL;
		unsigned long v = strtoul(p, NULL, 10);
		if (v > total)
			return -EINVAL;
		b.prefix = (unsigned)v;
		if (!host_bits_clear(&b.addr, b.prefix))
			return -EINVAL;
	}
	*ret = b;
	return 0;
}

/* Copy the entry of @s from @start to the next comma, spaces trimmed, into @out. The
 * position after the comma (or the end) is returned. */
static const char *next_entry(const char *s, char *out, size_t size, bool *ret_too_long)
{
	const char *end = strchr(s, ',');
	if (!end)
		end = s + strlen(s);
	const char *a = s, *b = end;
	while (a < b && (*a == ' ' || *a == '\t'))
		a++;
	while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
		b--;
	size_t len = (size_t)(b - a);
	*ret_too_long = len >= size;
	if (len >= size)
		len = size - 1;
	memcpy(out, a, len);
	out[len] = '\0';
	return *end ? end + 1 : end;
}

int netaddr_list_parse(const char *s, struct netaddr_list *ret, char *err, size_t errsize)
{
	static struct netaddr_list empty;
	struct netaddr_list l = { 0 };
	if (!s || !*s) {
		*ret = empty;
		return 0;
	}
	const char *p = s;
	for (;;) {
		char entry[64];
		bool too_long;
		const char *after = next_entry(p, entry, sizeof(entry), &too_long);
		if (l.n == NETADDR_LIST_MAX) {
			snprintf(err, errsize, "more than %d entries", NETADDR_LIST_MAX);
			return -E2BIG;
		}
		if (too_long || block_parse(entry, &l.blocks[l.n]) < 0) {
			snprintf(err, errsize,
			         "\"%s\" is not an IPv4 or IPv6 address or CIDR block (such as "
			         "10.0.0.1, 10.0.0.0/8 or fd00::/8) with no bits set after its "
			         "prefix",
			         entry);
			return -EINVAL;
		}
		l.n++;
		if (after == p + strlen(p) && (after == s || after[-1] != ','))
			break; /* the last entry (a trailing comma leaves an empty one to refuse) */
		p = after;
	}
	*ret = l;
	return 0;
}

bool netaddr_list_contains(const struct netaddr_list *l, const struct netaddr *a)
{
	if (!l)
		return false;
	for (size_t i = 0; i < l->n; i++)
		if (in_block(&l->blocks[i], a))
			return true;
	return false;
}

void netaddr_forwarded_client(const struct netaddr_list *trusted, const struct netaddr *peer,
                              const char *xff, struct netaddr *ret)
{
	struct netaddr client = *peer;
	if (!xff || !netaddr_list_contains(trusted, peer)) {
		*ret = client;
		return;
	}
	/* From the right: each entry was written by the hop after it. */
	const char *end = xff + strlen(xff);
	while (end > xff) {
		const char *start = end;
		while (start > xff && start[-1] != ',')
			start--;
		char entry[64];
		const char *a = start, *b = end;
		while (a < b && (*a == ' ' || *a == '\t'))
			a++;
		while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		struct netaddr next;
		if ((size_t)(b - a) >= sizeof(entry))
			break;
		memcpy(entry, a, (size_t)(b - a));
		entry[b - a] = '\0';
		if (netaddr_parse(entry, &next) < 0)
			break;
		client = next;
		if (!netaddr_list_contains(trusted, &next))
			break;
		end = start > xff ? start - 1 : start;
	}
	*ret = client;
}

int netaddr_format(const struct netaddr *a, char *out, size_t size)
{
	char text[INET6_ADDRSTRLEN];
	if (!inet_ntop(a->v6 ? AF_INET6 : AF_INET, a->bytes, text, sizeof(text)))
		return -ENOSPC;
	if (strlen(text) >= size)
		return -ENOSPC;
	memcpy(out, text, strlen(text) + 1);
	return 0;
}

int netaddr_network(const struct netaddr *a, char *out, size_t size)
{
	if (!a->v6)
		return netaddr_format(a, out, size);
	struct netaddr net = *a;
	memset(net.bytes + 8, 0, 8);
	char text[INET6_ADDRSTRLEN];
	if (!inet_ntop(AF_INET6, net.bytes, text, sizeof(text)))
		return -ENOSPC;
	int n = snprintf(out, size, "%s/64", text);
	return n < 0 || (size_t)n >= size ? -ENOSPC : 0;
}
