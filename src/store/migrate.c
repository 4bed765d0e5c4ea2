/*
 * migrate.c - apply sql/NNNN_name.sql files in order, recording checksums. See migrate.h.
 */
#include "store/migrate.h"

#include <dirent.h>
#include <errno.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/crypto.h"
#include "core/log.h"
#include "core/util.h"
#include "store/conn.h"

#define MAX_MIGRATIONS 1000

struct migration {
	int version;
	char name[256];
	char checksum[SHA256_HEX_LEN + 1];
	char *sql;
};

static int cmp_migration(const void *a, const void *b)
{
	return ((const struct migration *)a)->version - ((const struct migration *)b)->version;
}

static int read_file(const char *path, struct buf *out)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -errno;
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(out, chunk, n);
	int rc = ferror(f) ? -EIO : 0;
	fclose(f);
	return rc;
}

/* Parse "0001_name.sql" into its version; false if the name is not a migration. */
static bool migration_name(const char *file, int *ret_version)
{
	if (strlen(file) < 10 || !str_has_suffix(file, ".sql") || file[4] != '_')
		return false;
	int v = 0;
	for (int i = 0; i < 4; i++) {
		if (file[i] < '0' || file[i] > '9')
			return false;
		v = v * 10 + (file[i] - '0');
	}
	*ret_version = v;
	return v > 0;
}

static int load_dir(const char *dir, struct migration **ret, size_t *ret_n, char *err,
                    size_t errsize)
{
	DIR *d = opendir(dir);
	if (!d) {
		snprintf(err, errsize, "cannot open %s: %s", dir, strerror(errno));
		return -ENOENT;
	}
	struct migration *m = xcalloc(MAX_MIGRATIONS, sizeof(*m));
	size_t n = 0;
	int rc = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		int version;
		if (!migration_name(de->d_name, &version))
			continue;
		if (n == MAX_MIGRATIONS) {
			snprintf(err, errsize, "more than %d migrations", MAX_MIGRATIONS);
			rc = -E2BIG;
			break;
		}
		struct buf content = BUF_INIT;
		char *path = NULL;
		if (asprintf(&path, "%s/%s", dir, de->d_name) < 0)
			die("out of memory");
		rc = read_file(path, &content);
		free(path);
		if (rc < 0) {
			snprintf(err, errsize, "cannot read %s/%s: %s", dir, de->d_name,
			         strerror(-rc));
			buf_release(&content);
			break;
		}
		sha256_hex(content.data, content.len, m[n].checksum);
		m[n].version = version;
		snprintf(m[n].name, sizeof(m[n].name), "%s", de->d_name);
		m[n].sql = buf_detach(&content, NULL);
		n++;
	}
	closedir(d);
	qsort(m, n, sizeof(*m), cmp_migration);
	for (size_t i = 1; rc == 0 && i < n; i++) {
		if (m[i].version == m[i - 1].version) {
			snprintf(err, errsize, "%s and %s have the same version", m[i - 1].name,
			         m[i].name);
			rc = -EINVAL;
		}
	}
	if (rc < 0) {
		for (size_t i = 0; i < n; i++)
			free(m[i].sql);
		free(m);
		return rc;
	}
	*ret = m;
	*ret_n = n;
	return 0;
}

static int exec_ok(PGconn *c, const char *sql, char *err, size_t errsize)
{
	PGresult *r = PQexec(c, sql);
	ExecStatusType st = PQresultStatus(r);
	int rc = 0;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		snprintf(err, errsize, "%s", PQresultErrorMessage(r));
		size_t n = strlen(err);
		while (n && err[n - 1] == '\n')
			err[--n] = '\0';
		rc = -EIO;
	}
	PQclear(r);
	return rc;
}

static const char create_table[] = "SET client_min_messages = warning;"
                                   "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                   " version integer PRIMARY KEY,"
                                   " name text NOT NULL,"
                                   " checksum text NOT NULL,"
                                   " applied_at timestamptz NOT NULL DEFAULT now())";

int migrate_run(const char *url, const char *dir, int *ret_applied, char *err, size_t errsize)
{
	struct migration *m = NULL;
	size_t n = 0;
	int rc = load_dir(dir, &m, &n, err, errsize);
	if (rc < 0)
		return rc;

	int applied = 0;
	PGresult *recorded = NULL;
	PGconn *c = store_pq_connect(url);
	if (PQstatus(c) != CONNECTION_OK) {
		snprintf(err, errsize, "cannot connect to the database: %s", PQerrorMessage(c));
		rc = -ECONNREFUSED;
		goto out;
	}
	if ((rc = store_pq_check_encoding(c, err, errsize)) < 0)
		goto out;
	/* One migrator at a time, even when several servers start together. */
	if ((rc = exec_ok(c, "SELECT pg_advisory_lock(7261001)", err, errsize)) < 0 ||
	    (rc = exec_ok(c, create_table, err, errsize)) < 0)
		goto out;
	recorded = PQexec(c, "SELECT version, name, checksum FROM schema_migrations ORDER BY 1");
	if (PQresultStatus(recorded) != PGRES_TUPLES_OK) {
		snprintf(err, errsize, "%s", PQresultErrorMessage(recorded));
		rc = -EIO;
		goto out;
	}
	int nrec = PQntuples(recorded);
	for (int i = 0; i < nrec; i++) {
		int version = atoi(PQgetvalue(recorded, i, 0));
		const char *name = PQgetvalue(recorded, i, 1);
		const char *sum = PQgetvalue(recorded, i, 2);
		struct migration *found = NULL;
		for (size_t j = 0; j < n && !found; j++)
			if (m[j].version == version)
				found = &m[j];
		if (!found) {
			snprintf(err, errsize,
			         "migration %s was applied but is no longer in %s; migrations are "
			         "forward-only",
			         name, dir);
			rc = -EINVAL;
			goto out;
		}
		if (!streq(found->checksum, sum) || !streq(found->name, name)) {
			snprintf(err, errsize,
			         "%s/%s was changed after it was applied (applied as %s with "
			         "sha256 %.12s..., now %.12s...); add a new migration instead",
			         dir, found->name, name, sum, found->checksum);
			rc = -EINVAL;
			goto out;
		}
		found->version = -found->version; /* mark as applied */
	}
	for (size_t j = 0; j < n; j++) {
		if (m[j].version < 0)
			continue;
		char version[16];
		snprintf(version, sizeof(version), "%d", m[j].version);
		const char *params[] = { version, m[j].name, m[j].checksum };
		if ((rc = exec_ok(c, "BEGIN", err, errsize)) < 0)
			goto out;
		if (exec_ok(c, m[j].sql, err, errsize) < 0) {
			char inner[1024];
			snprintf(inner, sizeof(inner), "%s", err);
			snprintf(err, errsize, "%s/%s: %s", dir, m[j].name, inner);
			rc = -EIO;
			PQclear(PQexec(c, "ROLLBACK"));
			goto out;
		}
		PGresult *r = PQexecParams(c,
		                           "INSERT INTO schema_migrations (version, name, checksum)"
		                           " VALUES ($1, $2, $3)",
		                           3, NULL, params, NULL, NULL, 0);
		bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
		PQclear(r);
		if (!ok || (rc = exec_ok(c, "COMMIT", err, errsize)) < 0) {
			if (!ok)
				snprintf(err, errsize, "cannot record %s: %s", m[j].name,
				         PQerrorMessage(c));
			PQclear(PQexec(c, "ROLLBACK"));
			rc = -EIO;
			goto out;
		}
		applied++;
	}
	*ret_applied = applied;
	rc = 0;
out:
	PQclear(recorded);
	PQfinish(c);
	for (size_t j = 0; j < n; j++)
		free(m[j].sql);
	free(m);
	return rc;
}
