/*
 * migrate.c - apply sql/NNNN_name.sql files in order, recording checksums, then the changed
 * files of sql/functions. See migrate.h.
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

/* A function file: "name.sql", the name of letters, digits and underscores. */
static bool function_file_name(const char *file)
{
	size_t len = strlen(file);
	if (len <= 4 || !str_has_suffix(file, ".sql"))
		return false;
	for (size_t i = 0; i < len - 4; i++)
		if (!(file[i] == '_' || (file[i] >= '0' && file[i] <= '9') ||
		      (file[i] >= 'a' && file[i] <= 'z') || (file[i] >= 'A' && file[i] <= 'Z')))
			return false;
	return true;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct migration *)a)->name, ((const struct migration *)b)->name);
}

/*
 * Read the migrations (@functions false: NNNN_name.sql, sorted by version) or the function
 * files (@functions true: name.sql, sorted by name) of @dir.
 */
static int load_dir(const char *dir, bool functions, struct migration **ret, size_t *ret_n,
                    char *err, size_t errsize)
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
		int version = 0;
		if (functions ? !function_file_name(de->d_name)
		              : !migration_name(de->d_name, &version))
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
	qsort(m, n, sizeof(*m), functions ? cmp_name : cmp_migration);
	for (size_t i = 1; rc == 0 && !functions && i < n; i++) {
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

static void free_files(struct migration *m, size_t n)
{
	for (size_t j = 0; j < n; j++)
		free(m[j].sql);
	free(m);
}

/* Run every file of @f[0..@n) not marked skipped (version < 0), prefixing errors with its path. */
static int exec_files(PGconn *c, const char *dir, const struct migration *f, size_t n, char *err,
                      size_t errsize)
{
	for (size_t j = 0; j < n; j++) {
		if (f[j].version < 0)
			continue;
		if (exec_ok(c, f[j].sql, err, errsize) < 0) {
			char inner[1024];
			snprintf(inner, sizeof(inner), "%s", err);
			snprintf(err, errsize, "%s/%s: %s", dir, f[j].name, inner);
			return -EIO;
		}
	}
	return 0;
}

/*
 * Apply the files of @dir/functions whose SHA-256 is not the one recorded in
 * schema_functions, all in one transaction, and record them. The files are a set, not a
 * sequence: each is run first with function bodies unchecked, so that one may use a function
 * another file defines whatever their names, then again with bodies checked, so that a
 * mistake is found here and not by the first caller. Records of files no longer there are
 * removed.
 */
static int apply_functions(PGconn *c, const char *dir, int *ret_applied, char *err, size_t errsize)
{
	char fdir[4096];
	snprintf(fdir, sizeof(fdir), "%s/functions", dir);
	struct migration *f = NULL;
	size_t n = 0;
	int rc = load_dir(fdir, true, &f, &n, err, errsize);
	if (rc < 0)
		return rc;

	PGresult *recorded = PQexec(c, "SELECT name, checksum FROM schema_functions");
	if (PQresultStatus(recorded) != PGRES_TUPLES_OK) {
		snprintf(err, errsize, "%s", PQresultErrorMessage(recorded));
		PQclear(recorded);
		free_files(f, n);
		return -EIO;
	}
	int pending = 0;
	for (size_t j = 0; j < n; j++) {
		for (int i = 0; i < PQntuples(recorded); i++)
			if (streq(PQgetvalue(recorded, i, 0), f[j].name) &&
			    streq(PQgetvalue(recorded, i, 1), f[j].checksum))
				f[j].version = -1; /* applied as it is */
		pending += f[j].version >= 0;
	}
	PQclear(recorded);

	if (pending > 0 && (rc = exec_ok(c, "BEGIN", err, errsize)) == 0) {
		if ((rc = exec_ok(c, "SET LOCAL check_function_bodies = off", err, errsize)) < 0 ||
		    (rc = exec_files(c, fdir, f, n, err, errsize)) < 0 ||
		    (rc = exec_ok(c, "SET LOCAL check_function_bodies = on", err, errsize)) < 0 ||
		    (rc = exec_files(c, fdir, f, n, err, errsize)) < 0)
			goto rollback;
		for (size_t j = 0; j < n; j++) {
			if (f[j].version < 0)
				continue;
			const char *params[] = { f[j].name, f[j].checksum };
			PGresult *r = PQexecParams(
			        c,
			        "INSERT INTO schema_functions (name, checksum) VALUES ($1, $2)"
			        " ON CONFLICT (name) DO UPDATE SET checksum = excluded.checksum,"
			        " applied_at = now()",
			        2, NULL, params, NULL, NULL, 0);
			bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
			PQclear(r);
			if (!ok) {
				snprintf(err, errsize, "cannot record %s: %s", f[j].name,
				         PQerrorMessage(c));
				rc = -EIO;
				goto rollback;
			}
		}
	}
	if (rc == 0 && pending == 0)
		rc = exec_ok(c, "BEGIN", err, errsize);
	if (rc == 0) {
		/* Forget the files that are gone: a function is dropped by a migration. */
		struct buf names = BUF_INIT;
		buf_addf(&names, "{");
		for (size_t j = 0; j < n; j++)
			buf_addf(&names, "%s\"%s\"", j ? "," : "", f[j].name);
		buf_addf(&names, "}");
		const char *params[] = { names.data };
		PGresult *r = PQexecParams(c, "DELETE FROM schema_functions WHERE name <> ALL ($1)",
		                           1, NULL, params, NULL, NULL, 0);
		bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
		PQclear(r);
		buf_release(&names);
		if (!ok) {
			snprintf(err, errsize, "cannot forget removed function files: %s",
			         PQerrorMessage(c));
			rc = -EIO;
			goto rollback;
		}
		rc = exec_ok(c, "COMMIT", err, errsize);
	}
	if (rc < 0)
		goto rollback;
	*ret_applied = pending;
	free_files(f, n);
	return 0;
rollback:
	PQclear(PQexec(c, "ROLLBACK"));
	free_files(f, n);
	return rc < 0 ? rc : -EIO;
}

int migrate_run(const char *url, const char *dir, int *ret_applied, int *ret_functions, char *err,
                size_t errsize)
{
	struct migration *m = NULL;
	size_t n = 0;
	int rc = load_dir(dir, false, &m, &n, err, errsize);
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
	if ((rc = apply_functions(c, dir, ret_functions, err, errsize)) < 0)
		goto out;
	rc = 0;
out:
	PQclear(recorded);
	PQfinish(c);
	free_files(m, n);
	return rc;
}
