/*
 * cli.h - the placard command's subcommands. Each takes the arguments after its name and
 * returns the process exit status. These are the edges: they read the environment, print
 * and log; everything below them returns errors.
 */
#ifndef PLACARD_CLI_CLI_H
#define PLACARD_CLI_CLI_H

#include <stdbool.h>

#include "core/config.h"

int cli_serve(const struct config *cfg, int argc, char **argv);
int cli_migrate(const struct config *cfg, int argc, char **argv);
int cli_demo(const struct config *cfg, int argc, char **argv);
int cli_verify_log(const struct config *cfg, int argc, char **argv);
int cli_user(const struct config *cfg, int argc, char **argv);
int cli_import(const struct config *cfg, int argc, char **argv);
int cli_export(const struct config *cfg, int argc, char **argv);
int cli_text(const struct config *cfg, int argc, char **argv);
int cli_log(const struct config *cfg, int argc, char **argv);
int cli_witness(const struct config *cfg, int argc, char **argv);
int cli_log_keygen(const struct config *cfg, int argc, char **argv);
int cli_scheme(const struct config *cfg, int argc, char **argv);

struct rec;
struct rec_scheme_published;
/* Publish the scheme document at @path (rec_scheme_publish(), applying from @from or NULL,
 * logged or not). 0, or a negative errno with the reason in @err. */
int cli_scheme_publish_file(struct rec *r, const char *path, const char *from, bool logged,
                            struct rec_scheme_published *ret, char *err, size_t errsize);

/* True when argv has -h or --help; prints @usage then. */
bool cli_wants_help(int argc, char **argv, const char *usage);

#endif
