/*
 * statements.c - every SQL statement Placard runs at request time, by name.
 *
 * Read paths let PostgreSQL build the JSON (json_build_object, json_agg): one round trip,
 * no row-by-row work in C. Parameters are always $n; nothing here is ever formatted.
 */
#include "store/statements.h"

const struct store_statement store_statements[STMT__COUNT] = {
	[STMT_PING] = { "ping", "SELECT 1", 0, true },
	[STMT_SCHEMA_VERSION] = { "schema_version",
	                          "SELECT coalesce(max(version), 0) FROM schema_migrations", 0,
	                          true },
};
