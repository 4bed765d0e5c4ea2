/*
 * opendata.c - the open-data feeds written to a file. LIVES: a ZIP of businesses.csv,
 * inspections.csv, violations.csv, feed_info.csv and legend.csv from one snapshot. Placard's
 * own feed (docs/opendata.md): one JSON object a line, streamed from PostgreSQL to the file
 * as COPY hands it over, never held whole in memory.
 *
 * PostgreSQL writes the CSV itself (COPY ... TO STDOUT WITH (FORMAT csv, HEADER,
 * ENCODING 'UTF8'): RFC 4180 quoting, UTF-8); libzip packs it. Each row passes through
 * opendata_csv_guard_record() on its way to the file: a cell a spreadsheet would run as a
 * formula gets a leading apostrophe, which placard import lives removes again.
 */
#include "records/opendata.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "core/buf.h"
#include "core/util.h"
#include "domain/opendata.h"

static const struct {
	const char *name;
	enum store_stmt stmt;
} lives_files[] = {
	{ "businesses.csv", STMT_OPENDATA_EXPORT_BUSINESSES },
	{ "inspections.csv", STMT_OPENDATA_EXPORT_INSPECTIONS },
	{ "violations.csv", STMT_OPENDATA_EXPORT_VIOLATIONS },
	{ "feed_info.csv", STMT_OPENDATA_EXPORT_FEED_INFO },
	{ "legend.csv", STMT_OPENDATA_EXPORT_LEGEND },
};

struct csv_out {
	FILE *f;
	struct buf row;
};

/* One row of COPY's CSV (libpq hands over one whole row at a time), guarded, to the file. */
static int write_row(void *ctx, const char *data, size_t len)
{
	struct csv_out *o = ctx;
	buf_truncate(&o->row, 0);
	if (opendata_csv_guard_record(data, len, &o->row) > 0) {
		data = o->row.data;
		len = o->row.len;
	}
	return fwrite(data, 1, len, o->f) == len ? 0 : -EIO;
}

int rec_lives_export(struct store *st, const char *path, long long *ret_version, char *err,
                     size_t errsize)
{
	char dir[PATH_MAX], part[ARRAY_SIZE(lives_files)][PATH_MAX];
	size_t nparts = 0;
	zip_t *z = NULL;
	int rc;
	if (snprintf(dir, sizeof(dir), "%s.parts-XXXXXX", path) >= (int)sizeof(dir) ||
	    !mkdtemp(dir)) {
		snprintf(err, errsize, "cannot create a folder beside %s: %s", path,
		         strerror(errno));
		return -EIO;
	}
	struct arena *a = arena_new();
	struct store_result *r;
	long long version = 0;
	if ((rc = store_begin_in(st, a)) < 0 ||
	    (rc = store_exec(st, a, STMT_OPENDATA_SNAPSHOT, NULL, NULL)) < 0 ||
	    (rc = store_exec(st, a, STMT_OPENDATA_EXPORT_VERSION, NULL, &r)) < 0)
		goto db_fail;
	version = store_get_int(r, 0, "version");
	for (size_t i = 0; i < ARRAY_SIZE(lives_files); i++) {
		FILE *f = NULL;
		if (snprintf(part[i], sizeof(part[i]), "%s/%s", dir, lives_files[i].name) <
		    (int)sizeof(part[i]))
			f = fopen(part[i], "we");
		if (!f) {
			snprintf(err, errsize, "cannot write %.200s: %s", part[i], strerror(errno));
			rc = -EIO;
			goto fail;
		}
		nparts++;
		struct csv_out o = { f, BUF_INIT };
		rc = store_copy_out(st, lives_files[i].stmt, write_row, &o);
		buf_release(&o.row);
		if (fclose(f) != 0 && rc == 0)
			rc = -EIO;
		if (rc == -EIO && !*store_error_message(st)) {
			snprintf(err, errsize, "cannot write %.200s", part[i]);
			goto fail;
		}
		if (rc < 0)
			goto db_fail;
	}
	store_commit(st); /* the snapshot was read only: this only ends it */

	int zerr = 0;
	z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	if (!z) {
		zip_error_t ze;
		zip_error_init_with_code(&ze, zerr);
		snprintf(err, errsize, "cannot create %s: %s", path, zip_error_strerror(&ze));
		zip_error_fini(&ze);
		rc = -EIO;
		goto fail;
	}
	for (size_t i = 0; i < ARRAY_SIZE(lives_files); i++) {
		zip_source_t *src = zip_source_file(z, part[i], 0, -1);
		zip_int64_t idx =
		        src ? zip_file_add(z, lives_files[i].name, src, ZIP_FL_ENC_UTF_8) : -1;
		if (idx < 0) {
			if (src)
				zip_source_free(src);
			snprintf(err, errsize, "cannot add %s: %s", lives_files[i].name,
			         zip_strerror(z));
			rc = -EIO;
			goto fail;
		}
		zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 6);
	}
	/* libzip writes a temporary file beside @path and renames it: readers never see half. */
	if (zip_close(z) < 0) {
		snprintf(err, errsize, "cannot write %s: %s", path, zip_strerror(z));
		rc = -EIO;
		goto fail;
	}
	z = NULL;
	*ret_version = version;
	rc = 0;
	goto out;
db_fail:
	snprintf(err, errsize, "%s", store_error_message(st));
fail:
	if (z)
		zip_discard(z);
out:
	for (size_t i = 0; i < nparts; i++)
		unlink(part[i]);
	rmdir(dir);
	arena_destroy(a); /* rolls the snapshot back if it is still open */
	return rc;
}

int rec_lives_version(struct rec *r, long long *ret_version)
{
	struct store_result *res;
	int rc = rec_exec(r, STMT_OPENDATA_EXPORT_VERSION, NULL, &res);
	if (rc < 0)
		return rc;
	*ret_version = store_get_int(res, 0, "version");
	return 0;
}

struct ndjson_out {
	FILE *f;
};

/* One line of the Placard feed (a whole line at a time, newline included), to the file. */
static int write_line(void *ctx, const char *data, size_t len)
{
	struct ndjson_out *o = ctx;
	return fwrite(data, 1, len, o->f) == len ? 0 : -EIO;
}

int rec_placard_export(struct store *st, const char *path, long long *ret_version, char *err,
                       size_t errsize)
{
	bool to_stdout = streq(path, "-");
	char tmp[PATH_MAX];
	FILE *f = stdout;
	int rc;
	*tmp = '\0';
	if (!to_stdout) {
		int fd = -1;
		if (snprintf(tmp, sizeof(tmp), "%s.part-XXXXXX", path) < (int)sizeof(tmp))
			fd = mkostemp(tmp, O_CLOEXEC);
		if (fd < 0 || !(f = fdopen(fd, "w"))) {
			snprintf(err, errsize, "cannot create a file beside %s: %s", path,
			         strerror(errno));
			if (fd >= 0) {
				close(fd);
				unlink(tmp);
			}
			return -EIO;
		}
		fchmod(fd, 0644);
	}
	struct arena *a = arena_new();
	struct store_result *r;
	if ((rc = store_begin_in(st, a)) < 0 ||
	    (rc = store_exec(st, a, STMT_OPENDATA_SNAPSHOT, NULL, NULL)) < 0 ||
	    (rc = store_exec(st, a, STMT_OPENDATA_EXPORT_VERSION, NULL, &r)) < 0) {
		snprintf(err, errsize, "%s", store_error_message(st));
		goto out;
	}
	long long version = store_get_int(r, 0, "version");
	struct ndjson_out o = { f };
	rc = store_copy_out(st, STMT_OPENDATA_EXPORT_PLACARD, write_line, &o);
	if (fflush(f) != 0 && rc == 0)
		rc = -EIO;
	if (rc == -EIO && !*store_error_message(st)) {
		snprintf(err, errsize, "cannot write %.200s: %s", to_stdout ? "the output" : path,
		         strerror(errno));
		goto out;
	}
	if (rc < 0) {
		snprintf(err, errsize, "%s", store_error_message(st));
		goto out;
	}
	store_commit(st); /* the snapshot was read only: this only ends it */
	if (!to_stdout) {
		rc = fclose(f);
		f = NULL;
		if (rc != 0 || rename(tmp, path) < 0) {
			snprintf(err, errsize, "cannot write %.200s: %s", path, strerror(errno));
			rc = -EIO;
			goto out;
		}
		*tmp = '\0';
	}
	*ret_version = version;
	rc = 0;
out:
	if (!to_stdout && f)
		fclose(f);
	if (*tmp)
		unlink(tmp);
	arena_destroy(a); /* rolls the snapshot back if it is still open */
	return rc;
}
