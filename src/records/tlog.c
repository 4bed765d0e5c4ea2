/*
 * tlog.c - the public log's Merkle tree: tiles, proofs and signed checkpoints. See tlog.h.
 */
#include "records/tlog.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/util.h"

int rec_tlog_signer_load(const char *path, const char *origin, struct rec_tlog_signer *ret,
                         char *err, size_t errsize)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errsize, "cannot open the log key %s: %s", path, strerror(errno));
		return -errno;
	}
	struct stat sb;
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		snprintf(err, errsize, "the log key %s is not a file", path);
		return -EINVAL;
	}
	if (sb.st_mode & (S_IRWXG | S_IRWXO)) {
		close(fd);
		snprintf(err, errsize,
		         "the log key %s may be read by others than its owner: chmod 600 it", path);
		return -EPERM;
	}
	char text[1024];
	ssize_t n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n < 0) {
		snprintf(err, errsize, "cannot read the log key %s: %s", path, strerror(errno));
		return -EIO;
	}
	text[n] = '\0';
	memset(ret, 0, sizeof(*ret));
	int rc = tlog_key_parse_skey(text, &ret->key);
	sodium_memzero(text, sizeof(text));
	if (rc < 0) {
		snprintf(err, errsize,
		         "%s is not a log key (PRIVATE+KEY+NAME+HASH+KEY, as placard log keygen "
		         "writes it)",
		         path);
		return rc;
	}
	if (!origin || !*origin)
		origin = ret->key.name;
	if (!tlog_origin_valid(origin)) {
		sodium_memzero(ret, sizeof(*ret));
		snprintf(err, errsize,
		         "the log origin must be one line of at most %d bytes, without control "
		         "characters",
		         TLOG_NAME_MAX - 1);
		return -EINVAL;
	}
	snprintf(ret->origin, sizeof(ret->origin), "%s", origin);
	struct buf v = BUF_INIT;
	tlog_key_vkey(&ret->key, &v);
	snprintf(ret->vkey, sizeof(ret->vkey), "%s", v.data);
	buf_release(&v);
	/* 12 bytes are 16 base64 characters exactly, and the terminating NUL. */
	sodium_bin2base64(ret->pin, sizeof(ret->pin), ret->key.pk, REC_TLOG_PIN_LEN / 4 * 3,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return 0;
}

int rec_tlog_signer_add_previous(struct rec_tlog_signer *s, const char *path, char *err,
                                 size_t errsize)
{
	struct rec_tlog_signer old;
	int rc = rec_tlog_signer_load(path, s->origin, &old, err, errsize);
	if (rc < 0)
		return rc;
	if (!streq(old.key.name, s->key.name)) {
		snprintf(err, errsize,
		         "the previous key %s is named %s, the key %s: a new key keeps the log's "
		         "name (placard log keygen --origin %s)",
		         path, old.key.name, s->key.name, old.key.name);
		rc = -EINVAL;
	} else if (old.key.hash == s->key.hash && !memcmp(old.key.pk, s->key.pk, 32)) {
		snprintf(err, errsize, "the previous key %s is the key itself", path);
		rc = -EINVAL;
	} else {
		s->previous = old.key;
		snprintf(s->previous_vkey, sizeof(s->previous_vkey), "%s", old.vkey);
		s->has_previous = true;
	}
	sodium_memzero(&old, sizeof(old));
	return rc;
}

int rec_tlog_size(struct rec *r, long long *ret)
{
	struct store_result *res;
	int rc = rec_exec(r, STMT_TLOG_SIZE, NULL, &res);
	if (rc < 0)
		return rc;
	*ret = store_get_int(res, 0, "size");
	return 0;
}

/* Tile (@level, @index) as stored: its hashes and how many, in r->a; 0 hashes if none. */
static int read_tile(struct rec *r, int level, long long index, struct tlog_hash **ret,
                     int *ret_width)
{
	struct store_result *res;
	const char *p[] = { rec_num(r, level), rec_num(r, index) };
	int rc = rec_exec(r, STMT_TLOG_TILE, p, &res);
	if (rc < 0)
		return rc;
	*ret_width = 0;
	if (store_nrows(res) == 0)
		return 0;
	const char *hex = store_get(res, 0, "hashes");
	size_t len = strlen(hex), n;
	struct tlog_hash *h = arena_alloc(r->a, len / 2 + 1);
	if (len % 64 || len / 64 > TLOG_TILE_WIDTH ||
	    sodium_hex2bin((unsigned char *)h, len / 2, hex, len, NULL, &n, NULL) != 0)
		return rec_refuse(r, 500, NULL, "records.tlog.tile_malformed", "level",
		                  I18N_INT(level), "index", I18N_INT(index), NULL);
	*ret = h;
	*ret_width = (int)(n / TLOG_HASH_LEN);
	return 0;
}

/* The tiles one proof or root reads, kept for the call. */
struct tile_cache {
	struct rec *r;
	struct {
		int level;
		long long index;
		int width;
		struct tlog_hash *h;
	} slot[32];
	int used, next;
};

static int cache_read(void *ctx, int tile_level, long long first, int count, struct tlog_hash *out)
{
	struct tile_cache *c = ctx;
	long long index = first / TLOG_TILE_WIDTH;
	int at = (int)(first % TLOG_TILE_WIDTH), i;
	for (i = 0; i < c->used; i++)
		if (c->slot[i].level == tile_level && c->slot[i].index == index)
			break;
	if (i == c->used) {
		i = c->used < 32 ? c->used++ : c->next++ % 32;
		c->slot[i].level = tile_level;
		c->slot[i].index = index;
		int rc = read_tile(c->r, tile_level, index, &c->slot[i].h, &c->slot[i].width);
		if (rc < 0) {
			c->slot[i].level = -1;
			return rc;
		}
	}
	if (c->slot[i].width < at + count)
		return rec_refuse(c->r, 500, NULL, "records.tlog.tile_hashes_missing", "level",
		                  I18N_INT(tile_level), "index", I18N_INT(index), NULL);
	memcpy(out, &c->slot[i].h[at], (size_t)count * sizeof(*out));
	return 0;
}

/* Refuse @v unless it is from @min to the tree's size. */
static int within(struct rec *r, const char *field, long long v, long long min)
{
	long long size;
	int rc = rec_tlog_size(r, &size);
	if (rc < 0)
		return rc;
	if (v < min || v > size)
		return rec_refuse(r, 400, field, "records.tlog.range", "field", field, "min",
		                  I18N_INT(min), "size", I18N_INT(size), NULL);
	return 0;
}

int rec_tlog_root(struct rec *r, long long size, struct tlog_hash *ret)
{
	int rc = within(r, "size", size, 0);
	if (rc < 0)
		return rc;
	struct tile_cache c = { .r = r };
	struct tlog_reader rd = { cache_read, &c };
	return tlog_tree_hash(&rd, size, ret);
}

int rec_tlog_tile(struct rec *r, int level, long long index, int width, const unsigned char **ret,
                  size_t *ret_len)
{
	if (level == TLOG_ENTRIES_LEVEL) {
		long long first = index * TLOG_TILE_WIDTH;
		struct store_result *res;
		const char *p[] = { rec_num(r, first), rec_num(r, first + width) };
		int rc = rec_exec(r, STMT_TLOG_ENTRIES, p, &res);
		if (rc < 0)
			return rc;
		const char *hex = store_get(res, 0, "hashes");
		size_t n = strlen(hex) / 64;
		if (n < (size_t)width)
			return rec_refuse(r, 404, NULL, "records.tlog.no_bundle", "index",
			                  I18N_INT(index), "width", I18N_INT(width), NULL);
		unsigned char *out = arena_alloc(r->a, n * 34 + 1);
		for (size_t i = 0; i < n; i++) {
			out[i * 34] = 0;
			out[i * 34 + 1] = TLOG_HASH_LEN;
			if (sodium_hex2bin(out + i * 34 + 2, TLOG_HASH_LEN, hex + i * 64, 64, NULL,
			                   NULL, NULL) != 0)
				return rec_refuse(r, 500, NULL, "records.tlog.entry_hash_malformed",
				                  "entry", I18N_INT(first + (long long)i + 1),
				                  NULL);
		}
		*ret = out;
		*ret_len = n * 34;
		return 0;
	}
	struct tlog_hash *h;
	int have;
	int rc = read_tile(r, level, index, &h, &have);
	if (rc < 0)
		return rc;
	if (have < width)
		return rec_refuse(r, 404, NULL, "records.tlog.no_tile", "level", I18N_INT(level),
		                  "index", I18N_INT(index), "width", I18N_INT(width), NULL);
	*ret = (const unsigned char *)h;
	*ret_len = (size_t)width * TLOG_HASH_LEN;
	return 0;
}

static void add_hash(struct buf *b, const char *key, const struct tlog_hash *h)
{
	char s[48];
	tlog_hash_base64(h, s);
	buf_addf(b, "\"%s\":\"%s\"", key, s);
}

static const char *proof_json(struct rec *r, struct buf *b, const struct tlog_hash *proof, int n)
{
	buf_addstr(b, ",\"proof\":[");
	for (int i = 0; i < n; i++) {
		char s[48];
		tlog_hash_base64(&proof[i], s);
		buf_addf(b, "%s\"%s\"", i ? "," : "", s);
	}
	buf_addstr(b, "]}");
	const char *json = arena_strndup(r->a, b->data, b->len);
	buf_release(b);
	return json;
}

int rec_tlog_inclusion(struct rec *r, long long index, long long size, const char **ret_json)
{
	int rc = within(r, "size", size, 1);
	if (rc < 0)
		return rc;
	if (index < 0 || index >= size)
		return rec_refuse(r, 400, "index", "records.tlog.index_range", "last",
		                  I18N_INT(size - 1), "size", I18N_INT(size), NULL);
	struct tile_cache c = { .r = r };
	struct tlog_reader rd = { cache_read, &c };
	struct tlog_hash proof[TLOG_PROOF_MAX], root;
	int n;
	if ((rc = tlog_tree_hash(&rd, size, &root)) < 0 ||
	    (rc = tlog_prove_inclusion(&rd, index, size, proof, &n)) < 0)
		return rc;
	struct buf b = BUF_INIT;
	buf_addf(&b, "{\"index\":%lld,\"size\":%lld,", index, size);
	add_hash(&b, "root_hash", &root);
	*ret_json = proof_json(r, &b, proof, n);
	return 0;
}

int rec_tlog_consistency(struct rec *r, long long old, long long size, const char **ret_json)
{
	int rc = within(r, "size", size, 1);
	if (rc < 0)
		return rc;
	if (old < 1 || old > size)
		return rec_refuse(r, 400, "old", "records.tlog.old_range", "size", I18N_INT(size),
		                  NULL);
	struct tile_cache c = { .r = r };
	struct tlog_reader rd = { cache_read, &c };
	struct tlog_hash proof[TLOG_PROOF_MAX], root, old_root;
	int n;
	if ((rc = tlog_tree_hash(&rd, size, &root)) < 0 ||
	    (rc = tlog_tree_hash(&rd, old, &old_root)) < 0 ||
	    (rc = tlog_prove_consistency(&rd, old, size, proof, &n)) < 0)
		return rc;
	struct buf b = BUF_INIT;
	buf_addf(&b, "{\"old\":%lld,\"size\":%lld,", old, size);
	add_hash(&b, "old_root_hash", &old_root);
	buf_addch(&b, ',');
	add_hash(&b, "root_hash", &root);
	*ret_json = proof_json(r, &b, proof, n);
	return 0;
}

/* The last checkpoint signed, reused while the tree has not grown. */
static pthread_mutex_t signed_lock = PTHREAD_MUTEX_INITIALIZER;
static const struct rec_tlog_signer *signed_by;
static long long signed_size = -1;
static char *signed_note;

int rec_tlog_checkpoint(struct rec *r, const struct rec_tlog_signer *s, const char **ret_note,
                        long long *ret_size, bool *ret_kept)
{
	long long size;
	int rc = rec_tlog_size(r, &size);
	if (rc < 0)
		return rc;
	pthread_mutex_lock(&signed_lock);
	bool reuse = signed_by == s && signed_size == size;
	if (reuse)
		*ret_note = arena_strdup(r->a, signed_note);
	pthread_mutex_unlock(&signed_lock);
	*ret_size = size;
	*ret_kept = reuse;
	if (reuse)
		return 0;
	struct tile_cache c = { .r = r };
	struct tlog_reader rd = { cache_read, &c };
	struct tlog_hash root;
	if ((rc = tlog_tree_hash(&rd, size, &root)) < 0)
		return rc;
	struct buf body = BUF_INIT, note = BUF_INIT;
	tlog_checkpoint_body(s->origin, size, &root, &body);
	tlog_note_sign(&s->key, body.data, body.len, &note);
	if (s->has_previous)
		tlog_note_add_signature(&s->previous, body.data, body.len, &note);
	buf_release(&body);
	*ret_note = arena_strndup(r->a, note.data, note.len);
	buf_release(&note);
	return 0;
}

int rec_tlog_checkpoint_keep(struct rec *r, const struct rec_tlog_signer *s, long long size,
                             const char *note)
{
	const char *p[] = { rec_num(r, size), s->vkey, note };
	int rc = rec_exec(r, STMT_TLOG_CHECKPOINT_PUT, p, NULL);
	if (rc < 0)
		return rc;
	pthread_mutex_lock(&signed_lock);
	if (size > signed_size || signed_by != s) {
		free(signed_note);
		signed_note = xstrdup(note);
		signed_size = size;
		signed_by = s;
	}
	pthread_mutex_unlock(&signed_lock);
	return 0;
}

/* The witnesses and the newest cosignature each gave. */
static const struct rec_tlog_witness *witnesses;
static int nwitnesses;
static pthread_mutex_t cosig_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	char *body, *line;
} cosigs[REC_TLOG_WITNESSES_MAX];

int rec_tlog_witnesses_parse(const char *text, struct rec_tlog_witness *ret, int *ret_n, char *err,
                             size_t errsize)
{
	int n = 0;
	const char *p = text;
	while (*p) {
		size_t len = strcspn(p, ";\n");
		char entry[1024], vkey[TLOG_VKEY_MAX], url[512];
		if (len >= sizeof(entry)) {
			snprintf(err, errsize, "a PLACARD_WITNESSES entry is too long");
			return -EINVAL;
		}
		memcpy(entry, p, len);
		entry[len] = '\0';
		p += len + (p[len] ? 1 : 0);
		char extra[2];
		int k = sscanf(entry, " %319s %511s %1s", vkey, url, extra);
		if (k <= 0)
			continue;
		unsigned char pk[32];
		uint32_t hash;
		if (n == REC_TLOG_WITNESSES_MAX) {
			snprintf(err, errsize, "PLACARD_WITNESSES names more than %d witnesses",
			         REC_TLOG_WITNESSES_MAX);
			return -EINVAL;
		}
		if (k != 2 || tlog_cosig_parse_vkey(vkey, ret[n].name, pk, &hash) < 0 ||
		    (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)) {
			snprintf(err, errsize,
			         "PLACARD_WITNESSES: \"%.200s\" is not a witness's cosignature key "
			         "(NAME+HASH+KEY, key type 4) and an http(s) URL",
			         entry);
			return -EINVAL;
		}
		snprintf(ret[n].vkey, sizeof(ret[n].vkey), "%s", vkey);
		snprintf(ret[n].url, sizeof(ret[n].url), "%s", url);
		n++;
	}
	*ret_n = n;
	return 0;
}

void rec_tlog_witnesses_set(const struct rec_tlog_witness *list, int n)
{
	witnesses = list;
	nwitnesses = n;
}

void rec_tlog_cosignature_put(int i, const char *body, const char *line)
{
	if (i < 0 || i >= REC_TLOG_WITNESSES_MAX)
		return;
	pthread_mutex_lock(&cosig_lock);
	free(cosigs[i].body);
	free(cosigs[i].line);
	cosigs[i].body = xstrdup(body);
	cosigs[i].line = xstrdup(line);
	pthread_mutex_unlock(&cosig_lock);
}

const char *rec_tlog_cosigned(struct rec *r, const char *note, int *ret_n)
{
	const char *blank = strstr(note, "\n\n");
	size_t blen = blank ? (size_t)(blank - note) + 1 : 0;
	struct buf b = BUF_INIT;
	buf_addstr(&b, note);
	int n = 0;
	pthread_mutex_lock(&cosig_lock);
	for (int i = 0; i < nwitnesses; i++) {
		if (blen && cosigs[i].body && strlen(cosigs[i].body) == blen &&
		    memcmp(cosigs[i].body, note, blen) == 0) {
			buf_addstr(&b, cosigs[i].line);
			n++;
		}
	}
	pthread_mutex_unlock(&cosig_lock);
	const char *out = arena_strndup(r->a, b.data, b.len);
	buf_release(&b);
	*ret_n = n;
	return out;
}

const char *rec_tlog_witnesses_json(struct rec *r, bool signs)
{
	struct buf b = BUF_INIT;
	buf_addf(&b, "{\"signed\":%s,\"witnesses\":[", signs ? "true" : "false");
	for (int i = 0; i < nwitnesses; i++) {
		buf_addstr(&b, i ? ",{\"name\":\"" : "{\"name\":\"");
		buf_add_json_escaped(&b, witnesses[i].name);
		buf_addstr(&b, "\",\"vkey\":\"");
		buf_add_json_escaped(&b, witnesses[i].vkey);
		buf_addstr(&b, "\"}");
	}
	buf_addstr(&b, "]}");
	const char *out = arena_strndup(r->a, b.data, b.len);
	buf_release(&b);
	return out;
}
