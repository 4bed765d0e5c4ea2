/*
 * tlog.h - the handlers of the log's Merkle tree: the signed checkpoint, the verifier key,
 * proofs and tiles (records/tlog.h does the work).
 */
#ifndef PLACARD_API_TLOG_H
#define PLACARD_API_TLOG_H

#include "http/http.h"
#include "records/tlog.h"

/* Sign checkpoints with @s from now on (kept by reference); NULL: no checkpoints (503). */
void api_tlog_set_signer(const struct rec_tlog_signer *s);

/* The signer set, or NULL. */
const struct rec_tlog_signer *api_tlog_signer(void);

int api_tlog_checkpoint(struct http_request *req, struct http_response *res);
int api_tlog_key(struct http_request *req, struct http_response *res);
int api_tlog_witnesses(struct http_request *req, struct http_response *res);
int api_tlog_inclusion(struct http_request *req, struct http_response *res);
int api_tlog_consistency(struct http_request *req, struct http_response *res);
int api_tlog_tile(struct http_request *req, struct http_response *res);

#endif
