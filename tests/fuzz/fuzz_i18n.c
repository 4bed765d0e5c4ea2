/*
 * fuzz_i18n.c - libFuzzer harness for the message formatter and the choice of language
 * (core/i18n.c): any pattern either is refused or formats, in English and in Chinese, into
 * a small buffer and a large one, always NUL-terminated, never cut inside a UTF-8 sequence,
 * and the same text in both but for the cut; any
 * Accept-Language header chooses one of the languages offered.
 * Input: pattern NUL value-of-n NUL accept-language.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xmalloc(size + 3);
	memcpy(text, data, size);
	text[size] = text[size + 1] = text[size + 2] = '\0';
	const char *pattern = text;
	const char *n = pattern + strlen(pattern) + 1;
	if (n > text + size)
		n = text + size;
	const char *accept = n + strlen(n) + 1;
	if (accept > text + size)
		accept = text + size;

	const struct i18n_arg args[] = { { "n", n }, { "s", n }, { "name", "x" } };
	static const char *const langs[] = { "en", "zh-CN" };
	for (size_t l = 0; l < 2; l++) {
		char small[7], big[I18N_MESSAGE_MAX];
		size_t ls = 99, lb = 99;
		int rs = i18n_format_pattern(small, sizeof(small), langs[l], pattern, args, 3, &ls);
		int rb = i18n_format_pattern(big, sizeof(big), langs[l], pattern, args, 3, &lb);
		if (rs != rb || (rs < 0 && (ls || lb || small[0] || big[0])))
			abort();
		if (strlen(small) != ls || strlen(big) != lb || ls > lb || ls >= sizeof(small) ||
		    memcmp(small, big, ls) != 0)
			abort();
		/* A cut is made before a character's first byte (or at the start, when the
		 * text begins with stray continuation bytes). */
		if (ls < lb && ls > 0 && ((unsigned char)big[ls] & 0xC0) == 0x80)
			abort();
		if (rs == 0 && !i18n_pattern_valid(pattern))
			abort();
	}
	static const char *const av[] = { "en", "zh-CN" };
	const char *chosen = i18n_negotiate_among(accept, av, 2);
	if (chosen != av[0] && chosen != av[1])
		abort();
	free(text);
	return 0;
}
