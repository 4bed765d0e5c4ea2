/*
 * witnesses.h - placard serve's witness client: asks each configured witness to cosign the
 * log's checkpoints, in a thread of its own (witnesses.c).
 */
#ifndef PLACARD_CLI_WITNESSES_H
#define PLACARD_CLI_WITNESSES_H

#include "records/tlog.h"

/* Start asking the @n witnesses of @list (kept by reference) to cosign checkpoints signed by
 * @signer, reading the tree from @db_url. 0 (also when @n is 0) or a negative errno. */
int witnesses_start(const char *db_url, const struct rec_tlog_signer *signer,
                    const struct rec_tlog_witness *list, int n);
void witnesses_stop(void);

#endif
