/*
 * test_netaddr.c - cmocka tests for client addresses (src/core/netaddr.c): parsing IPv4 and
 * IPv6 addresses, the PLACARD_TRUSTED_PROXIES list (addresses and CIDR blocks, malformed
 * entries refused), membership, which X-Forwarded-For entry is the client, and the network
 * a client is counted against (IPv4 address, IPv6 /64).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/netaddr.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static struct netaddr addr(const char *s)
{
	struct netaddr a;
	if (netaddr_parse(s, &a) < 0)
		fail_msg("\"%s\" did not parse", s);
	return a;
}

static const char *text(const struct netaddr *a)
{
	static char out[NETADDR_TEXT_MAX];
	assert_int_equal(netaddr_format(a, out, sizeof(out)), 0);
	return out;
}

static const char *network(const char *s)
{
	static char out[NETADDR_TEXT_MAX];
	struct netaddr a = addr(s);
	assert_int_equal(netaddr_network(&a, out, sizeof(out)), 0);
	return out;
}

static void test_parse(void **state)
{
	(void)state;
	const char *good[][2] = {
		{ "192.0.2.7", "192.0.2.7" },
		{ "0.0.0.0", "0.0.0.0" },
		{ "255.255.255.255", "255.255.255.255" },
		{ "::1", "::1" },
		{ "2001:DB8::1", "2001:db8::1" },
		{ "2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1" },
		{ "::ffff:192.0.2.7", "192.0.2.7" }, /* mapped: the IPv4 address */
		{ "fe80::1:2:3:4", "fe80::1:2:3:4" },
	};
	for (size_t i = 0; i < N_OF(good); i++) {
		struct netaddr a = addr(good[i][0]);
		assert_string_equal(text(&a), good[i][1]);
	}
	assert_false(addr("192.0.2.7").v6);
	assert_true(addr("::1").v6);
	assert_false(addr("::ffff:10.0.0.1").v6);
	const char *bad[] = { "",           "192.0.2",    "192.0.2.256",
		              "192.0.2.7 ", " 192.0.2.7", "192.0.2.7:80",
		              "[::1]",      "::1%eth0",   "2001:db8::1::2",
		              "unknown",    "10.0.0.0/8", "1.2.3.4.5" };
	for (size_t i = 0; i < N_OF(bad); i++) {
		struct netaddr a = { .v6 = 7 };
		if (netaddr_parse(bad[i], &a) != -EINVAL)
			fail_msg("\"%s\" parsed", bad[i]);
		assert_int_equal(a.v6, 7); /* untouched */
	}
	struct netaddr a;
	assert_int_equal(netaddr_parse(NULL, &a), -EINVAL);
}

static void test_network(void **state)
{
	(void)state;
	assert_string_equal(network("192.0.2.7"), "192.0.2.7");
	assert_string_equal(network("::ffff:192.0.2.7"), "192.0.2.7");
	assert_string_equal(network("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
	assert_string_equal(network("2001:db8:1:2::ffff"), "2001:db8:1:2::/64");
	assert_string_equal(network("2001:db8:1:3::1"), "2001:db8:1:3::/64");
	assert_string_equal(network("::1"), "::/64");
	assert_string_equal(network("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
	                    "ffff:ffff:ffff:ffff::/64");
	char small[8];
	struct netaddr a = addr("2001:db8:1:2::1");
	assert_int_equal(netaddr_network(&a, small, sizeof(small)), -ENOSPC);
	assert_int_equal(netaddr_format(&a, small, sizeof(small)), -ENOSPC);
}

static void test_list_parse(void **state)
{
	(void)state;
	struct netaddr_list l;
	char err[256];
	assert_int_equal(netaddr_list_parse(NULL, &l, err, sizeof(err)), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(netaddr_list_parse("", &l, err, sizeof(err)), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(netaddr_list_parse("10.0.0.1", &l, err, sizeof(err)), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.blocks[0].prefix, 32);
	assert_int_equal(
	        netaddr_list_parse(" 10.0.0.1 , 192.168.0.0/16,::1,fd00::/8 ,0.0.0.0/0,::/0", &l,
	                           err, sizeof(err)),
	        0);
	assert_int_equal(l.n, 6);
	assert_int_equal(l.blocks[1].prefix, 16);
	assert_int_equal(l.blocks[2].prefix, 128);
	assert_int_equal(l.blocks[3].prefix, 8);
	assert_int_equal(l.blocks[4].prefix, 0);
	const char *bad[] = {
		"10.0.0.1,",   ",10.0.0.1",           "10.0.0.1,,10.0.0.2", "10.0.0.0/33",
		"fd00::/129",  "10.0.0.1/8",          "10.0.0.0/",          "10.0.0.0/x",
		"10.0.0.0/08", "10.0.0.0/-1",         "proxy.example",      "10.0.0.1 10.0.0.2",
		"fd00::1/8",   "::ffff:10.0.0.0/104", "10.0.0.0/8/8",       " ",
	};
	for (size_t i = 0; i < N_OF(bad); i++) {
		struct netaddr_list keep = { .n = 99 };
		err[0] = '\0';
		if (netaddr_list_parse(bad[i], &keep, err, sizeof(err)) != -EINVAL)
			fail_msg("\"%s\" accepted", bad[i]);
		assert_int_equal(keep.n, 99); /* untouched */
		assert_non_null(strstr(err, "is not an IPv4 or IPv6 address"));
	}
	/* The message names the entry at fault. */
	assert_int_equal(netaddr_list_parse("10.0.0.1, nonsense", &l, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "\"nonsense\""));
	/* At most NETADDR_LIST_MAX entries. */
	char many[NETADDR_LIST_MAX * 16 + 32] = "";
	for (int i = 0; i < NETADDR_LIST_MAX; i++) {
		char one[16];
		snprintf(one, sizeof(one), "%s10.0.0.%d", i ? "," : "", i);
		strcat(many, one);
	}
	assert_int_equal(netaddr_list_parse(many, &l, err, sizeof(err)), 0);
	assert_int_equal(l.n, NETADDR_LIST_MAX);
	strcat(many, ",10.0.1.1");
	assert_int_equal(netaddr_list_parse(many, &l, err, sizeof(err)), -E2BIG);
}

static void test_contains(void **state)
{
	(void)state;
	struct netaddr_list l;
	char err[256];
	assert_int_equal(netaddr_list_parse("10.1.2.3, 172.16.0.0/12, fd00:1::/32, ::1, "
	                                    "192.0.2.128/25",
	                                    &l, err, sizeof(err)),
	                 0);
	const struct {
		const char *a;
		bool in;
	} cases[] = {
		{ "10.1.2.3", true },
		{ "10.1.2.4", false },
		{ "172.16.0.1", true },
		{ "172.31.255.255", true },
		{ "172.32.0.0", false },
		{ "172.15.255.255", false },
		{ "fd00:1::5", true },
		{ "fd00:1:ffff::1", true },
		{ "fd00:2::1", false },
		{ "::1", true },
		{ "::2", false },
		{ "192.0.2.128", true },
		{ "192.0.2.255", true },
		{ "192.0.2.127", false },
		{ "::ffff:10.1.2.3", true },
	};
	for (size_t i = 0; i < N_OF(cases); i++) {
		struct netaddr a = addr(cases[i].a);
		if (netaddr_list_contains(&l, &a) != cases[i].in)
			fail_msg("%s: want %s", cases[i].a, cases[i].in ? "in" : "out");
	}
	/* An IPv4 address is never in an IPv6 block, even ::/0. */
	assert_int_equal(netaddr_list_parse("::/0", &l, err, sizeof(err)), 0);
	struct netaddr v4 = addr("10.0.0.1"), v6 = addr("2001:db8::1");
	assert_false(netaddr_list_contains(&l, &v4));
	assert_true(netaddr_list_contains(&l, &v6));
	assert_int_equal(netaddr_list_parse("0.0.0.0/0", &l, err, sizeof(err)), 0);
	assert_true(netaddr_list_contains(&l, &v4));
	assert_false(netaddr_list_contains(&l, &v6));
	assert_false(netaddr_list_contains(NULL, &v4));
}

static void test_forwarded(void **state)
{
	(void)state;
	struct netaddr_list trusted, none = { 0 };
	char err[256];
	assert_int_equal(
	        netaddr_list_parse("127.0.0.1, 10.0.0.0/8, fd00::/8", &trusted, err, sizeof(err)),
	        0);
	const struct {
		const char *peer, *xff, *client;
		bool with_list;
	} cases[] = {
		/* No list: the peer, whatever the header says. */
		{ "127.0.0.1", "203.0.113.9", "127.0.0.1", false },
		/* An untrusted peer: its header is ignored. */
		{ "198.51.100.1", "203.0.113.9", "198.51.100.1", true },
		/* A trusted peer with no header: the peer. */
		{ "127.0.0.1", NULL, "127.0.0.1", true },
		{ "127.0.0.1", "", "127.0.0.1", true },
		/* The right-most untrusted entry. */
		{ "127.0.0.1", "203.0.113.9", "203.0.113.9", true },
		{ "127.0.0.1", "203.0.113.9, 10.0.0.2", "203.0.113.9", true },
		{ "127.0.0.1", "1.1.1.1, 203.0.113.9, 10.0.0.2", "203.0.113.9", true },
		/* What the client itself wrote on the left is not believed. */
		{ "127.0.0.1", "6.6.6.6,203.0.113.9", "203.0.113.9", true },
		{ "127.0.0.1", "  203.0.113.9  ,\t10.9.9.9 ", "203.0.113.9", true },
		/* IPv6, and mapped IPv4. */
		{ "127.0.0.1", "2001:db8::5", "2001:db8::5", true },
		{ "fd00::1", "2001:db8::5, fd12::3", "2001:db8::5", true },
		{ "127.0.0.1", "::ffff:203.0.113.9", "203.0.113.9", true },
		/* A malformed entry: the nearest trusted hop that vouched for the rest. */
		{ "127.0.0.1", "203.0.113.9, garbage", "127.0.0.1", true },
		{ "127.0.0.1", "203.0.113.9, garbage, 10.0.0.7", "10.0.0.7", true },
		{ "127.0.0.1", "garbage, 203.0.113.9", "203.0.113.9", true },
		{ "127.0.0.1", "203.0.113.9:4711", "127.0.0.1", true },
		{ "127.0.0.1", "203.0.113.9,", "127.0.0.1", true },
		/* Every entry trusted: the left-most of them. */
		{ "127.0.0.1", "10.0.0.3, 10.0.0.2", "10.0.0.3", true },
	};
	for (size_t i = 0; i < N_OF(cases); i++) {
		struct netaddr peer = addr(cases[i].peer), got;
		netaddr_forwarded_client(cases[i].with_list ? &trusted : &none, &peer, cases[i].xff,
		                         &got);
		if (strcmp(text(&got), cases[i].client) != 0)
			fail_msg("peer %s, X-Forwarded-For \"%s\": got %s, want %s", cases[i].peer,
			         cases[i].xff ? cases[i].xff : "(none)", text(&got),
			         cases[i].client);
	}
	/* A NULL list is no list. */
	struct netaddr peer = addr("127.0.0.1"), got;
	netaddr_forwarded_client(NULL, &peer, "203.0.113.9", &got);
	assert_string_equal(text(&got), "127.0.0.1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),      cmocka_unit_test(test_network),
		cmocka_unit_test(test_list_parse), cmocka_unit_test(test_contains),
		cmocka_unit_test(test_forwarded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
