/*
 * i18n.h - the languages people read Placard in.
 *
 * Every sentence a person reads is a message in a catalogue: ICU MessageFormat in JSON, one
 * flat object of key -> message per language and domain, web/i18n/<language>/<domain>.json,
 * the same files the browser reads (docs/i18n.md). The server reads the domains it writes
 * sentences from: "api" (the HTTP, JSON and handler layers), "records" (refusals of the
 * records layer), "grade" (the rule a grade was issued under) and "wording" (the scheme
 * documents' texts, keyed by their English text). web/i18n/languages.json lists the
 * languages; a new language is a directory of catalogue files, not a code change.
 *
 * A message is named by its key and formatted with named arguments given as text, in pairs
 * ended by NULL:
 *
 *	i18n_format(buf, sizeof(buf), "zh-CN", "limit.range", "name", "limit", "max", "100", NULL);
 *
 * Messages use the ICU MessageFormat subset {name}, {name, number}, {name, number, integer},
 * {name, plural, =0 {...} one {...} other {...}} (with #) and {name, select, a {...} other
 * {...}}, with ICU's apostrophe quoting. Arguments used as numbers or plurals are decimal text.
 * Plural categories and number formats come from ICU (CLDR data), so a language brings only
 * its catalogue. A key missing in a language falls back to English; a key missing in English
 * formats as the key itself (script/test finds both).
 *
 * The language of the work a thread is doing is thread-local, as gettext reads the thread's
 * locale: the HTTP layer sets it for each request (from ?lang= or Accept-Language) before the
 * handler runs, so refusals formatted anywhere below (rec_refuse, json_error_set,
 * http_problem) are in the reader's language. Commands work in English.
 *
 * The pseudo-language "en-XA" (never offered, only asked for) formats English inside ⟦ ⟧, so
 * that a page rendered in it shows any sentence that did not come from a catalogue.
 *
 * Layer: core. Reads files only in i18n_load(); everything else is lookups and formatting.
 */
#ifndef PLACARD_CORE_I18N_H
#define PLACARD_CORE_I18N_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define I18N_DEFAULT     "en"
#define I18N_PSEUDO      "en-XA"
#define I18N_LANG_MAX    16   /* longest language code kept */
#define I18N_ACCEPT_MAX  512  /* Accept-Language bytes looked at; the rest is ignored */
#define I18N_MESSAGE_MAX 1024 /* a formatted sentence, bytes; longer ones are cut at a character */

/*
 * Load web/i18n/ under @web_dir: languages.json and, for each language, the server's domains.
 * Call once before threads start. A missing catalogue file is an empty domain; malformed JSON,
 * a message that does not parse, or a language code that is not a BCP 47 tag is an error
 * (@err gets a sentence). 0 or -errno.
 */
int i18n_load(const char *web_dir, char *err, size_t errsize);

/* Free what i18n_load() read. */
void i18n_unload(void);

/* The language codes loaded, in languages.json's order (the default first). */
size_t i18n_language_count(void);
const char *i18n_language_at(size_t i);

/*
 * The best of @available (@n codes, the first the default) for an Accept-Language header
 * @accept (RFC 9110 12.5.4; q-values, "*", ranges matched by RFC 4647 lookup: "zh" and
 * "zh-Hans-CN" find "zh-CN", "en-GB" finds "en"); the first when nothing matches, @accept is
 * NULL, or it is malformed. Pure; never NULL.
 */
const char *i18n_negotiate_among(const char *accept, const char *const *available, size_t n);

/* i18n_negotiate_among() over the loaded languages. */
const char *i18n_negotiate(const char *accept);

/* @code if it names a loaded language (case-insensitively; returns the loaded spelling), the
 * pseudo-language, or NULL. For ?lang=. */
const char *i18n_language_known(const char *code);

/* The thread's language (I18N_DEFAULT until set). @lang must be a loaded code, I18N_PSEUDO or
 * NULL (back to the default); it is not copied. */
void i18n_set_thread_language(const char *lang);
const char *i18n_thread_language(void);

/*
 * Format message @key of the loaded catalogues in @lang (NULL: the thread's language) with
 * name/value pairs ended by NULL, into @buf (always NUL-terminated when @size > 0). Returns
 * the length written.
 */
size_t i18n_format(char *buf, size_t size, const char *lang, const char *key, ...)
        __attribute__((sentinel));
size_t i18n_vformat(char *buf, size_t size, const char *lang, const char *key, va_list ap);

/* Decimal text of @v in @buf (at least 24 bytes); returns @buf. I18N_INT(v) gives it a buffer
 * that lives to the end of the enclosing block: i18n_format(..., "max", I18N_INT(max), NULL). */
const char *i18n_int_text(char *buf, long long v);
#define I18N_INT(v) i18n_int_text((char[24]){ 0 }, (long long)(v))

/* @v as printf's %g writes it, in @buf (at least 32 bytes); returns @buf. I18N_G(v) as
 * I18N_INT(). For numbers the English sentences always wrote with %g (limits such as 1e+06). */
const char *i18n_double_text(char *buf, double v);
#define I18N_G(v) i18n_double_text((char[32]){ 0 }, (double)(v))

/*
 * Format @pattern (a message, not a key) in @lang with @n arguments. Pure apart from ICU's
 * data; for tests and for i18n_vformat(). -EINVAL when @pattern does not parse, with *ret_len
 * set to 0.
 */
struct i18n_arg {
	const char *name;
	const char *value;
};
int i18n_format_pattern(char *buf, size_t size, const char *lang, const char *pattern,
                        const struct i18n_arg *args, size_t n, size_t *ret_len);

/* True if @pattern parses as a message of the subset above. */
bool i18n_pattern_valid(const char *pattern);

/*
 * A scheme document's text (a band's label or meaning, an element's name, a violation's
 * description), written in English, as the "wording" catalogue of @lang (NULL: the thread's)
 * gives it, or @text itself. Never NULL when @text is not.
 */
const char *i18n_wording(const char *lang, const char *text);

#endif
