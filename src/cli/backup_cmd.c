/*
 * cli/backup_cmd.c - `rootcut backup FILE`: a consistent online copy of the
 * database, checked and moved into place only when whole.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "base/err.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "store/store.h"

static int fsync_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int ret = fd >= 0 && fsync(fd) == 0 ? 0 : ERR_IO;

	if (fd >= 0)
		close(fd);
	return ret;
}

int cmd_backup(struct cli_ctx *ctx)
{
	const struct cli_command *self = cli_find("backup");
	struct err_msg err = ERR_MSG_INIT;
	const char *file = NULL;
	char partial[1024];
	bool force = false;
	int ret;

	for (int i = 1; i < ctx->argc; i++) {
		if (!strcmp(ctx->argv[i], "--force"))
			force = true;
		else if (ctx->argv[i][0] == '-' || file)
			return cli_usage_error(self, "unexpected argument '%s'", ctx->argv[i]);
		else
			file = ctx->argv[i];
	}
	if (!file)
		return cli_usage_error(self, "FILE is required");
	if (!force && access(file, F_OK) == 0) {
		err_set(&err, ERR_CONFLICT, "file", "'%s' exists (use --force to replace it)", file);
		return cli_fail(ERR_CONFLICT, &err, "backup");
	}
	snprintf(partial, sizeof(partial), "%s.partial", file);
	unlink(partial);
	ret = store_backup(ctx->store, partial, &err);
	if (!ret)
		ret = fsync_file(partial);
	if (!ret && rename(partial, file))
		ret = err_set(&err, ERR_IO, "file", "cannot move the copy to '%s': %s", file,
			strerror(errno));
	if (ret) {
		unlink(partial);
		return cli_fail(ret, &err, "backup");
	}
	printf("backup written to %s (integrity ok)\n", file);
	printf("keep DATA/audit.key with it: the audit chain is verified with that key\n");
	return 0;
}
