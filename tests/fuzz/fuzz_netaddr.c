/*
 * fuzz_netaddr.c - libFuzzer harness for client addresses (src/core/netaddr.c): the input's
 * first line is a PLACARD_TRUSTED_PROXIES setting, the rest an X-Forwarded-For value sent
 * through a peer at 127.0.0.1 and through one at 192.0.2.1. A parsed list has at most
 * NETADDR_LIST_MAX blocks of valid prefixes; a peer outside the list is always the client;
 * the client always formats, and its network fits NETADDR_TEXT_MAX.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/netaddr.h"
#include "core/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_client(const struct netaddr_list *l, const char *peer_text, const char *xff)
{
	struct netaddr peer, client;
	if (netaddr_parse(peer_text, &peer) < 0)
		abort();
	netaddr_forwarded_client(l, &peer, xff, &client);
	if (!netaddr_list_contains(l, &peer) && memcmp(&client, &peer, sizeof(peer)) != 0)
		abort();
	char text[NETADDR_TEXT_MAX], net[NETADDR_TEXT_MAX];
	if (netaddr_format(&client, text, sizeof(text)) < 0 ||
	    netaddr_network(&client, net, sizeof(net)) < 0)
		abort();
	/* What it formats to parses back to itself. */
	struct netaddr again;
	if (netaddr_parse(text, &again) < 0 || memcmp(&again, &client, sizeof(client)) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = xmalloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	char *xff = strchr(s, '\n');
	if (xff)
		*xff++ = '\0';
	struct netaddr_list l;
	char err[256];
	if (netaddr_list_parse(s, &l, err, sizeof(err)) == 0) {
		if (l.n > NETADDR_LIST_MAX)
			abort();
		for (size_t i = 0; i < l.n; i++)
			if (l.blocks[i].prefix > (l.blocks[i].addr.v6 ? 128u : 32u))
				abort();
		check_client(&l, "127.0.0.1", xff);
		check_client(&l, "192.0.2.1", xff);
		check_client(&l, "2001:db8::1", xff);
	} else if (!memchr(err, '\0', sizeof(err))) {
		abort();
	}
	free(s);
	return 0;
}
