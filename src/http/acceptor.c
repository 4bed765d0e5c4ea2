/*
 * acceptor.c - one thread accepts every connection and hands them to the worker daemons in
 * turn, with the connection limits kept here, for all workers together.
 *
 * libmicrohttpd's own thread pool lets each worker accept from the shared listening socket,
 * and whichever wakes first takes a burst of connections: measured with wrk's 16 kept-alive
 * connections on two workers, one worker held all 16 in one start of five, and the server
 * answered a third as many requests (5,300 against 15,000-16,800 a second). So each worker
 * is its own daemon without a listening socket, fed with MHD_add_connection() round robin.
 *
 * The per-address and total limits are counted here: a connection counts from its accept
 * until libmicrohttpd reports it closed (http_acceptor_closed()). Over the per-address limit
 * a connection is closed at once; at the total limit nothing more is accepted, so further
 * clients wait in the kernel's listen backlog until a connection closes.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/util.h"
#include "http/internal.h"

/* A client address as a key: family and the address bytes, nothing else (no port). */
struct ip_key {
	uint8_t family; /* 0: free slot */
	uint8_t addr[16];
};

struct ip_slot {
	struct ip_key key;
	unsigned count;
};

struct http_acceptor {
	int listen_fd;
	struct MHD_Daemon **daemons;
	unsigned ndaemons, next;
	unsigned max_connections, per_ip;
	pthread_t thread;
	atomic_bool stop;

	pthread_mutex_t lock;
	pthread_cond_t room; /* signalled when a connection closes */
	unsigned open;       /* connections handed to libmicrohttpd, not yet closed */
	struct ip_slot *slots;
	size_t nslots; /* a power of two, at least twice max_connections */
};

static bool ip_key_of(const struct sockaddr *sa, struct ip_key *k)
{
	memset(k, 0, sizeof(*k));
	if (!sa)
		return false;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		k->family = AF_INET;
		memcpy(k->addr, &in->sin_addr, 4);
		return true;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
		k->family = AF_INET6;
		memcpy(k->addr, &in6->sin6_addr, 16);
		return true;
	}
	return false;
}

static size_t ip_hash(const struct ip_key *k)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	h = (h ^ k->family) * 1099511628211ULL;
	for (size_t i = 0; i < sizeof(k->addr); i++)
		h = (h ^ k->addr[i]) * 1099511628211ULL;
	return (size_t)h;
}

/* The slot of @k, or of the free slot where it would go. Called with the lock held. */
static size_t ip_find(const struct http_acceptor *a, const struct ip_key *k)
{
	size_t mask = a->nslots - 1, i = ip_hash(k) & mask;
	while (a->slots[i].key.family && memcmp(&a->slots[i].key, k, sizeof(*k)) != 0)
		i = (i + 1) & mask;
	return i;
}

/* Empty slot @i, moving later entries of its probe run back (no tombstones). */
static void ip_remove(struct http_acceptor *a, size_t i)
{
	size_t mask = a->nslots - 1, j = i;
	for (;;) {
		a->slots[i].key.family = 0;
		a->slots[i].count = 0;
		for (;;) {
			j = (j + 1) & mask;
			if (!a->slots[j].key.family)
				return;
			size_t home = ip_hash(&a->slots[j].key) & mask;
			/* Move j back to i unless its home lies cyclically in (i, j]. */
			if (i <= j ? (home <= i || home > j) : (home <= i && home > j))
				break;
		}
		a->slots[i] = a->slots[j];
		i = j;
	}
}

/* Count a connection from @k if the limits allow it. Called with the lock held. */
static bool admit(struct http_acceptor *a, const struct ip_key *k)
{
	if (!k->family) {
		a->open++;
		return true;
	}
	size_t i = ip_find(a, k);
	if (a->slots[i].key.family && a->slots[i].count >= a->per_ip)
		return false;
	a->slots[i].key = *k;
	a->slots[i].count++;
	a->open++;
	return true;
}

/* Uncount a connection from @k. Called with the lock held. */
static void release(struct http_acceptor *a, const struct ip_key *k)
{
	if (a->open)
		a->open--;
	if (k->family) {
		size_t i = ip_find(a, k);
		if (a->slots[i].key.family && --a->slots[i].count == 0)
			ip_remove(a, i);
	}
	pthread_cond_signal(&a->room);
}

void http_acceptor_closed(struct http_acceptor *a, const struct sockaddr *addr)
{
	if (!a)
		return;
	struct ip_key k;
	ip_key_of(addr, &k);
	pthread_mutex_lock(&a->lock);
	release(a, &k);
	pthread_mutex_unlock(&a->lock);
}

static void *acceptor_main(void *arg)
{
	struct http_acceptor *a = arg;
	bool warned = false;
	while (!atomic_load(&a->stop)) {
		/* At the total limit: accept nothing until a connection closes. */
		pthread_mutex_lock(&a->lock);
		while (a->open >= a->max_connections && !atomic_load(&a->stop)) {
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_nsec += 100 * 1000000L;
			if (until.tv_nsec >= 1000000000L) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&a->room, &a->lock, &until);
		}
		pthread_mutex_unlock(&a->lock);
		if (atomic_load(&a->stop))
			break;

		struct pollfd pfd = { .fd = a->listen_fd, .events = POLLIN };
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);
		int fd = accept4(a->listen_fd, (struct sockaddr *)&ss, &len,
		                 SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
			    errno == ENOMEM) {
				if (!warned)
					log_warn("http: cannot accept: %s; retrying",
					         strerror(errno));
				warned = true;
				struct timespec ts = { 0, 100 * 1000000L };
				nanosleep(&ts, NULL);
			}
			continue;
		}
		warned = false;
		struct ip_key k;
		ip_key_of((struct sockaddr *)&ss, &k);
		pthread_mutex_lock(&a->lock);
		bool ok = admit(a, &k);
		pthread_mutex_unlock(&a->lock);
		if (!ok) {
			close(fd); /* over the per-address limit: closed at once, no answer */
			continue;
		}
		/* As libmicrohttpd sets on the sockets it accepts itself: responses go out at once. */
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		struct MHD_Daemon *d = a->daemons[a->next++ % a->ndaemons];
		if (MHD_add_connection(d, fd, (struct sockaddr *)&ss, len) != MHD_YES) {
			/* libmicrohttpd closed it and will not report it. */
			pthread_mutex_lock(&a->lock);
			release(a, &k);
			pthread_mutex_unlock(&a->lock);
		}
	}
	return NULL;
}

int http_acceptor_start(int listen_fd, struct MHD_Daemon **daemons, unsigned ndaemons,
                        unsigned max_connections, unsigned per_ip, struct http_acceptor **ret)
{
	struct http_acceptor *a = xcalloc(1, sizeof(*a));
	a->listen_fd = listen_fd;
	a->daemons = daemons;
	a->ndaemons = ndaemons;
	a->max_connections = max_connections ? max_connections : 1;
	a->per_ip = per_ip ? per_ip : 1;
	a->nslots = 16;
	while (a->nslots < 2 * (size_t)a->max_connections)
		a->nslots *= 2;
	a->slots = xcalloc(a->nslots, sizeof(*a->slots));
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->room, NULL);
	atomic_init(&a->stop, false);
	/* Published before the thread starts: the workers' connection callbacks read *@ret
	 * (http_acceptor_closed) as soon as the first connection is handed out. */
	*ret = a;
	if (pthread_create(&a->thread, NULL, acceptor_main, a) != 0) {
		*ret = NULL;
		pthread_mutex_destroy(&a->lock);
		pthread_cond_destroy(&a->room);
		free(a->slots);
		free(a);
		return -EAGAIN;
	}
	return 0;
}

void http_acceptor_stop(struct http_acceptor *a)
{
	if (!a)
		return;
	atomic_store(&a->stop, true);
	pthread_mutex_lock(&a->lock);
	pthread_cond_signal(&a->room);
	pthread_mutex_unlock(&a->lock);
	pthread_join(a->thread, NULL);
}

void http_acceptor_free(struct http_acceptor *a)
{
	if (!a)
		return;
	pthread_mutex_destroy(&a->lock);
	pthread_cond_destroy(&a->room);
	free(a->slots);
	free(a);
}
