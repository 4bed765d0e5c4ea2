/*
 * logkey.c - placard log keygen: a new Ed25519 key for signing the log's checkpoints, in
 * the note formats (domain/tlog.h): the signer key into a new file only its owner may read,
 * the verifier key, which the public checks checkpoints with, on standard output.
 */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "core/crypto.h"
#include "core/util.h"
#include "domain/tlog.h"

static const char keygen_usage[] =
        "usage: placard log keygen [--origin NAME] FILE\n"
        "\n"
        "Make a new key for signing the public log's checkpoints and write it to FILE, which\n"
        "must not exist (created with mode 0600). The key is named after the log's origin,\n"
        "NAME or PLACARD_LOG_ORIGIN (e.g. placard.example.gov/log): no spaces, no '+'.\n"
        "Prints the verifier key (NAME+HASH+KEY) that checkpoints are checked with; the\n"
        "server publishes it at GET /api/v1/log/key. Serve with PLACARD_LOG_KEY=FILE.\n";

int cli_log_keygen(const struct config *cfg, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, keygen_usage))
		return 0;
	const char *origin = cfg->log_origin, *file = NULL;
	for (int i = 1; i < argc; i++) {
		if (streq(argv[i], "--origin") && i + 1 < argc) {
			origin = argv[++i];
		} else if (!file && argv[i][0] != '-') {
			file = argv[i];
		} else {
			fputs(keygen_usage, stderr);
			return 2;
		}
	}
	if (!file || !origin) {
		fprintf(stderr, "placard log keygen: give %s\n\n%s",
		        file ? "the origin (--origin NAME or PLACARD_LOG_ORIGIN)" : "the FILE",
		        keygen_usage);
		return 2;
	}
	crypto_init();
	unsigned char seed[32];
	randombytes_buf(seed, sizeof(seed));
	struct tlog_key k;
	int rc = tlog_key_from_seed(origin, seed, &k);
	sodium_memzero(seed, sizeof(seed));
	if (rc < 0) {
		fprintf(stderr,
		        "placard log keygen: \"%s\" cannot name a key: 1 to 255 bytes, no spaces, "
		        "no '+', no control characters\n",
		        origin);
		return 2;
	}
	struct buf skey = BUF_INIT, vkey = BUF_INIT;
	tlog_key_skey(&k, &skey);
	buf_addch(&skey, '\n');
	tlog_key_vkey(&k, &vkey);
	sodium_memzero(&k, sizeof(k));
	int status = 0;
	int fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		fprintf(stderr, "placard log keygen: cannot create %s: %s\n", file,
		        strerror(errno));
		status = 1;
	} else if (write(fd, skey.data, skey.len) != (ssize_t)skey.len || fsync(fd) < 0) {
		fprintf(stderr, "placard log keygen: cannot write %s: %s\n", file, strerror(errno));
		unlink(file);
		status = 1;
	}
	if (fd >= 0 && close(fd) < 0 && status == 0) {
		fprintf(stderr, "placard log keygen: cannot write %s: %s\n", file, strerror(errno));
		status = 1;
	}
	sodium_memzero(skey.data, skey.len);
	buf_release(&skey);
	if (status == 0)
		printf("%s\n", vkey.data);
	buf_release(&vkey);
	return status;
}
