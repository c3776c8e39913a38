/*
 * tests/unit/testutil.h - helpers shared by the unit test folders: a private
 * temporary directory per test, files written into it, and the environment
 * cleared of ROOTCUT_* variables so a developer's shell cannot change results.
 *
 * Header-only (static inline) because each tests/unit/<module>/ folder links
 * into its own binary from the .c files of that folder alone.
 */
#pragma once
#include <criterion/criterion.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

extern char **environ;

/* A new empty directory under $TMPDIR (or /tmp); remove it with tu_rmdir(). */
static inline char *tu_mkdtemp(void)
{
	const char *base = getenv("TMPDIR");
	char path[512];
	char *dir;

	snprintf(path, sizeof(path), "%s/rootcut-unit-XXXXXX", base && *base ? base : "/tmp");
	dir = mkdtemp(path);
	cr_assert_not_null(dir, "cannot create a temporary directory from '%s'", path);
	return strdup(dir);
}

static inline int tu_rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st, (void)type, (void)ftw;
	return remove(path);
}

/* Remove dir and everything below it, and free the string. Accepts NULL. */
static inline void tu_rmdir(char *dir)
{
	if (!dir)
		return;
	nftw(dir, tu_rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
}

/* Write text into dir/name; returns the full path (malloc'ed). */
static inline char *tu_write_file(const char *dir, const char *name, const char *text)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	cr_assert_not_null(f, "cannot write '%s'", path);
	fputs(text, f);
	fclose(f);
	return strdup(path);
}

/* Unset every ROOTCUT_* variable of the environment. */
static inline void tu_clear_rootcut_env(void)
{
	for (;;) {
		char *name;
		char **e;
		for (e = environ; *e; e++)
			if (strncmp(*e, "ROOTCUT_", 8) == 0)
				break;
		if (!*e)
			return;
		name = strndup(*e, strcspn(*e, "="));
		cr_assert_eq(unsetenv(name), 0, "cannot unset '%s'", name);
		free(name);
	}
}
