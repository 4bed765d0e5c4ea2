/*
 * sealer.h - the event log's sealer: one background thread that, every few milliseconds,
 * moves pending events into the hash-chained log (event_seal() in SQL). Writers never wait
 * for the chain; an event is sealed within about one interval of its commit. The same thread
 * removes idempotency keys older than 30 days, at start and then hourly.
 */
#ifndef PLACARD_STORE_SEALER_H
#define PLACARD_STORE_SEALER_H

struct store_sealer;

/* Start sealing the database at @url every @interval_ms. Never fails: a database that is
 * away is retried on the next tick. */
struct store_sealer *store_sealer_start(const char *url, unsigned interval_ms);

/* Seal what is pending once more, stop the thread, free @s. NULL is a no-op. */
void store_sealer_stop(struct store_sealer *s);

/* Seal everything pending now on @st's connection; the number sealed or a negative errno. */
struct store;
int store_seal_all(struct store *st);

#endif
