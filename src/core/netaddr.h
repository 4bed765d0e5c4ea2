/*
 * netaddr.h - client addresses: IPv4 and IPv6 addresses and blocks, the list of trusted
 * proxies (PLACARD_TRUSTED_PROXIES), which address of X-Forwarded-For is the client, and
 * the network a client's failures are counted against (the address for IPv4, the /64 for
 * IPv6, since one IPv6 subscriber commonly holds a whole /64).
 *
 * Core layer: POSIX only (inet_pton, inet_ntop); no allocation.
 *
 * Error convention: 0 or a negative errno code; outputs named ret_* are left untouched on
 * failure.
 */
#ifndef PLACARD_CORE_NETADDR_H
#define PLACARD_CORE_NETADDR_H

#include <stdbool.h>
#include <stddef.h>

/* An address: IPv4 (4 bytes used) or IPv6. An IPv4-mapped IPv6 address (::ffff:a.b.c.d)
 * is held as the IPv4 address it maps. */
struct netaddr {
	int v6; /* 0: IPv4, 1: IPv6 */
	unsigned char bytes[16];
};

/* A block: an address and a prefix length (at most 32 for IPv4, 128 for IPv6). */
struct netaddr_block {
	struct netaddr addr;
	unsigned prefix;
};

/* Trusted proxies: at most this many blocks. */
#define NETADDR_LIST_MAX 64

struct netaddr_list {
	size_t n;
	struct netaddr_block blocks[NETADDR_LIST_MAX];
};

/* Longest text of netaddr_network(), NUL included ("ffff:...:ffff::/64"). */
#define NETADDR_TEXT_MAX 48

/*
 * Parse @s: an IPv4 address in dotted form or an IPv6 address in any RFC 4291 form (no
 * zone, no brackets, no port). 0, or -EINVAL.
 */
int netaddr_parse(const char *s, struct netaddr *ret);

/*
 * Parse a comma-separated list of addresses and CIDR blocks ("10.0.0.1, 192.168.0.0/16,
 * ::1, fd00::/8"); spaces around entries are ignored; an address alone is a block of one.
 * Host bits set beyond the prefix are refused, as are empty entries. An empty or NULL @s is
 * the empty list. 0, or -EINVAL with a sentence naming the entry at fault in @err (@errsize
 * bytes), or -E2BIG beyond NETADDR_LIST_MAX entries.
 */
int netaddr_list_parse(const char *s, struct netaddr_list *ret, char *err, size_t errsize);

/* True when @a lies in a block of @l (an IPv4 address never lies in an IPv6 block). */
bool netaddr_list_contains(const struct netaddr_list *l, const struct netaddr *a);

/*
 * The client of a request whose direct peer is @peer and whose X-Forwarded-For header
 * values are @xff (all of its lines joined with commas; NULL when absent). When @peer is not
 * in @trusted (or @trusted is empty or NULL), the peer is the client and @xff is ignored.
 * Otherwise the entries of @xff are read from the right: the first that is not itself a
 * trusted proxy is the client; when an entry is malformed, or every entry is a trusted
 * proxy, the client is the last trusted address read (the nearest hop that vouched for the
 * rest). Fills *@ret; always succeeds.
 */
void netaddr_forwarded_client(const struct netaddr_list *trusted, const struct netaddr *peer,
                              const char *xff, struct netaddr *ret);

/* Write @a as text (inet_ntop's form) into @out. 0, or -ENOSPC. */
int netaddr_format(const struct netaddr *a, char *out, size_t size);

/*
 * Write the network a client's failures are counted against: an IPv4 address as it is
 * ("192.0.2.7"), an IPv6 address as its /64 ("2001:db8:1:2::/64"). 0, or -ENOSPC.
 */
int netaddr_network(const struct netaddr *a, char *out, size_t size);

#endif
