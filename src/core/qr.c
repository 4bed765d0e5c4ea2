/*
 * qr.c - QR codes as SVG (see qr.h). Each row's runs of dark modules become one "h" segment
 * of a single path, which keeps a card's code to a couple of kilobytes.
 */
#include "core/qr.h"

#include <errno.h>
#include <qrencode.h>
#include <string.h>

/* Quiet zone around the symbol, in modules (ISO/IEC 18004 asks for four). */
#define QR_QUIET 4

/* Append @s escaped for XML text and attribute values. */
static void add_xml_text(struct buf *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': buf_addstr(out, "&amp;"); break;
		case '<': buf_addstr(out, "&lt;"); break;
		case '>': buf_addstr(out, "&gt;"); break;
		case '"': buf_addstr(out, "&quot;"); break;
		default: buf_addch(out, *s); break;
		}
	}
}

int qr_svg(const char *text, struct buf *out)
{
	size_t len = strlen(text);
	if (len == 0 || len > QR_TEXT_MAX)
		return -EINVAL;
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q)
		return -ENOMEM;
	int w = q->width, size = w + 2 * QR_QUIET;
	buf_addf(out,
	         "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
	         "shape-rendering=\"crispEdges\" role=\"img\"><title>QR code: ",
	         size, size);
	add_xml_text(out, text);
	buf_addf(out,
	         "</title><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
	         size, size);
	for (int y = 0; y < w; y++) {
		for (int x = 0; x < w;) {
			/* Bit 0 of each module is dark/light; the other bits say what it is for. */
			if (!(q->data[y * w + x] & 1)) {
				x++;
				continue;
			}
			int run = 1;
			while (x + run < w && (q->data[y * w + x + run] & 1))
				run++;
			buf_addf(out, "M%d %dh%dv1h-%dz", x + QR_QUIET, y + QR_QUIET, run, run);
			x += run;
		}
	}
	buf_addstr(out, "\"/></svg>");
	QRcode_free(q);
	return 0;
}
