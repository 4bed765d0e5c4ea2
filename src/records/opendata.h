/*
 * opendata.h - the open-data feeds: LIVES (placard export lives, GET /open-data/lives.zip)
 * and Placard's own (placard export placard, GET /api/v1/opendata/inspections.ndjson).
 */
#ifndef PLACARD_RECORDS_OPENDATA_H
#define PLACARD_RECORDS_OPENDATA_H

#include <stddef.h>

#include "records/records.h"
#include "store/store.h"

/*
 * Write the LIVES feed (a ZIP of the five CSV files, from one snapshot) to @path, replacing
 * it atomically. *@ret_version is the data version it shows (the public log's event count).
 * 0, a store error, or -EIO with a message in @err.
 */
int rec_lives_export(struct store *st, const char *path, long long *ret_version, char *err,
                     size_t errsize);

/*
 * The data version the feed would show now (the public log's event count, sealed or not:
 * every change appends one in its transaction). 0 or a refusal.
 */
int rec_lives_version(struct rec *r, long long *ret_version);

/*
 * Write the Placard feed (docs/opendata.md: a header line, then one line per published
 * inspection, from one snapshot) to @path, replacing it atomically, or to standard output
 * when @path is "-". Streamed: PostgreSQL's lines go to the file as they arrive.
 * *@ret_version is the data version it shows. 0, a store error, or -EIO with a message in
 * @err.
 */
int rec_placard_export(struct store *st, const char *path, long long *ret_version, char *err,
                       size_t errsize);

#endif
