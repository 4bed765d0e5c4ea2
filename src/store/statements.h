/*
 * statements.h - the names of every runtime SQL statement. The SQL text is in
 * statements.c, in one table, so that all the queries Placard runs can be read in one place.
 */
#ifndef PLACARD_STORE_STATEMENTS_H
#define PLACARD_STORE_STATEMENTS_H

#include <stdbool.h>

enum store_stmt { STMT_PING, STMT_SCHEMA_VERSION, STMT__COUNT };

struct store_statement {
	const char *name;
	const char *sql;
	int nparams;
	bool readonly; /* safe to retry once on a fresh connection */
};

extern const struct store_statement store_statements[STMT__COUNT];

#endif
