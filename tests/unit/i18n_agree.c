/*
 * i18n_agree.c - patterns made of the pieces of the message syntax, put together at random
 * (a fixed seed, so every run makes the same ones), each formatted by the server's formatter
 * in English and in Chinese with a number and a select value. Prints one line a pattern:
 * pattern TAB language TAB n TAB s TAB the text, or "\001ERR" when it does not parse.
 * tests/unit/i18n-agree.test.mjs formats the same with the browser's formatter and compares.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/i18n.h"

static uint32_t seed = 12345;

static uint32_t next(uint32_t n)
{
	seed = seed * 1103515245u + 12345u;
	return (seed >> 8) % n;
}

int main(void)
{
	static const char *const pieces[] = {
		"{n, plural, ",
		"one {",
		"other {",
		"=1 {",
		"=0 {",
		"}",
		"{n}",
		"#",
		"'",
		"''",
		"{s, select, a {",
		"offset:1 ",
		"{n, number}",
		"{n, number, integer}",
		"x ",
		"点",
		"{n, selectordinal, ",
		"few {",
		"two {",
		"{",
		",",
		" ",
		"'{'",
		"'#'",
		"{m}",
		"{s}",
		"{n, number, percent}",
		"zero {",
		"many {",
		"b {",
		"{d, date}",
	};
	static const char *const values[] = {
		"0", "1", "2", "3", "1234.5", "21", "22", "-1", "0.25"
	};
	const size_t np = sizeof(pieces) / sizeof(pieces[0]);
	for (int i = 0; i < 20000; i++) {
		char p[240];
		size_t len = 0;
		for (uint32_t k = 0, n = 1 + next(12); k < n; k++) {
			const char *w = pieces[next((uint32_t)np)];
			if (len + strlen(w) >= sizeof(p))
				break;
			memcpy(p + len, w, strlen(w) + 1);
			len += strlen(w);
		}
		const char *lang = next(2) ? "en" : "zh-CN";
		const struct i18n_arg args[] = { { "n", values[next(9)] },
			                         { "s", next(2) ? "a" : "b" } };
		char out[I18N_MESSAGE_MAX];
		size_t olen;
		int r = i18n_format_pattern(out, sizeof(out), lang, p, args, 2, &olen);
		printf("%s\t%s\t%s\t%s\t%s\n", p, lang, args[0].value, args[1].value,
		       r < 0 ? "\001ERR" : out);
	}
	return 0;
}
