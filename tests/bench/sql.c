/*
 * sql.c - print one of the server's SQL statements (src/store/statements.c) for a pgbench
 * script, so that pgbench runs exactly the SQL placard runs, by construction.
 *
 *   bench-sql NAME            the statement's text as it is, with $1, $2, ...
 *   bench-sql NAME ARG...     the text with each $n replaced by (ARGn): a pgbench variable
 *                             (:id), a literal ('initial') or any SQL expression
 *   bench-sql --list          the names of all statements
 *
 * A ':' followed by a name inside a string literal is refused: pgbench would substitute it.
 * With arguments, their number must equal the statement's parameter count: when a
 * colleague changes a statement, the benchmark stops instead of measuring other SQL.
 * The text is printed on one line. tests/bench/run compiles this together with
 * src/store/statements.c (nothing else is needed) into build-bench/bench-sql.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/statements.h"

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench-sql NAME [ARG...] | --list\n");
		return 2;
	}
	if (strcmp(argv[1], "--list") == 0) {
		for (int i = 0; i < STMT__COUNT; i++)
			if (store_statements[i].name)
				printf("%s %d\n", store_statements[i].name,
				       store_statements[i].nparams);
		return 0;
	}
	const struct store_statement *s = NULL;
	for (int i = 0; i < STMT__COUNT; i++)
		if (store_statements[i].name && strcmp(store_statements[i].name, argv[1]) == 0)
			s = &store_statements[i];
	if (!s) {
		fprintf(stderr, "bench-sql: no statement named \"%s\" in src/store/statements.c\n",
		        argv[1]);
		return 1;
	}
	int nargs = argc - 2;
	if (nargs > 0 && nargs != s->nparams) {
		fprintf(stderr,
		        "bench-sql: %s takes %d parameters now, the benchmark passes %d: update "
		        "tests/bench/run\n",
		        s->name, s->nparams, nargs);
		return 1;
	}
	bool quoted = false;
	for (const char *p = s->sql; *p; p++) {
		if (*p == '\'')
			quoted = !quoted; /* '' inside a literal toggles twice */
		if (quoted && *p == ':' && (isalnum((unsigned char)p[1]) || p[1] == '_')) {
			/* pgbench would take it for a variable, even inside a string literal. */
			fprintf(stderr,
			        "bench-sql: %s has \":%c\" in a string literal: pgbench cannot "
			        "run it as it is\n",
			        s->name, p[1]);
			return 1;
		}
		if (!quoted && nargs > 0 && *p == '$' && p[1] >= '1' && p[1] <= '9') {
			char *end;
			long n = strtol(p + 1, &end, 10);
			if (n < 1 || n > nargs) {
				fprintf(stderr, "bench-sql: %s uses $%ld\n", s->name, n);
				return 1;
			}
			printf("(%s)", argv[1 + n]);
			p = end - 1;
		} else {
			putchar(*p == '\n' || *p == '\t' ? ' ' : *p);
		}
	}
	putchar('\n');
	return ferror(stdout) ? 1 : 0;
}
