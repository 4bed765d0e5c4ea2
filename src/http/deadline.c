/*
 * deadline.c - the cap on how long one request may take to arrive (PLACARD_REQUEST_TIMEOUT).
 *
 * libmicrohttpd's own timeout counts only inactivity, and it calls us only once the headers
 * are complete, so a client sending a header byte every two seconds would hold a connection
 * (and a slot of the per-IP and total limits) forever. Here every connection is tracked from
 * the moment it is accepted: its current request starts then, and again each time a response
 * has been sent on it (keep-alive). A reaper thread wakes a few times a second and shuts down
 * the socket of any connection whose request has been arriving for longer than the cap;
 * libmicrohttpd then sees the connection fail and closes it itself.
 *
 * Once a request has fully arrived (its response is queued) the cap no longer applies: a slow
 * handler or a slow download is not a slow client sending a request.
 *
 * Safety: the list is guarded by one mutex. libmicrohttpd reports a connection's closing (and
 * we unlink its entry under the mutex) before it closes the socket, so the reaper never
 * shuts down a descriptor that has been closed and reused for something else.
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "core/log.h"
#include "core/util.h"
#include "http/internal.h"

/* How often the reaper looks, in milliseconds: the cap is enforced within this much. */
#define REAP_INTERVAL_MS 250

struct conn_track {
	struct conn_track *prev, *next;
	int fd;
	long long request_start_usec;
	bool arrived; /* the current request is complete; not subject to the cap */
	bool reaped;  /* already shut down; waiting for libmicrohttpd to close it */
};

struct http_deadlines {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	struct conn_track *head;
	long long cap_usec;
	bool stopping;
};

static void sweep(struct http_deadlines *d)
{
	long long now = now_usec();
	for (struct conn_track *t = d->head; t; t = t->next) {
		if (t->arrived || t->reaped || now - t->request_start_usec <= d->cap_usec)
			continue;
		/* Wake libmicrohttpd's poll with an end of file on the socket: it closes the
		 * connection and reports it to http_deadlines_notify(). */
		shutdown(t->fd, SHUT_RDWR);
		t->reaped = true;
		log_warn("http: closed a connection whose request took over %lld s to arrive",
		         d->cap_usec / 1000000);
	}
}

static void *reaper_main(void *arg)
{
	struct http_deadlines *d = arg;
	pthread_mutex_lock(&d->lock);
	while (!d->stopping) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_nsec += REAP_INTERVAL_MS * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&d->wake, &d->lock, &ts);
		if (!d->stopping)
			sweep(d);
	}
	pthread_mutex_unlock(&d->lock);
	return NULL;
}

int http_deadlines_start(unsigned cap_seconds, struct http_deadlines **ret)
{
	struct http_deadlines *d = xcalloc(1, sizeof(*d));
	int rc = 0;
	pthread_condattr_t attr;
	d->cap_usec = (long long)cap_seconds * 1000000;
	pthread_mutex_init(&d->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&d->wake, &attr);
	pthread_condattr_destroy(&attr);
	rc = -pthread_create(&d->thread, NULL, reaper_main, d);
	if (rc < 0)
		goto out;
	*ret = d;
out:
	if (rc < 0) {
		pthread_cond_destroy(&d->wake);
		pthread_mutex_destroy(&d->lock);
		free(d);
	}
	return rc;
}

void http_deadlines_stop(struct http_deadlines *d)
{
	if (!d)
		return;
	pthread_mutex_lock(&d->lock);
	d->stopping = true;
	pthread_cond_signal(&d->wake);
	pthread_mutex_unlock(&d->lock);
	pthread_join(d->thread, NULL);
	/* Called after MHD_stop_daemon(), which reported every connection closed: the list
	 * is empty. Free what is left anyway rather than leak on a broken invariant. */
	struct conn_track *t = d->head;
	while (t) {
		struct conn_track *next = t->next;
		free(t);
		t = next;
	}
	pthread_cond_destroy(&d->wake);
	pthread_mutex_destroy(&d->lock);
	free(d);
}

void http_deadlines_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                           enum MHD_ConnectionNotificationCode code)
{
	struct http_deadlines *d = cls;
	struct conn_track *t = *socket_context;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
		        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		if (!ci)
			return;
		t = xcalloc(1, sizeof(*t));
		t->fd = ci->connect_fd;
		t->request_start_usec = now_usec();
		pthread_mutex_lock(&d->lock);
		t->next = d->head;
		if (d->head)
			d->head->prev = t;
		d->head = t;
		pthread_mutex_unlock(&d->lock);
		*socket_context = t;
		return;
	}
	if (!t)
		return;
	pthread_mutex_lock(&d->lock);
	if (t->prev)
		t->prev->next = t->next;
	else
		d->head = t->next;
	if (t->next)
		t->next->prev = t->prev;
	pthread_mutex_unlock(&d->lock);
	*socket_context = NULL;
	free(t);
}

static struct conn_track *track_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
	        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

void http_deadlines_arrived(struct http_deadlines *d, struct MHD_Connection *c)
{
	struct conn_track *t = track_of(c);
	if (!t)
		return;
	pthread_mutex_lock(&d->lock);
	t->arrived = true;
	pthread_mutex_unlock(&d->lock);
}

void http_deadlines_next(struct http_deadlines *d, struct MHD_Connection *c)
{
	struct conn_track *t = track_of(c);
	if (!t)
		return;
	pthread_mutex_lock(&d->lock);
	t->arrived = false;
	t->request_start_usec = now_usec();
	pthread_mutex_unlock(&d->lock);
}
