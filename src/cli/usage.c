/*
 * cli/usage.c - helpers shared by every subcommand: errors on stderr, --help,
 * progress bars and plain-text tables.
 */
#include "cli/cli.h"

#include <pwd.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/str.h"

int cli_fail(int code, const struct err_msg *err, const char *what)
{
	if (err && err->message[0] && err->field[0])
		fprintf(stderr, "rootcut: %s: %s: %s\n", what, err->field, err->message);
	else if (err && err->message[0])
		fprintf(stderr, "rootcut: %s: %s\n", what, err->message);
	else
		fprintf(stderr, "rootcut: %s: %s\n", what, err_str(code));
	return err_exit_code(code) ? err_exit_code(code) : 1;
}

int cli_usage_error(const struct cli_command *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "rootcut %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(see `rootcut %s --help`)\n", cmd->name);
	return 2;
}

bool cli_wants_help(const struct cli_ctx *ctx, const struct cli_command *cmd)
{
	for (int i = 1; i < ctx->argc; i++) {
		if (!strcmp(ctx->argv[i], "--help") || !strcmp(ctx->argv[i], "-h")) {
			fputs(cmd->usage, stdout);
			return true;
		}
	}
	return false;
}

const struct cli_command *cli_find(const char *name)
{
	size_t n;
	const struct cli_command *cmds = cli_commands(&n);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
	return NULL;
}

void cli_progress(const char *label, int64_t done, int64_t total)
{
	const int width = 30;
	int filled;

	if (!isatty(STDERR_FILENO) || total <= 0)
		return;
	filled = (int)(done * width / total);
	fprintf(stderr, "\r%s [", label);
	for (int i = 0; i < width; i++)
		fputc(i < filled ? '#' : ' ', stderr);
	fprintf(stderr, "] %3d%% %lld/%lld", (int)(done * 100 / total), (long long)done,
		(long long)total);
	if (done >= total)
		fputc('\n', stderr);
	fflush(stderr);
}

/* Display width of UTF-8 text: CJK characters take two columns. */
static int display_width(const char *s)
{
	int w = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p & 0xc0) == 0x80)
			continue;
		w += *p >= 0xe0 ? 2 : 1; /* 3- and 4-byte sequences here are mostly CJK */
	}
	return w;
}

void cli_table(FILE *out, int ncols, const char *const *header, const char *const *cells,
	size_t nrows)
{
	int widths[32] = { 0 };

	if (ncols > 32)
		ncols = 32;
	for (int c = 0; c < ncols; c++) {
		widths[c] = display_width(header[c]);
		for (size_t r = 0; r < nrows; r++) {
			int w = display_width(cells[r * (size_t)ncols + (size_t)c]);
			widths[c] = w > widths[c] ? w : widths[c];
		}
	}
	for (size_t r = 0; r <= nrows; r++) {
		const char *const *row = r ? &cells[(r - 1) * (size_t)ncols] : header;
		for (int c = 0; c < ncols; c++) {
			int pad = widths[c] - display_width(row[c]);
			fprintf(out, "%s%*s%s", row[c], c + 1 < ncols ? pad : 0, "",
				c + 1 < ncols ? "  " : "\n");
		}
	}
}

const char *cli_actor(void)
{
	static char actor[80];
	struct passwd *pw;

	if (!actor[0]) {
		const char *sudo = getenv("SUDO_USER");
		pw = getpwuid(getuid());
		/* Under sudo -u rootcut, name the operator who ran it, not the service account. */
		if (sudo && *sudo && pw && strcmp(sudo, pw->pw_name))
			snprintf(actor, sizeof(actor), "console:%s(as %s)", sudo, pw->pw_name);
		else
			snprintf(actor, sizeof(actor), "console:%s", pw ? pw->pw_name : "unknown");
	}
	return actor;
}
