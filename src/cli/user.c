/*
 * user.c - placard user: add staff accounts and list them, from the command line. This is
 * how the first admin account is made; later ones can also be added through the API.
 *
 * The password is read from the first line of standard input, so that it never appears in
 * the process list or the shell history:
 *
 *     printf '%s\n' "$PASSWORD" | placard user add ann --role inspector
 *
 * Exit status: 0 done, 1 the database refused or could not be reached, 2 bad usage or input.
 */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/crypto.h"
#include "cli/cli.h"
#include "core/arena.h"
#include "core/util.h"
#include "domain/auth.h"
#include "store/store.h"

static const char user_usage[] =
        "usage: placard user add NAME --role ROLE [--display-name TEXT]\n"
        "       placard user list\n"
        "\n"
        "Add a staff account to PLACARD_DATABASE_URL, or list the accounts.\n"
        "\n"
        "add reads the password from the first line of standard input: at least 12\n"
        "characters, at most 1024 bytes. NAME is 1 to 64 of the letters A-Z, digits and\n"
        ". _ - @, unique regardless of case. ROLE is one of " AUTH_ROLE_NAMES ".\n"
        "The display name defaults to NAME.\n";

/*
 * Read the first line of @in without its line end into malloc'd memory. 0 with *@ret_line
 * and *@ret_len set, or -ENODATA when @in is empty.
 */
static int read_password(FILE *in, char **ret_line, size_t *ret_len)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, in);
	if (n < 0) {
		free(line);
		return -ENODATA;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	*ret_line = line;
	*ret_len = (size_t)n;
	return 0;
}

static int user_add(const struct config *cfg, int argc, char **argv)
{
	const char *name = NULL, *role_text = NULL, *display_name = NULL, *why;
	for (int i = 2; i < argc; i++) {
		if (streq(argv[i], "--role") && i + 1 < argc) {
			role_text = argv[++i];
		} else if (streq(argv[i], "--display-name") && i + 1 < argc) {
			display_name = argv[++i];
		} else if (argv[i][0] != '-' && !name) {
			name = argv[i];
		} else {
			fprintf(stderr, "placard user add: unexpected argument \"%s\"\n\n%s",
			        argv[i], user_usage);
			return 2;
		}
	}
	if (!name || !role_text) {
		fprintf(stderr, "placard user add: %s is required\n\n%s",
		        !name ? "a NAME" : "--role ROLE", user_usage);
		return 2;
	}
	if (!display_name)
		display_name = name;
	enum auth_role role;
	if (auth_username_check(name, &why) < 0) {
		fprintf(stderr, "placard user add: %s\n", why);
		return 2;
	}
	if (auth_display_name_check(display_name, &why) < 0) {
		fprintf(stderr, "placard user add: %s\n", why);
		return 2;
	}
	if (auth_role_parse(role_text, &role) < 0) {
		fprintf(stderr, "placard user add: unknown role \"%s\"; the roles are %s\n",
		        role_text, AUTH_ROLE_NAMES);
		return 2;
	}

	char *password = NULL;
	size_t len = 0;
	if (read_password(stdin, &password, &len) < 0) {
		fprintf(stderr, "placard user add: no password on standard input\n");
		return 2;
	}
	int status = 2;
	char hash[128];
	struct store *s = NULL;
	struct arena *a = arena_new();
	if (auth_password_check(password, len, &why) < 0) {
		fprintf(stderr, "placard user add: %s\n", why);
		goto out;
	}
	status = 1;
	if (password_hash(password, len, hash) < 0) {
		fprintf(stderr, "placard user add: not enough memory to hash the password\n");
		goto out;
	}
	char err[512];
	if (store_open(cfg->database_url, &s, err, sizeof(err)) < 0) {
		fprintf(stderr, "placard user add: %s\n", err);
		goto out;
	}
	const char *const params[] = { name, display_name, auth_role_name(role), hash };
	struct store_result *r;
	int rc = store_exec(s, a, STMT_STAFF_CREATE, params, &r);
	if (rc == -EEXIST) {
		fprintf(stderr, "placard user add: a staff member named \"%s\" already exists\n",
		        name);
		goto out;
	}
	if (rc < 0) {
		fprintf(stderr, "placard user add: %s\n", store_error_message(s));
		goto out;
	}
	printf("placard user add: added %s (%s), id %s\n", store_get(r, 0, "username"),
	       store_get(r, 0, "role"), store_get(r, 0, "id"));
	status = 0;
out:
	sodium_memzero(password, len);
	free(password);
	store_close(s);
	arena_destroy(a);
	return status;
}

static int user_list(const struct config *cfg, int argc, char **argv)
{
	(void)argv;
	if (argc > 2) {
		fprintf(stderr, "placard user list: takes no arguments\n\n%s", user_usage);
		return 2;
	}
	struct store *s;
	char err[512];
	if (store_open(cfg->database_url, &s, err, sizeof(err)) < 0) {
		fprintf(stderr, "placard user list: %s\n", err);
		return 1;
	}
	struct arena *a = arena_new();
	struct store_result *r;
	int status = 1;
	if (store_exec(s, a, STMT_STAFF_LIST, NULL, &r) < 0) {
		fprintf(stderr, "placard user list: %s\n", store_error_message(s));
		goto out;
	}
	printf("%-6s %-24s %-16s %-8s %-20s %s\n", "id", "username", "role", "active", "created",
	       "display name");
	int c_id = store_column(r, "id"), c_username = store_column(r, "username"),
	    c_display = store_column(r, "display_name"), c_role = store_column(r, "role"),
	    c_active = store_column(r, "active"), c_created = store_column(r, "created_at");
	for (int i = 0; i < store_nrows(r); i++)
		printf("%-6s %-24s %-16s %-8s %-20s %s\n", store_value(r, i, c_id),
		       store_value(r, i, c_username), store_value(r, i, c_role),
		       streq(store_value(r, i, c_active), "t") ? "yes" : "no",
		       store_value(r, i, c_created), store_value(r, i, c_display));
	status = 0;
out:
	arena_destroy(a);
	store_close(s);
	return status;
}

int cli_user(const struct config *cfg, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, user_usage))
		return 0;
	if (sodium_init() < 0) {
		fprintf(stderr, "placard user: libsodium could not be initialised\n");
		return 1;
	}
	if (argc >= 2 && streq(argv[1], "add"))
		return user_add(cfg, argc, argv);
	if (argc >= 2 && streq(argv[1], "list"))
		return user_list(cfg, argc, argv);
	fprintf(stderr, "%s", user_usage);
	return 2;
}
