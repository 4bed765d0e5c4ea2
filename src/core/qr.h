/*
 * qr.h - QR codes as SVG, for the printable grade card: libqrencode makes the modules,
 * this draws them as one SVG path with the quiet zone the standard asks for.
 *
 * Core layer: no HTTP, no database.
 */
#ifndef PLACARD_CORE_QR_H
#define PLACARD_CORE_QR_H

#include "core/buf.h"

/* The longest text qr_svg() encodes: a URL with room to spare, well inside version 10. */
#define QR_TEXT_MAX 200

/*
 * Append to @out an SVG image of @text (UTF-8, 1..QR_TEXT_MAX bytes) as a QR code at error
 * correction level M, one unit per module plus a four-module quiet zone, black on white.
 * The image has role="img" and a <title> saying what it links to. Returns 0, -EINVAL for
 * an empty or over-long @text (nothing appended), or -ENOMEM when libqrencode fails.
 */
int qr_svg(const char *text, struct buf *out);

#endif
