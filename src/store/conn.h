/*
 * conn.h - opening a libpq connection the one way Placard does. Only for src/store/.
 *
 * Every connection asks for client_encoding UTF8 and is checked, from the parameters the
 * server reports at connection start, to be UTF8 at both ends: Placard stores and searches
 * text in any script, which a SQL_ASCII database would keep as unchecked bytes.
 */
#ifndef PLACARD_STORE_CONN_H
#define PLACARD_STORE_CONN_H

#include <libpq-fe.h>
#include <stddef.h>

/* Start a connection to @url (a libpq URL or keyword string); check it with PQstatus. */
PGconn *store_pq_connect(const char *url);

/*
 * 0 when the connected @c has server and client encoding UTF8; otherwise -EILSEQ with a
 * message in @err that says how to create a UTF8 database.
 */
int store_pq_check_encoding(PGconn *c, char *err, size_t errsize);

#endif
