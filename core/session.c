/* Opening a recorded session for reading. */
#include "core/session.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "core/store.h"

static void copy_col(sqlite3_stmt *stmt, int col, char *out, size_t size)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);

	snprintf(out, size, "%s", s ? (const char *)s : "");
}

int session_open(const char *path, sqlite3 **db, struct session_info *info, struct ior_err *err)
{
	sqlite3_stmt *stmt = NULL;
	struct stat st;
	int rc;

	*db = NULL;
	memset(info, 0, sizeof(*info));
	if (stat(path, &st))
		return ior_err_set(err, -errno, "%s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return ior_err_set(err, -EINVAL, "%s: not a regular file", path);
	if (st.st_size == 0)
		return ior_err_set(err, -EINVAL, "%s: empty file, not an ior session", path);
	if (sqlite3_open_v2(path, db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		rc = ior_err_set(err, -EIO, "%s: %s", path, sqlite3_errmsg(*db));
		goto fail;
	}
	rc = sqlite3_prepare_v2(
		*db,
		"SELECT schema_version, ior_version, kernel, arch, host, cmdline,"
		" target, start_ns, end_ns, events_recorded, events_lost FROM session",
		-1, &stmt, NULL);
	if (rc != SQLITE_OK) {
		const char *msg = sqlite3_errmsg(*db);

		if (rc == SQLITE_NOTADB)
			rc = ior_err_set(err, -EINVAL,
					 "%s: not an SQLite database, not an ior session", path);
		else if (strstr(msg, "no such table") || strstr(msg, "no such column"))
			rc = ior_err_set(err, -EINVAL, "%s: not an ior session (no session table)",
					 path);
		else
			rc = ior_err_set(err, -EIO, "%s: corrupt or unreadable session: %s", path,
					 msg);
		goto fail;
	}
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW) {
		rc = ior_err_set(err, -EINVAL, "%s: not an ior session (%s)", path,
				 rc == SQLITE_DONE ? "empty session table" : sqlite3_errmsg(*db));
		goto fail;
	}
	info->schema_version = sqlite3_column_int(stmt, 0);
	copy_col(stmt, 1, info->ior_version, sizeof(info->ior_version));
	copy_col(stmt, 2, info->kernel, sizeof(info->kernel));
	copy_col(stmt, 3, info->arch, sizeof(info->arch));
	copy_col(stmt, 4, info->host, sizeof(info->host));
	copy_col(stmt, 5, info->cmdline, sizeof(info->cmdline));
	copy_col(stmt, 6, info->target, sizeof(info->target));
	info->start_ns = (uint64_t)sqlite3_column_int64(stmt, 7);
	info->end_ns = (uint64_t)sqlite3_column_int64(stmt, 8);
	info->events_recorded = (uint64_t)sqlite3_column_int64(stmt, 9);
	info->events_lost = (uint64_t)sqlite3_column_int64(stmt, 10);
	sqlite3_finalize(stmt);
	stmt = NULL;
	if (info->schema_version < 1 || info->schema_version > STORE_SCHEMA_VERSION) {
		rc = ior_err_set(
			err, -EINVAL,
			"%s: session schema version %d is not one this ior reads (1 to %d)", path,
			info->schema_version, STORE_SCHEMA_VERSION);
		goto fail;
	}
	/* A session cut short (SIGKILL) has no end: the last event is the end. */
	if (!info->end_ns &&
	    sqlite3_prepare_v2(*db, "SELECT max(ts + coalesce(duration, 0)) FROM events", -1, &stmt,
			       NULL) == SQLITE_OK &&
	    sqlite3_step(stmt) == SQLITE_ROW) {
		info->end_ns = info->start_ns + (uint64_t)sqlite3_column_int64(stmt, 0);
	}
	sqlite3_finalize(stmt);
	return 0;
fail:
	sqlite3_finalize(stmt);
	sqlite3_close(*db);
	*db = NULL;
	return rc;
}
