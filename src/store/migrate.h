/*
 * migrate.h - forward-only schema migrations.
 *
 * Files sql/NNNN_name.sql are applied in order of NNNN, each in its own transaction, and
 * recorded with their SHA-256 in schema_migrations. Re-running applies nothing new. A file
 * whose content changed after it was applied, or an applied version whose file is gone, is
 * refused: the fix is a new migration, never an edit.
 */
#ifndef PLACARD_STORE_MIGRATE_H
#define PLACARD_STORE_MIGRATE_H

#include <stddef.h>

/*
 * Apply the pending migrations in @dir, then the changed function files in @dir/functions,
 * to the database at @url. Returns 0 with the number of migrations applied in *@ret_applied
 * and of function files in *@ret_functions, or a negative errno with a message in @err.
 */
int migrate_run(const char *url, const char *dir, int *ret_applied, int *ret_functions, char *err,
                size_t errsize);

#endif
