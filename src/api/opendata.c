/*
 * opendata.c - the LIVES open-data feed: a ZIP of businesses.csv, inspections.csv,
 * violations.csv, feed_info.csv and legend.csv, generated from the database
 * (placard export lives, GET /open-data/lives.zip).
 *
 * PostgreSQL writes the CSV itself (COPY ... TO STDOUT WITH (FORMAT csv, HEADER,
 * ENCODING 'UTF8'): RFC 4180 quoting, UTF-8), all five files from one snapshot; libzip packs
 * them. Scores are mapped to LIVES's 0-100, higher-is-better scale as legend.csv says;
 * inspections.csv and violations.csv carry an extra inspection_id column, Placard's stable
 * id, so violations join their inspection without the business + date ambiguity. Each row
 * passes through opendata_csv_guard_record() on its way to the file: a cell a spreadsheet
 * would run as a formula (a name registered as "=HYPERLINK(...)") gets a leading apostrophe,
 * which placard import lives removes again.
 *
 * Placard's own feed (docs/opendata.md, GET /api/v1/opendata/inspections.ndjson): one JSON
 * object a line, every published inspection with what its grade was computed from, so that
 * anyone can recompute the grades from it and the published scheme versions.
 *
 * Each HTTP feed is cached in a file per data version (the number of events in the public
 * log: every change appends one in its transaction), rebuilt at most every REFRESH_USEC
 * while the data keeps changing, and served with an ETag of that version.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/api.h"
#include "records/opendata.h"
#include "core/log.h"
#include "core/util.h"

/* A newer feed is built at most this often; clients may reuse one for as long. */
#define REFRESH_USEC  (300LL * 1000000)
#define CACHE_CONTROL "public, max-age=300"

/* ---- GET /open-data/lives.zip and GET /api/v1/opendata/inspections.ndjson */

/* One feed's cached file. The folder is shared; each feed has its own lock and file. */
struct feed {
	pthread_mutex_t lock;
	const char *name; /* "lives": files lives-VERSION-PID.zip, ETag "lives-VERSION" */
	const char *ext;  /* ".zip" */
	int (*build)(struct store *st, const char *path, long long *ret_version, char *err,
	             size_t errsize);
	char path[PATH_MAX + 64]; /* the current file, "" before the first */
	long long version;        /* -1 before the first */
	long long built_usec;
};

static struct feed lives_feed = {
	PTHREAD_MUTEX_INITIALIZER, "lives", ".zip", rec_lives_export, "", -1, 0
};
static struct feed placard_feed = {
	PTHREAD_MUTEX_INITIALIZER, "placard", ".ndjson", rec_placard_export, "", -1, 0
};

static pthread_mutex_t dir_lock = PTHREAD_MUTEX_INITIALIZER;
static char feed_dir[PATH_MAX]; /* PLACARD_CACHE_DIR, or a private folder in TMPDIR */
static bool feed_dir_made;      /* the private folder: removed at shutdown */

static int feed_dir_ready_locked(void)
{
	if (*feed_dir)
		return 0;
	const char *dir = getenv("PLACARD_CACHE_DIR");
	if (dir && *dir) {
		if (mkdir(dir, 0700) < 0 && errno != EEXIST)
			return -errno;
		snprintf(feed_dir, sizeof(feed_dir), "%s", dir);
		return 0;
	}
	const char *tmp = getenv("TMPDIR");
	snprintf(feed_dir, sizeof(feed_dir), "%s/placard-feed-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(feed_dir)) {
		int e = errno;
		*feed_dir = '\0';
		return -e;
	}
	feed_dir_made = true;
	return 0;
}

static int feed_dir_ready(void)
{
	pthread_mutex_lock(&dir_lock);
	int rc = feed_dir_ready_locked();
	pthread_mutex_unlock(&dir_lock);
	return rc;
}

void api_open_data_cleanup(void)
{
	pthread_mutex_lock(&dir_lock);
	if (feed_dir_made) {
		DIR *d = opendir(feed_dir);
		struct dirent *e;
		while (d && (e = readdir(d))) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			char path[PATH_MAX + 256];
			snprintf(path, sizeof(path), "%s/%s", feed_dir, e->d_name);
			unlink(path);
		}
		if (d)
			closedir(d);
		if (rmdir(feed_dir) < 0)
			log_warn("open data: cannot remove %s: %s", feed_dir, strerror(errno));
		feed_dir_made = false;
		*feed_dir = '\0';
	}
	pthread_mutex_unlock(&dir_lock);
}

/* Make sure a feed no older than the rules allow exists; open it. Called with @feed's lock. */
static int feed_open(struct feed *feed, struct store *st, long long version, int *ret_fd,
                     struct stat *ret_st, long long *ret_version, char *err, size_t errsize)
{
	long long now = now_usec();
	bool stale = feed->version < version && now - feed->built_usec >= REFRESH_USEC;
	if (feed->version < 0 || stale) {
		int rc = feed_dir_ready();
		if (rc < 0) {
			snprintf(err, errsize, "no folder for the feed: %s", strerror(-rc));
			return rc;
		}
		/* The folder name leaves room for the file names below (see feed_dir's users). */
		char tmp[PATH_MAX + 64], path[PATH_MAX + 64];
		long long built;
		snprintf(tmp, sizeof(tmp), "%s/%s-building-%d%s", feed_dir, feed->name,
		         (int)getpid(), feed->ext);
		if ((rc = feed->build(st, tmp, &built, err, errsize)) < 0)
			return rc;
		snprintf(path, sizeof(path), "%s/%s-%lld-%d%s", feed_dir, feed->name, built,
		         (int)getpid(), feed->ext);
		if (rename(tmp, path) < 0) {
			snprintf(err, errsize, "cannot rename %.200s: %s", tmp, strerror(errno));
			unlink(tmp);
			return -EIO;
		}
		if (*feed->path && !streq(feed->path, path))
			unlink(feed->path); /* requests still sending it keep their descriptor */
		snprintf(feed->path, sizeof(feed->path), "%s", path);
		feed->version = built;
		feed->built_usec = now;
	}
	int fd = open(feed->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, ret_st) < 0) {
		snprintf(err, errsize, "cannot open %.200s: %s", feed->path, strerror(errno));
		if (fd >= 0)
			close(fd);
		feed->version = -1;
		return -EIO;
	}
	*ret_fd = fd;
	*ret_version = feed->version;
	return 0;
}

static bool etag_listed(const char *header, const char *etag)
{
	if (!header)
		return false;
	if (streq(header, "*"))
		return true;
	size_t n = strlen(etag);
	for (const char *p = header; (p = strstr(p, etag)); p += n)
		if (p[n] == '\0' || p[n] == ',' || p[n] == ' ')
			return true;
	return false;
}

/* Serve @f, built anew when the data changed and the last one is old enough. */
static int serve_feed(struct http_request *req, struct http_response *res, struct feed *f,
                      const char *content_type, const char *filename)
{
	long long version, served;
	struct rec r = api_rec(req, STORE_READ);
	if (rec_lives_version(&r, &version) < 0)
		return api_refused(res, &r);
	/* The feed's file is this server's cache (above): it is built by records/opendata.c
	 * only when the data changed and the last one is old enough. */
	int fd = -1;
	struct stat sb;
	char err[512];
	pthread_mutex_lock(&f->lock);
	int rc = feed_open(f, r.st, version, &fd, &sb, &served, err, sizeof(err));
	pthread_mutex_unlock(&f->lock);
	if (rc == -ECONNREFUSED || rc == -EAGAIN) {
		rec_store_error(&r, rc);
		return api_refused(res, &r);
	}
	if (rc < 0) {
		log_error("open data: %s", err);
		return http_problem(res, 500, NULL, "api.opendata.not_built", NULL);
	}
	char *etag = arena_printf(req->arena, "\"%s-%lld\"", f->name, served);
	http_header_add(res, "ETag", etag);
	http_header_add(res, "Cache-Control", CACHE_CONTROL);
	if (etag_listed(http_header(req, "If-None-Match"), etag)) {
		close(fd);
		return http_respond(res, 304, NULL, "", 0);
	}
	http_header_add(res, "Content-Disposition",
	                arena_printf(req->arena, "attachment; filename=\"%s\"", filename));
	return http_respond_fd(res, 200, content_type, fd, (uint64_t)sb.st_size);
}

int api_open_data_lives(struct http_request *req, struct http_response *res)
{
	return serve_feed(req, res, &lives_feed, "application/zip", "lives.zip");
}

/* ---- GET /api/v1/opendata/inspections.ndjson */

int api_open_data_placard(struct http_request *req, struct http_response *res)
{
	return serve_feed(req, res, &placard_feed, "application/x-ndjson", "inspections.ndjson");
}
