/*
 * cli/cli.h - what every subcommand receives, and the helpers they share:
 * option parsing, usage, errors on stderr, tables and progress bars.
 *
 * A command handler parses its options, calls its module, prints, and
 * returns the process exit status (0 = success). Only src/cli/ and the
 * *_cmd.c files print; only main() exits.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "config/config.h"

struct err_msg;
struct store;

/* What main() prepares before calling a command (see commands.c). */
enum cli_flags {
	CLI_CONFIG = 1 << 0,  /* load the configuration */
	CLI_STORE = 1 << 1,   /* open the database (which must exist) and migrate it */
	CLI_CREATE = 1 << 2,  /* with CLI_STORE: create the data directory and database */
};

struct cli_ctx {
	const char *data_dir;
	const char *config_path; /* --config, or NULL for <data>/rootcut.conf if present */
	struct config cfg;
	struct store *store;
	int argc;                /* argv[0] is the command name */
	char **argv;
};

struct cli_command {
	const char *name;
	int (*run)(struct cli_ctx *ctx);
	unsigned flags;
	const char *summary;     /* one line for `rootcut --help` */
	const char *usage;       /* the full --help text */
};

/* The command table (commands.c). */
const struct cli_command *cli_commands(size_t *n);

/* Print "rootcut: <what>: <reason>" (with the field) to stderr and return the exit status for code. */
int cli_fail(int code, const struct err_msg *err, const char *what);
/* Print a printf-style message to stderr and return exit status 2 (usage error). */
int cli_usage_error(const struct cli_command *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* True when argv holds -h or --help; prints the usage of cmd then. */
bool cli_wants_help(const struct cli_ctx *ctx, const struct cli_command *cmd);
/* The command named name. */
const struct cli_command *cli_find(const char *name);

/* Draw a progress bar on stderr when it is a terminal: label [#####     ] 42% done/total. */
void cli_progress(const char *label, int64_t done, int64_t total);

/* Print an ASCII table: header then rows (each ncols strings), columns padded by display width. */
void cli_table(FILE *out, int ncols, const char *const *header, const char *const *cells,
	size_t nrows);

/* Console identity for audit events of CLI commands: "console:<os user>". */
const char *cli_actor(void);

/* The schemas and route tables of every module (modules.c). */
struct store_module_schema;
struct http_route_table;
const struct store_module_schema *cli_schemas(size_t *n);
const struct http_route_table *cli_route_tables(size_t *n);
