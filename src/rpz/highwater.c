/*
 * rpz/highwater.c - the highest version each zone was ever published at,
 * kept outside the database in DATA/rpz.serials, so that a database restored
 * from an older backup never publishes a serial its secondaries already hold.
 *
 * Without it a restore would take every zone back to an older serial: the
 * resolvers, holding a newer one, would never transfer again and would keep
 * blocking (or not blocking) what the restored orders no longer say. At
 * start (rpz_zones_sync()) a zone stored below its mark is raised above it
 * with an empty change, and its journal is cut there, so every secondary
 * takes one full transfer of the restored content.
 *
 * The file holds lines "zone version"; it is replaced atomically (a new file
 * renamed over it) under an flock, after every committed change, by
 * whichever process made it. Without a data directory (unit tests that do
 * not set one) nothing is kept.
 */
#include "rpz/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "store/store.h"

enum { MARKS_MAX = RPZ_MAX_ZONES * 4 };

struct mark {
	char zone[RPZ_NAME_MAX];
	int64_t version;
};

struct marks {
	struct mark m[MARKS_MAX];
	size_t n;
};

static char state_dir[1024];

void rpz_set_state_dir(const char *data_dir)
{
	str_copy(state_dir, sizeof(state_dir), data_dir ? data_dir : "");
}

static void path_of(char *out, size_t size, const char *suffix)
{
	snprintf(out, size, "%s/rpz.serials%s", state_dir, suffix);
}

static void mark_raise(struct marks *ms, const char *zone, int64_t version)
{
	for (size_t i = 0; i < ms->n; i++) {
		if (strcmp(ms->m[i].zone, zone) == 0) {
			if (version > ms->m[i].version)
				ms->m[i].version = version;
			return;
		}
	}
	if (ms->n == MARKS_MAX)
		return;
	str_copy(ms->m[ms->n].zone, sizeof(ms->m[0].zone), zone);
	ms->m[ms->n++].version = version;
}

/* The marks in the file; none when it is missing. Bad lines are skipped with a warning. */
static void marks_read(struct marks *ms)
{
	char path[1100], line[RPZ_NAME_MAX + 32], zone[RPZ_NAME_MAX];
	int64_t version;
	FILE *f;

	ms->n = 0;
	path_of(path, sizeof(path), "");
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%255s %" SCNd64, zone, &version) == 2 && version > 0)
			mark_raise(ms, zone, version);
		else
			log_warn("rpz: %s: ignoring the line '%.*s'", path, (int)strcspn(line, "\n"),
				line);
	}
	fclose(f);
}

static int marks_write(const struct marks *ms)
{
	char path[1100], tmp[1100];
	FILE *f;
	int ok;

	path_of(path, sizeof(path), "");
	path_of(tmp, sizeof(tmp), ".new");
	f = fopen(tmp, "w");
	if (!f)
		return ERR_IO;
	for (size_t i = 0; i < ms->n; i++)
		fprintf(f, "%s %" PRId64 "\n", ms->m[i].zone, ms->m[i].version);
	ok = fflush(f) == 0 && fsync(fileno(f)) == 0;
	ok = fclose(f) == 0 && ok;
	if (!ok || rename(tmp, path)) {
		unlink(tmp);
		return ERR_IO;
	}
	return 0;
}

/* The stored versions of every zone, raised into ms. */
static int marks_from_store(struct store_conn *c, struct marks *ms)
{
	struct store_stmt *st;
	int ret = store_query(c, &st, "SELECT name, version FROM rpz_zones", "");

	if (ret)
		return ret;
	while ((ret = store_step(st)) == STORE_ROW)
		mark_raise(ms, store_col_text(st, 0), store_col_int64(st, 1));
	store_finish(st);
	return ret;
}

static int lock_open(void)
{
	char path[1100];
	int fd;

	path_of(path, sizeof(path), ".lock");
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0 && flock(fd, LOCK_EX)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

void rpz_highwater_save(struct store_conn *c)
{
	struct marks *ms;
	int fd, ret;

	if (!state_dir[0])
		return;
	fd = lock_open();
	if (fd < 0) {
		log_error("rpz: cannot lock %s/rpz.serials.lock: %s", state_dir, strerror(errno));
		return;
	}
	ms = xcalloc(1, sizeof(*ms));
	marks_read(ms);
	ret = marks_from_store(c, ms);
	if (!ret)
		ret = marks_write(ms);
	if (ret)
		log_error("rpz: cannot record the published serials in %s/rpz.serials (%s)",
			state_dir, err_str(ret));
	free(ms);
	close(fd);
}

/* Raise one zone above mark: an empty change at mark + 1, the journal cut there. */
static int raise_zone(struct store_conn *c, const char *zone, int64_t stored, int64_t mark,
	struct rpz_notices *notices)
{
	char reason[160];
	int64_t id;
	int ret = store_query_int64(c, &id, "SELECT id FROM rpz_zones WHERE name = ?", "t", zone);

	if (ret)
		return ret == ERR_NOTFOUND ? 0 : ret; /* a mark of a zone no longer stored */
	log_warn("rpz: zone %s is stored at version %" PRId64 " but was published at %" PRId64
		 ": the database is older than the zone its secondaries hold (a restore?);"
		 " raising the serial so that they all transfer it in full",
		zone, stored, mark);
	ret = store_exec(c, "UPDATE rpz_zones SET version = ?, journal_floor = ? WHERE id = ?",
		"iii", mark, mark + 1, id);
	if (ret < 0)
		return ret;
	ret = store_exec(c, "DELETE FROM rpz_journal WHERE zone_id = ?", "i", id);
	if (ret < 0)
		return ret;
	snprintf(reason, sizeof(reason), "serial raised above %u, the last published before a restore",
		rpz_serial_of(mark));
	return rpz_zone_write(c, id, NULL, NULL, true, reason, notices);
}

int rpz_highwater_apply(struct store_conn *c, struct rpz_notices *notices)
{
	struct marks *ms, *now;
	int ret = 0;

	if (!state_dir[0])
		return 0;
	ms = xcalloc(1, sizeof(*ms));
	now = xcalloc(1, sizeof(*now));
	marks_read(ms);
	if (ms->n)
		ret = marks_from_store(c, now);
	for (size_t i = 0; !ret && i < ms->n; i++)
		for (size_t k = 0; !ret && k < now->n; k++)
			if (!strcmp(ms->m[i].zone, now->m[k].zone) && now->m[k].version < ms->m[i].version)
				ret = raise_zone(c, ms->m[i].zone, now->m[k].version, ms->m[i].version,
					notices);
	free(ms);
	free(now);
	return ret;
}

bool rpz_highwater_behind(struct store_conn *c)
{
	struct marks *ms, *now;
	bool behind = false;

	if (!state_dir[0])
		return false;
	ms = xcalloc(1, sizeof(*ms));
	now = xcalloc(1, sizeof(*now));
	marks_read(ms);
	if (ms->n && !marks_from_store(c, now))
		for (size_t i = 0; i < ms->n; i++)
			for (size_t k = 0; k < now->n; k++)
				if (!strcmp(ms->m[i].zone, now->m[k].zone) &&
					now->m[k].version < ms->m[i].version)
					behind = true;
	free(ms);
	free(now);
	return behind;
}
