/*
 * fuzz_nameindex.c - libFuzzer harness for the in-memory name index: names and typed words
 * of any bytes (invalid UTF-8 included), put, renamed and removed, then searched. Checks
 * what must always hold: similarity in [0, 1] and symmetric, the edit distance symmetric
 * and within its bound, matches ranked, none twice.
 * Input: lines; a line "-N" removes establishment N mod 16, any other line is a name for
 * establishment (line number mod 16) with its words split on spaces; the last line is the
 * query.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/nameindex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_LINES 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	char *lines[MAX_LINES];
	size_t n = 0;
	for (char *p = text; n < MAX_LINES;) {
		lines[n++] = p;
		p = strchr(p, '\n');
		if (!p)
			break;
		*p++ = '\0';
	}
	struct name_index *ix = name_index_new();
	for (size_t i = 0; i + 1 < n; i++) {
		if (lines[i][0] == '-')
			name_index_remove(ix, atoi(lines[i] + 1) % 16);
		else
			name_index_put(ix, (long long)(i % 16), lines[i], lines[i]);
	}
	const char *q = lines[n - 1];

	/* The query's words, sorted and distinct, as the database would give them. */
	char *copy = strdup(q), *save;
	const char *words[16];
	size_t nw = 0;
	for (char *w = strtok_r(copy, " ", &save); w && nw < 16; w = strtok_r(NULL, " ", &save)) {
		bool seen = false;
		for (size_t k = 0; k < nw && !seen; k++)
			seen = strcmp(words[k], w) == 0;
		if (!seen)
			words[nw++] = w;
	}
	for (size_t i = 1; i < nw; i++)
		for (size_t j = i; j > 0 && strcmp(words[j - 1], words[j]) > 0; j--) {
			const char *t = words[j];
			words[j] = words[j - 1];
			words[j - 1] = t;
		}

	for (size_t i = 0; i + 1 < n; i++) {
		float s = name_similarity(lines[i], q);
		if (!(s >= 0.0f && s <= 1.0f) || s != name_similarity(q, lines[i]))
			abort();
		int d = name_levenshtein(lines[i], q, 2);
		if (d < 0 || d > 3 || d != name_levenshtein(q, lines[i], 2))
			abort();
	}

	struct name_query nq;
	name_index_correct(ix, words, nw, &nq);
	if (nq.nwords > NAME_QUERY_WORDS)
		abort();
	struct name_match *m;
	size_t nm = name_index_match(ix, &nq, q, &m);
	if (nm > name_index_size(ix))
		abort();
	for (size_t i = 0; i < nm; i++) {
		if (m[i].id < 0 || m[i].id >= 16 || !(m[i].similarity >= 0.0f))
			abort();
		for (size_t j = i + 1; j < nm; j++)
			if (m[i].id == m[j].id)
				abort();
		if (i && (m[i - 1].similarity < m[i].similarity ||
		          (m[i - 1].similarity == m[i].similarity && m[i - 1].id >= m[i].id)))
			abort();
	}
	free(m);
	free(copy);
	name_index_free(ix);
	free(text);
	return 0;
}
