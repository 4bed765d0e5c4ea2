/*
 * Unit tests for core/qr: the SVG draws exactly libqrencode's modules (read back from the
 * path), with the quiet zone, finder patterns where they belong, escaped text and limits.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <qrencode.h>

#include "core/qr.h"

/* Read the SVG's path back into a grid of @size x @size modules (quiet zone included). */
static unsigned char *read_back(const char *svg, int *ret_size)
{
	int size;
	const char *vb = strstr(svg, "viewBox=\"0 0 ");
	assert_non_null(vb);
	assert_int_equal(sscanf(vb, "viewBox=\"0 0 %d", &size), 1);
	unsigned char *grid = calloc((size_t)size * (size_t)size, 1);
	const char *d = strstr(svg, " d=\"");
	assert_non_null(d);
	d += 4;
	int x, y, w, w2, n;
	while (sscanf(d, "M%d %dh%dv1h-%dz%n", &x, &y, &w, &w2, &n) == 4) {
		assert_int_equal(w, w2);
		for (int i = 0; i < w; i++) {
			assert_true(x + i < size && y < size);
			assert_int_equal(grid[y * size + x + i], 0); /* no module drawn twice */
			grid[y * size + x + i] = 1;
		}
		d += n;
	}
	assert_int_equal(*d, '"');
	*ret_size = size;
	return grid;
}

static void test_modules_match_libqrencode(void **state)
{
	(void)state;
	const char *texts[] = {
		"https://inspections.example.gov/establishment.html?id=42&card=D22223K", "x",
		"http://127.0.0.1:8080/establishment.html?id=1"
	};
	for (size_t t = 0; t < 3; t++) {
		struct buf b = BUF_INIT;
		assert_int_equal(qr_svg(texts[t], &b), 0);
		int size;
		unsigned char *grid = read_back(b.data, &size);
		QRcode *q = QRcode_encodeString(texts[t], 0, QR_ECLEVEL_M, QR_MODE_8, 1);
		assert_non_null(q);
		assert_int_equal(size, q->width + 8);
		for (int y = 0; y < size; y++)
			for (int x = 0; x < size; x++) {
				int mx = x - 4, my = y - 4;
				int want = mx >= 0 && my >= 0 && mx < q->width && my < q->width
				                   ? q->data[my * q->width + mx] & 1
				                   : 0; /* the quiet zone is light */
				assert_int_equal(grid[y * size + x], want);
			}
		/* The top-left finder pattern: a dark 7x7 ring around a 3x3 centre. */
		for (int i = 0; i < 7; i++) {
			assert_int_equal(grid[4 * size + 4 + i], 1);
			assert_int_equal(grid[(4 + i) * size + 4], 1);
		}
		assert_int_equal(grid[5 * size + 5], 0);
		assert_int_equal(grid[7 * size + 7], 1);
		QRcode_free(q);
		free(grid);
		buf_release(&b);
	}
}

static void test_title_escaped(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	assert_int_equal(qr_svg("a<b>&\"c\"", &b), 0);
	assert_non_null(strstr(b.data, "<title>QR code: a&lt;b&gt;&amp;&quot;c&quot;</title>"));
	assert_non_null(strstr(b.data, "role=\"img\""));
	buf_release(&b);
}

static void test_limits(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	assert_int_equal(qr_svg("", &b), -EINVAL);
	char text[QR_TEXT_MAX + 2];
	memset(text, 'a', sizeof(text) - 1);
	text[QR_TEXT_MAX + 1] = '\0';
	assert_int_equal(qr_svg(text, &b), -EINVAL);
	assert_int_equal(b.len, 0);
	text[QR_TEXT_MAX] = '\0';
	assert_int_equal(qr_svg(text, &b), 0);
	assert_true(b.len > 0);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_modules_match_libqrencode),
		cmocka_unit_test(test_title_escaped),
		cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
