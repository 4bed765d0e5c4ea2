/*
 * scheme_doc.h - a scoring scheme written as a JSON document (docs/schemes.md,
 * schemes/scheme.schema.json), decoded into the scheme the grading engine applies and checked
 * by every rule of domain/scheme.c before anything uses it.
 */
#ifndef PLACARD_RECORDS_SCHEME_DOC_H
#define PLACARD_RECORDS_SCHEME_DOC_H

#include <stddef.h>

#include "core/arena.h"
#include "domain/grade.h"
#include "json/json.h"

/* The format version this code reads ("format" in a document; absent means 1). */
#define SCHEME_DOC_FORMAT 1

/*
 * Decode the scheme document @doc (a JSON object) into a scheme allocated in @a, whose
 * strings point into @doc (which must live as long as @a), and check it (scheme_check()).
 * A document without "version" is version 1. Returns 0 with *@ret set, or -EINVAL with @err
 * naming the field at fault as a JSON pointer and saying why.
 */
int scheme_doc_decode(struct arena *a, json_t *doc, struct grade_scheme **ret,
                      struct json_error *err);

/* The same from JSON text of @len bytes, decoded strictly (json_decode()). */
int scheme_doc_parse(struct arena *a, const char *text, size_t len, struct grade_scheme **ret,
                     struct json_error *err);

#endif
