/*
 * i18n.c - the server's catalogues, the language it writes in, and the message formatter.
 *
 * The catalogues are read once (i18n_load) into one JSON object of key -> message per
 * language (the domains api, records and grade merged; their keys are prefixed by the domain)
 * and one of English text -> text for the wording; afterwards they are only read, from any
 * thread.
 *
 * The formatter reads the ICU MessageFormat subset of web/js/i18n.mjs in one pass over the
 * pattern: text is copied out, arguments are replaced, and of a plural or select only the
 * chosen option is written (the others are parsed with output off, so a pattern that does not
 * parse is refused whatever its arguments). It gives the same text as the browser's
 * formatter for the same message and arguments: plural categories from ICU's upluralrules and
 * numbers from ICU's unum, as the browser's Intl.PluralRules and Intl.NumberFormat take them
 * from CLDR.
 *
 * Layer: core.
 */
#include "core/i18n.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <unicode/uloc.h>
#include <unicode/unum.h>
#include <unicode/upluralrules.h>
#include <unicode/ustring.h>

#define LANGUAGES_MAX 32
#define ARGS_MAX      32
#define RANGES_MAX    128
#define WORDING_MAX   10000 /* pseudo-language wordings kept */

static const char *const server_domains[] = { "api", "records", "grade" };

struct language {
	char code[I18N_LANG_MAX + 1];
	json_t *messages; /* key -> message, the server's domains */
	json_t *wording;  /* English text -> text */
};

static struct language languages[LANGUAGES_MAX];
static size_t nlanguages;

/* The pseudo-language's wordings (English inside the brackets), made on first use. */
static pthread_mutex_t pseudo_lock = PTHREAD_MUTEX_INITIALIZER;
static json_t *pseudo_wording;

static _Thread_local const char *thread_language;

/* ---------------------------------------------------------------------------------------
 * Text helpers. */

/* The length of @s cut to at most @max bytes without splitting a UTF-8 character. */
static size_t utf8_cut(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	size_t cut = max;
	while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
		cut--;
	return cut;
}

/* Copy @len bytes of @s into @buf (@size), cut at a character; the length written. */
static size_t copy_out(char *buf, size_t size, const char *s, size_t len)
{
	if (size == 0)
		return 0;
	size_t n = utf8_cut(s, len, size - 1);
	memcpy(buf, s, n);
	buf[n] = '\0';
	return n;
}

static bool ieq(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

/* ---------------------------------------------------------------------------------------
 * Numbers and plural categories from ICU. */

/* The ICU locale ID for a language code ("zh-CN" -> "zh_CN"); the pseudo-language is English. */
static void icu_locale(const char *lang, char *out, size_t size)
{
	if (!lang || ieq(lang, I18N_PSEUDO))
		lang = I18N_DEFAULT;
	UErrorCode st = U_ZERO_ERROR;
	int32_t parsed = 0;
	uloc_forLanguageTag(lang, out, (int32_t)size, &parsed, &st);
	if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING)
		snprintf(out, size, "%s", I18N_DEFAULT);
}

/* A number as JavaScript's Number() reads text: surrounding white space ignored, "" is 0,
 * anything else that is not a whole number NaN. A missing argument is NaN. */
static double js_number(const char *v)
{
	if (!v)
		return NAN;
	while (isspace((unsigned char)*v))
		v++;
	size_t len = strlen(v);
	while (len > 0 && isspace((unsigned char)v[len - 1]))
		len--;
	if (len == 0)
		return 0;
	char tmp[64];
	if (len >= sizeof(tmp))
		return NAN;
	memcpy(tmp, v, len);
	tmp[len] = '\0';
	for (size_t i = 0; i < len; i++)
		if (!strchr("0123456789+-.eE", tmp[i]))
			return NAN;
	char *end;
	errno = 0;
	double d = strtod(tmp, &end);
	if (*end)
		return NAN;
	return d;
}

enum number_style { NUMBER_PLAIN, NUMBER_INTEGER, NUMBER_PERCENT };

/* @d formatted in @lang's conventions, UTF-8, into @out (@size). 0 or -EINVAL. */
static int format_number(double d, const char *lang, enum number_style style, char *out,
                         size_t size)
{
	char loc[64];
	icu_locale(lang, loc, sizeof(loc));
	UErrorCode st = U_ZERO_ERROR;
	UNumberFormat *nf = unum_open(style == NUMBER_PERCENT ? UNUM_PERCENT : UNUM_DECIMAL, NULL,
	                              0, loc, NULL, &st);
	if (U_FAILURE(st))
		return -EINVAL;
	/* As Intl.NumberFormat: halves away from zero; at most 3 decimals, 0 for integer/percent. */
	unum_setAttribute(nf, UNUM_ROUNDING_MODE, UNUM_ROUND_HALFUP);
	if (style == NUMBER_INTEGER)
		unum_setAttribute(nf, UNUM_MAX_FRACTION_DIGITS, 0);
	UChar u[128];
	int32_t n = unum_formatDouble(nf, d, u, 128, NULL, &st);
	unum_close(nf);
	if (U_FAILURE(st) || n >= 128)
		return -EINVAL;
	int32_t len = 0;
	u_strToUTF8(out, (int32_t)size, &len, u, n, &st);
	if (U_FAILURE(st) || (size_t)len >= size)
		return -EINVAL;
	out[len] = '\0';
	return 0;
}

/* The CLDR plural category of @d in @lang ("one", "other", ...), into @out. */
static void plural_category(double d, const char *lang, bool ordinal, char *out, size_t size)
{
	snprintf(out, size, "other");
	if (isnan(d))
		return;
	char loc[64];
	icu_locale(lang, loc, sizeof(loc));
	UErrorCode st = U_ZERO_ERROR;
	UPluralRules *pr = uplrules_openForType(
	        loc, ordinal ? UPLURAL_TYPE_ORDINAL : UPLURAL_TYPE_CARDINAL, &st);
	if (U_FAILURE(st))
		return;
	UChar kw[32];
	int32_t n = uplrules_select(pr, d, kw, 32, &st);
	uplrules_close(pr);
	if (U_FAILURE(st) || n <= 0 || (size_t)n >= size)
		return;
	for (int32_t i = 0; i < n; i++)
		out[i] = (char)kw[i];
	out[n] = '\0';
}

/* ---------------------------------------------------------------------------------------
 * The formatter. */

struct fmt {
	const char *src;
	size_t len;
	size_t i;
	const char *lang; /* numbers and plurals */
	const struct i18n_arg *args;
	size_t nargs;
	char *out; /* NULL: parse only */
	size_t cap;
	size_t olen;
	bool cut; /* out was too small */
	int err;
};

static void emit(struct fmt *f, const char *s, size_t n)
{
	if (!f->out)
		return;
	if (f->olen + n > f->cap) {
		size_t room = f->cap - f->olen;
		n = utf8_cut(s, n, room);
		f->cut = true;
	}
	memcpy(f->out + f->olen, s, n);
	f->olen += n;
}

static void emits(struct fmt *f, const char *s)
{
	emit(f, s, strlen(s));
}

static const char *arg_value(const struct fmt *f, const char *name, size_t n)
{
	for (size_t k = 0; k < f->nargs; k++)
		if (f->args[k].name && strlen(f->args[k].name) == n &&
		    !memcmp(f->args[k].name, name, n))
			return f->args[k].value;
	return NULL;
}

static bool at_end(const struct fmt *f)
{
	return f->i >= f->len;
}

static char cur(const struct fmt *f)
{
	return at_end(f) ? '\0' : f->src[f->i];
}

static void ws(struct fmt *f)
{
	while (!at_end(f) && isspace((unsigned char)f->src[f->i]))
		f->i++;
}

/* A name or keyword: [^\s{},#']+ with white space around it skipped. */
static int word(struct fmt *f, const char **ret, size_t *ret_len)
{
	ws(f);
	size_t start = f->i;
	while (!at_end(f)) {
		char c = f->src[f->i];
		if (isspace((unsigned char)c) || c == '{' || c == '}' || c == ',' || c == '#' ||
		    c == '\'')
			break;
		f->i++;
	}
	if (f->i == start)
		return -EINVAL;
	*ret = f->src + start;
	*ret_len = f->i - start;
	ws(f);
	return 0;
}

static int expect(struct fmt *f, char c)
{
	ws(f);
	if (cur(f) != c)
		return -EINVAL;
	f->i++;
	return 0;
}

static bool word_is(const char *w, size_t n, const char *s)
{
	return strlen(s) == n && !memcmp(w, s, n);
}

static int text(struct fmt *f, bool in_plural, int depth, double pound, bool on);

/* Write @pound (a plural's number less its offset) as the language writes numbers. */
static void emit_number(struct fmt *f, double d, enum number_style style)
{
	char num[128];
	if (format_number(d, f->lang, style, num, sizeof(num)) < 0)
		snprintf(num, sizeof(num), "%g", d);
	emits(f, num);
}

/* An argument, after its "{". */
static int argument(struct fmt *f, int depth, double pound, bool on)
{
	const char *name, *kind;
	size_t nlen, klen;
	if (word(f, &name, &nlen) < 0)
		return -EINVAL;
	const char *v = arg_value(f, name, nlen);
	if (cur(f) == '}') {
		f->i++;
		if (on) {
			if (v)
				emits(f, v);
			else {
				emit(f, "{", 1);
				emit(f, name, nlen);
				emit(f, "}", 1);
			}
		}
		return 0;
	}
	if (expect(f, ',') < 0 || word(f, &kind, &klen) < 0)
		return -EINVAL;
	bool number = word_is(kind, klen, "number");
	if (number || word_is(kind, klen, "date") || word_is(kind, klen, "time")) {
		const char *style = NULL;
		size_t slen = 0;
		if (cur(f) == ',') {
			f->i++;
			if (word(f, &style, &slen) < 0)
				return -EINVAL;
		}
		if (expect(f, '}') < 0)
			return -EINVAL;
		enum number_style ns = NUMBER_PLAIN;
		if (number && style) {
			if (word_is(style, slen, "integer"))
				ns = NUMBER_INTEGER;
			else if (word_is(style, slen, "percent"))
				ns = NUMBER_PERCENT;
			else
				return -EINVAL;
		}
		if (!number && style && !word_is(style, slen, "short") &&
		    !word_is(style, slen, "medium") && !word_is(style, slen, "long") &&
		    !word_is(style, slen, "full"))
			return -EINVAL;
		if (on) {
			if (number)
				emit_number(f, js_number(v), ns);
			else if (v) /* the server writes no dates in sentences: as given */
				emits(f, v);
		}
		return 0;
	}
	bool plural = word_is(kind, klen, "plural");
	bool ordinal = word_is(kind, klen, "selectordinal");
	bool select = word_is(kind, klen, "select");
	if (!plural && !ordinal && !select)
		return -EINVAL;
	if (expect(f, ',') < 0)
		return -EINVAL;

	double num = select ? 0 : js_number(v);
	double offset = 0;
	char category[16] = "";
	char exact[32] = "";
	if (!select && !isnan(num))
		snprintf(exact, sizeof(exact), "=%.17g", num);
	size_t chosen = 0, other = 0; /* where the option's text starts; 0: none */
	bool chosen_exact = false;
	ws(f);
	while (!at_end(f) && cur(f) != '}') {
		const char *sel;
		size_t slen;
		if (word(f, &sel, &slen) < 0)
			return -EINVAL;
		if (!select && slen >= 7 && !memcmp(sel, "offset:", 7)) {
			char tmp[32];
			if (slen - 7 >= sizeof(tmp))
				return -EINVAL;
			memcpy(tmp, sel + 7, slen - 7);
			tmp[slen - 7] = '\0';
			offset = js_number(tmp);
			if (isnan(offset) || offset != floor(offset))
				return -EINVAL;
			continue;
		}
		if (!select) {
			bool ok = word_is(sel, slen, "zero") || word_is(sel, slen, "one") ||
			          word_is(sel, slen, "two") || word_is(sel, slen, "few") ||
			          word_is(sel, slen, "many") || word_is(sel, slen, "other");
			if (!ok && slen >= 2 && sel[0] == '=') {
				ok = true;
				for (size_t k = 1; k < slen; k++)
					ok = ok && isdigit((unsigned char)sel[k]);
			}
			if (!ok)
				return -EINVAL;
		}
		if (expect(f, '{') < 0)
			return -EINVAL;
		size_t start = f->i;
		if (on && !*category && !select)
			plural_category(isnan(num) ? num : num - offset, f->lang, ordinal, category,
			                sizeof(category));
		/* Exact =N first, then the category (a select's value), then other. */
		if (on) {
			if (!select && sel[0] == '=') {
				char want[32];
				snprintf(want, sizeof(want), "=%.17g", strtod(sel + 1, NULL));
				if (*exact && !strcmp(want, exact)) {
					chosen = start;
					chosen_exact = true;
				}
			} else if (!chosen_exact) {
				bool match =
				        select ? (v ? (strlen(v) == slen && !memcmp(v, sel, slen))
				                    : word_is(sel, slen, "undefined"))
				               : word_is(sel, slen, category);
				if (match)
					chosen = start;
			}
		}
		if (word_is(sel, slen, "other"))
			other = start;
		int r = text(f, !select, depth + 1, 0, false);
		if (r < 0)
			return r;
		if (cur(f) != '}')
			return -EINVAL;
		f->i++;
		ws(f);
	}
	if (!other)
		return -EINVAL;
	if (expect(f, '}') < 0)
		return -EINVAL;
	if (on) {
		size_t end = f->i;
		f->i = chosen ? chosen : other;
		int r = text(f, !select, depth + 1, select ? pound : num - offset, true);
		f->i = end;
		if (r < 0)
			return r;
	}
	return 0;
}

/* Text up to the "}" that closes it (left unread) or the end. */
static int text(struct fmt *f, bool in_plural, int depth, double pound, bool on)
{
	while (!at_end(f)) {
		char c = f->src[f->i];
		if (c == '\'') {
			char n = f->i + 1 < f->len ? f->src[f->i + 1] : '\0';
			if (n == '\'') {
				if (on)
					emit(f, "'", 1);
				f->i += 2;
				continue;
			}
			if (n == '{' || n == '}' || (in_plural && n == '#') || n == '|') {
				f->i++;
				while (!at_end(f)) {
					if (f->src[f->i] == '\'') {
						if (f->i + 1 < f->len && f->src[f->i + 1] == '\'') {
							if (on)
								emit(f, "'", 1);
							f->i += 2;
							continue;
						}
						f->i++;
						break;
					}
					if (on)
						emit(f, f->src + f->i, 1);
					f->i++;
				}
				continue;
			}
			if (on)
				emit(f, "'", 1);
			f->i++;
			continue;
		}
		if (c == '{') {
			f->i++;
			int r = argument(f, depth, pound, on);
			if (r < 0)
				return r;
			continue;
		}
		if (c == '}') {
			if (depth == 0)
				return -EINVAL;
			return 0;
		}
		if (c == '#' && in_plural) {
			if (on)
				emit_number(f, pound, NUMBER_PLAIN);
			f->i++;
			continue;
		}
		size_t start = f->i;
		while (!at_end(f) && f->src[f->i] != '\'' && f->src[f->i] != '{' &&
		       f->src[f->i] != '}' && !(in_plural && f->src[f->i] == '#'))
			f->i++;
		if (on)
			emit(f, f->src + start, f->i - start);
	}
	return 0;
}

/* Run the formatter over @pattern into @out (@cap bytes, not NUL-terminated). */
static int run(const char *pattern, const char *lang, const struct i18n_arg *args, size_t n,
               char *out, size_t cap, size_t *ret_len, bool *ret_cut)
{
	struct fmt f = {
		.src = pattern,
		.len = strlen(pattern),
		.lang = lang,
		.args = args,
		.nargs = n,
		.out = out,
		.cap = cap,
	};
	int r = text(&f, false, 0, 0, true);
	if (r == 0 && !at_end(&f))
		r = -EINVAL;
	if (ret_len)
		*ret_len = r < 0 ? 0 : f.olen;
	if (ret_cut)
		*ret_cut = f.cut;
	return r;
}

int i18n_format_pattern(char *buf, size_t size, const char *lang, const char *pattern,
                        const struct i18n_arg *args, size_t n, size_t *ret_len)
{
	char tmp[I18N_MESSAGE_MAX];
	size_t len = 0;
	int r = run(pattern, lang, args, n, tmp, sizeof(tmp) - 1, &len, NULL);
	if (r < 0) {
		if (size > 0)
			buf[0] = '\0';
		if (ret_len)
			*ret_len = 0;
		return r;
	}
	size_t w = copy_out(buf, size, tmp, len);
	if (ret_len)
		*ret_len = w;
	return 0;
}

bool i18n_pattern_valid(const char *pattern)
{
	char tmp[I18N_MESSAGE_MAX];
	return pattern && run(pattern, I18N_DEFAULT, NULL, 0, tmp, sizeof(tmp), NULL, NULL) == 0;
}

/* ---------------------------------------------------------------------------------------
 * Languages. */

size_t i18n_language_count(void)
{
	return nlanguages;
}

const char *i18n_language_at(size_t i)
{
	return i < nlanguages ? languages[i].code : NULL;
}

static const struct language *language_of(const char *code)
{
	if (!code)
		return NULL;
	for (size_t i = 0; i < nlanguages; i++)
		if (!strcmp(languages[i].code, code))
			return &languages[i];
	return NULL;
}

const char *i18n_language_known(const char *code)
{
	if (!code)
		return NULL;
	if (ieq(code, I18N_PSEUDO))
		return I18N_PSEUDO;
	for (size_t i = 0; i < nlanguages; i++)
		if (ieq(languages[i].code, code))
			return languages[i].code;
	return NULL;
}

void i18n_set_thread_language(const char *lang)
{
	thread_language = lang;
}

const char *i18n_thread_language(void)
{
	return thread_language ? thread_language : I18N_DEFAULT;
}

/* ---------------------------------------------------------------------------------------
 * Accept-Language. */

struct range {
	const char *s;
	size_t len;
	int q; /* thousandths */
};

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* language-range: "*" or 1*8ALPHA *("-" 1*8alphanum) (RFC 4647 2.1). */
static bool range_valid(const char *s, size_t len)
{
	if (len == 1 && s[0] == '*')
		return true;
	size_t k = 0, sub = 0, subtags = 0;
	for (; k <= len; k++) {
		if (k == len || s[k] == '-') {
			if (sub == 0 || sub > 8)
				return false;
			subtags++;
			sub = 0;
			continue;
		}
		bool ok = subtags == 0 ? is_alpha(s[k])
		                       : (is_alpha(s[k]) || isdigit((unsigned char)s[k]));
		if (!ok)
			return false;
		sub++;
	}
	return true;
}

/* qvalue: "0" ["." 0*3DIGIT] / "1" ["." 0*3"0"], in thousandths; -1 if malformed. */
static int qvalue(const char *s, size_t len)
{
	if (len == 0 || (s[0] != '0' && s[0] != '1'))
		return -1;
	int q = (s[0] - '0') * 1000;
	if (len == 1)
		return q;
	if (s[1] != '.' || len > 5)
		return -1;
	int scale = 100;
	for (size_t k = 2; k < len; k++, scale /= 10) {
		if (!isdigit((unsigned char)s[k]))
			return -1;
		q += (s[k] - '0') * scale;
	}
	return q > 1000 ? -1 : q;
}

/* One element of the list, without the commas: OWS range [OWS ";" OWS "q=" qvalue] OWS.
 * 1 if it is a range, 0 if empty, -1 if malformed. */
static int parse_element(const char *s, size_t len, struct range *ret)
{
	while (len > 0 && is_ows(*s))
		s++, len--;
	while (len > 0 && is_ows(s[len - 1]))
		len--;
	if (len == 0)
		return 0;
	size_t k = 0;
	while (k < len && s[k] != ';' && !is_ows(s[k]))
		k++;
	if (!range_valid(s, k))
		return -1;
	ret->s = s;
	ret->len = k;
	ret->q = 1000;
	while (k < len && is_ows(s[k]))
		k++;
	if (k == len)
		return 1;
	if (s[k] != ';')
		return -1;
	k++;
	while (k < len && is_ows(s[k]))
		k++;
	if (len - k < 2 || (s[k] != 'q' && s[k] != 'Q') || s[k + 1] != '=')
		return -1;
	ret->q = qvalue(s + k + 2, len - k - 2);
	return ret->q < 0 ? -1 : 1;
}

/* True if @a (a language code) equals the first @n bytes of @r, ignoring case. */
static bool code_is(const char *a, const char *r, size_t n)
{
	return strlen(a) == n && strncasecmp(a, r, n) == 0;
}

/* True if the range @r (q=0) excludes @code: "*", the code itself, or a prefix of it at a
 * subtag boundary (RFC 4647 basic filtering). */
static bool range_covers(const struct range *r, const char *code)
{
	if (r->len == 1 && r->s[0] == '*')
		return true;
	size_t n = strlen(code);
	return r->len <= n && strncasecmp(code, r->s, r->len) == 0 &&
	       (code[r->len] == '\0' || code[r->len] == '-');
}

const char *i18n_negotiate_among(const char *accept, const char *const *available, size_t n)
{
	if (n == 0)
		return I18N_DEFAULT;
	if (!accept)
		return available[0];
	size_t len = strlen(accept);
	if (len > I18N_ACCEPT_MAX) {
		/* Look at the first I18N_ACCEPT_MAX bytes, up to the last whole element. */
		len = I18N_ACCEPT_MAX;
		if (accept[len] != ',') {
			while (len > 0 && accept[len - 1] != ',')
				len--;
		}
		if (len == 0)
			return available[0];
	}
	struct range ranges[RANGES_MAX];
	size_t nr = 0;
	const char *p = accept, *end = accept + len;
	while (p <= end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *stop = comma ? comma : end;
		struct range r;
		int k = parse_element(p, (size_t)(stop - p), &r);
		if (k < 0)
			return available[0];
		if (k > 0) {
			if (nr == RANGES_MAX)
				return available[0];
			ranges[nr++] = r;
		}
		if (!comma)
			break;
		p = comma + 1;
	}
	/* The ranges by weight, most wanted first; equal weights in the order given. */
	for (size_t a = 1; a < nr; a++) {
		struct range t = ranges[a];
		size_t b = a;
		while (b > 0 && ranges[b - 1].q < t.q) {
			ranges[b] = ranges[b - 1];
			b--;
		}
		ranges[b] = t;
	}
	bool excluded[LANGUAGES_MAX] = { false };
	size_t navail = n < LANGUAGES_MAX ? n : LANGUAGES_MAX;
	for (size_t k = 0; k < nr; k++)
		if (ranges[k].q == 0)
			for (size_t a = 0; a < navail; a++)
				if (range_covers(&ranges[k], available[a]))
					excluded[a] = true;
	bool any = false;
	for (size_t k = 0; k < nr && ranges[k].q > 0; k++) {
		const struct range *r = &ranges[k];
		if (r->len == 1 && r->s[0] == '*') {
			any = true;
			continue;
		}
		/* The range, then cut back a subtag at a time. */
		for (size_t cut = r->len; cut > 0;) {
			for (size_t a = 0; a < navail; a++)
				if (!excluded[a] && code_is(available[a], r->s, cut))
					return available[a];
			while (cut > 0 && r->s[cut - 1] != '-')
				cut--;
			if (cut > 0)
				cut--;
		}
		/* Then any language with the same first subtag. */
		size_t first = 0;
		while (first < r->len && r->s[first] != '-')
			first++;
		for (size_t a = 0; a < navail; a++) {
			const char *dash = strchr(available[a], '-');
			size_t alen = dash ? (size_t)(dash - available[a]) : strlen(available[a]);
			if (!excluded[a] && alen == first &&
			    !strncasecmp(available[a], r->s, first))
				return available[a];
		}
	}
	if (any)
		for (size_t a = 0; a < navail; a++)
			if (!excluded[a])
				return available[a];
	return available[0];
}

const char *i18n_negotiate(const char *accept)
{
	const char *codes[LANGUAGES_MAX];
	if (nlanguages == 0)
		return I18N_DEFAULT;
	for (size_t i = 0; i < nlanguages; i++)
		codes[i] = languages[i].code;
	return i18n_negotiate_among(accept, codes, nlanguages);
}

/* ---------------------------------------------------------------------------------------
 * Messages. */

static const char *lookup(const char *lang, const char *key)
{
	const struct language *l = language_of(lang);
	if (!l)
		return NULL;
	return json_string_value(json_object_get(l->messages, key));
}

size_t i18n_vformat(char *buf, size_t size, const char *lang, const char *key, va_list ap)
{
	struct i18n_arg args[ARGS_MAX];
	size_t n = 0;
	for (;;) {
		const char *name = va_arg(ap, const char *);
		if (!name)
			break;
		const char *value = va_arg(ap, const char *);
		if (n < ARGS_MAX)
			args[n++] = (struct i18n_arg){ name, value };
	}
	if (!lang)
		lang = i18n_thread_language();
	bool pseudo = ieq(lang, I18N_PSEUDO);
	const char *source = pseudo ? I18N_DEFAULT : lang;
	const char *msg = lookup(source, key);
	if (!msg && strcmp(source, I18N_DEFAULT) != 0) {
		msg = lookup(I18N_DEFAULT, key);
		source = I18N_DEFAULT;
	}
	char tmp[I18N_MESSAGE_MAX];
	size_t len = 0;
	/* The pseudo-language's brackets, 3 bytes each, stay inside the limit. */
	size_t room = pseudo ? sizeof(tmp) - 1 - 6 : sizeof(tmp) - 1;
	if (!msg) {
		len = utf8_cut(key, strlen(key), room);
		memcpy(tmp, key, len);
	} else if (run(msg, source, args, n, tmp, room, &len, NULL) < 0) {
		len = utf8_cut(msg, strlen(msg), room);
		memcpy(tmp, msg, len);
	}
	tmp[len] = '\0';
	if (!pseudo)
		return copy_out(buf, size, tmp, len);
	char wrapped[I18N_MESSAGE_MAX];
	int w = snprintf(wrapped, sizeof(wrapped), "⟦%s⟧", tmp);
	return copy_out(buf, size, wrapped, (size_t)w);
}

size_t i18n_format(char *buf, size_t size, const char *lang, const char *key, ...)
{
	va_list ap;
	va_start(ap, key);
	size_t n = i18n_vformat(buf, size, lang, key, ap);
	va_end(ap);
	return n;
}

const char *i18n_int_text(char *buf, long long v)
{
	snprintf(buf, 24, "%lld", v);
	return buf;
}

const char *i18n_double_text(char *buf, double v)
{
	snprintf(buf, 32, "%g", v);
	return buf;
}

const char *i18n_wording(const char *lang, const char *text)
{
	if (!text || !*text)
		return text;
	if (!lang)
		lang = i18n_thread_language();
	if (ieq(lang, I18N_PSEUDO)) {
		const char *wrapped = text;
		pthread_mutex_lock(&pseudo_lock);
		if (!pseudo_wording)
			pseudo_wording = json_object();
		json_t *have = json_object_get(pseudo_wording, text);
		if (have)
			wrapped = json_string_value(have);
		else if (json_object_size(pseudo_wording) < WORDING_MAX) {
			size_t len = strlen(text) + 7;
			char *s = malloc(len);
			if (s) {
				snprintf(s, len, "⟦%s⟧", text);
				json_t *j = json_string(s);
				free(s);
				if (j && json_object_set_new(pseudo_wording, text, j) == 0)
					wrapped = json_string_value(j);
			}
		}
		pthread_mutex_unlock(&pseudo_lock);
		return wrapped;
	}
	const struct language *l = language_of(lang);
	if (!l)
		return text;
	const char *own = json_string_value(json_object_get(l->wording, text));
	return own ? own : text;
}

/* ---------------------------------------------------------------------------------------
 * Loading. */

/* A language code as languages.json may name one: ll or lll, then -Ssss, then -RR. */
static bool code_valid(const char *c)
{
	size_t n = strlen(c), k = 0;
	if (n > I18N_LANG_MAX)
		return false;
	while (k < n && c[k] >= 'a' && c[k] <= 'z')
		k++;
	if (k < 2 || k > 3)
		return false;
	if (k + 5 <= n && c[k] == '-' && c[k + 1] >= 'A' && c[k + 1] <= 'Z' &&
	    islower((unsigned char)c[k + 2]) && islower((unsigned char)c[k + 3]) &&
	    islower((unsigned char)c[k + 4]) && (k + 5 == n || c[k + 5] == '-'))
		k += 5;
	if (k + 3 == n && c[k] == '-' && isupper((unsigned char)c[k + 1]) &&
	    isupper((unsigned char)c[k + 2]))
		k += 3;
	return k == n;
}

/* Read @path as a JSON object of strings into @into (NULL: a file that is not there is
 * empty). With @check, every message must parse. */
static int load_catalogue(const char *path, json_t *into, bool check, char *err, size_t errsize)
{
	FILE *fp = fopen(path, "r");
	if (!fp) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errsize, "%s could not be read: %s.", path, strerror(errno));
		return -errno;
	}
	json_error_t je;
	json_t *doc = json_loadf(fp, JSON_REJECT_DUPLICATES, &je);
	fclose(fp);
	if (!doc || !json_is_object(doc)) {
		snprintf(err, errsize, "%s is not a JSON object of messages%s%s.", path,
		         doc ? "" : ": ", doc ? "" : je.text);
		json_decref(doc);
		return -EINVAL;
	}
	const char *key;
	json_t *v;
	json_object_foreach(doc, key, v)
	{
		if (!json_is_string(v)) {
			snprintf(err, errsize, "%s: the message \"%s\" is not a string.", path,
			         key);
			json_decref(doc);
			return -EINVAL;
		}
		if (check && !i18n_pattern_valid(json_string_value(v))) {
			snprintf(err, errsize, "%s: the message \"%s\" does not parse.", path, key);
			json_decref(doc);
			return -EINVAL;
		}
	}
	json_object_update(into, doc);
	json_decref(doc);
	return 0;
}

int i18n_load(const char *web_dir, char *err, size_t errsize)
{
	i18n_unload();
	char path[4096];
	snprintf(path, sizeof(path), "%s/i18n/languages.json", web_dir);
	json_error_t je;
	json_t *doc = json_load_file(path, 0, &je);
	if (!doc) {
		snprintf(err, errsize, "%s could not be read: %s.", path, je.text);
		return -EINVAL;
	}
	int r = -EINVAL;
	const char *def = json_string_value(json_object_get(doc, "default"));
	json_t *list = json_object_get(doc, "languages");
	if (!json_is_array(list) || json_array_size(list) == 0) {
		snprintf(err, errsize, "%s lists no languages.", path);
		goto out;
	}
	if (def && strcmp(def, I18N_DEFAULT) != 0) {
		snprintf(err, errsize, "%s: the default language must be %s.", path, I18N_DEFAULT);
		goto out;
	}
	if (json_array_size(list) > LANGUAGES_MAX) {
		snprintf(err, errsize, "%s lists more than %d languages.", path, LANGUAGES_MAX);
		goto out;
	}
	bool have_default = false;
	size_t i;
	json_t *entry;
	json_array_foreach(list, i, entry)
	{
		const char *code = json_string_value(json_object_get(entry, "code"));
		if (!code || !code_valid(code)) {
			snprintf(err, errsize,
			         "%s: \"%s\" is not a language code like en or zh-CN.", path,
			         code ? code : "");
			goto out;
		}
		if (language_of(code)) {
			snprintf(err, errsize, "%s lists %s twice.", path, code);
			goto out;
		}
		have_default = have_default || !strcmp(code, I18N_DEFAULT);
		struct language *l = &languages[nlanguages++];
		snprintf(l->code, sizeof(l->code), "%s", code);
		l->messages = json_object();
		l->wording = json_object();
		for (size_t d = 0; d < sizeof(server_domains) / sizeof(server_domains[0]); d++) {
			char file[4096];
			snprintf(file, sizeof(file), "%s/i18n/%s/%s.json", web_dir, code,
			         server_domains[d]);
			if ((r = load_catalogue(file, l->messages, true, err, errsize)) < 0)
				goto out;
		}
		char file[4096];
		snprintf(file, sizeof(file), "%s/i18n/%s/wording.json", web_dir, code);
		if ((r = load_catalogue(file, l->wording, false, err, errsize)) < 0)
			goto out;
		r = -EINVAL;
	}
	if (!have_default) {
		snprintf(err, errsize, "%s does not list %s.", path, I18N_DEFAULT);
		goto out;
	}
	/* The default first. */
	for (size_t k = 0; k < nlanguages; k++)
		if (!strcmp(languages[k].code, I18N_DEFAULT)) {
			struct language t = languages[k];
			memmove(&languages[1], &languages[0], k * sizeof(languages[0]));
			languages[0] = t;
			break;
		}
	r = 0;
out:
	json_decref(doc);
	if (r < 0)
		i18n_unload();
	return r;
}

void i18n_unload(void)
{
	for (size_t i = 0; i < nlanguages; i++) {
		json_decref(languages[i].messages);
		json_decref(languages[i].wording);
	}
	memset(languages, 0, sizeof(languages));
	nlanguages = 0;
	pthread_mutex_lock(&pseudo_lock);
	json_decref(pseudo_wording);
	pseudo_wording = NULL;
	pthread_mutex_unlock(&pseudo_lock);
}
