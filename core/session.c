/* Opening a recorded session for reading. */
#include "core/session.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/store.h"
#include "core/syscalls.h"
#include "core/xalloc.h"

static void copy_col(sqlite3_stmt *stmt, int col, char *out, size_t size)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);

	snprintf(out, size, "%s", s ? (const char *)s : "");
}

/* The first size bytes of path (the SQLite header; zeros past its end),
 * or a negative errno. Through SQLite's own file layer, never open(2) and
 * close(2): closing any descriptor of a file drops this process's POSIX
 * locks on it, and the live UI reads the session its own writer holds. */
static int read_header(const char *path, unsigned char *hdr, size_t size)
{
	sqlite3_vfs *vfs = sqlite3_vfs_find(NULL);
	sqlite3_file *f;
	int rc, flags = 0;

	if (access(path, R_OK))
		return -errno;
	if (!vfs)
		return -EIO;
	f = xcalloc(1, (size_t)vfs->szOsFile);
	rc = vfs->xOpen(vfs, path, f, SQLITE_OPEN_READONLY | SQLITE_OPEN_MAIN_DB, &flags);
	if (rc == SQLITE_OK)
		rc = f->pMethods->xRead(f, hdr, (int)size, 0);
	if (f->pMethods)
		f->pMethods->xClose(f);
	free(f);
	if (rc == SQLITE_IOERR_SHORT_READ)
		return 0; /* hdr zero-filled: no SQLite header */
	return rc == SQLITE_OK ? (int)size : -EIO;
}

/* A "file:" URI for path with mode=ro, and immutable=1 when asked. */
static void uri_of(const char *path, bool immutable, char *out, size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t pos = 0;

	pos += (size_t)snprintf(out, size, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p && pos + 4 < size; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("/._-", *p)) {
			out[pos++] = (char)*p;
		} else {
			out[pos++] = '%';
			out[pos++] = hex[*p >> 4];
			out[pos++] = hex[*p & 15];
		}
	}
	snprintf(out + pos, size - pos, "?mode=ro%s", immutable ? "&immutable=1" : "");
}

/* Does a write-ahead log with content lie beside path? */
static bool wal_has_content(const char *path)
{
	char wal[4200];
	struct stat st;

	snprintf(wal, sizeof(wal), "%s-wal", path);
	return stat(wal, &st) == 0 && st.st_size > 0;
}

/* This build's name for its arch, as uname(2) gives it (session.arch). */
#if defined(__x86_64__)
#define NATIVE_ARCH "x86_64"
#elif defined(__aarch64__)
#define NATIVE_ARCH "aarch64"
#else
#define NATIVE_ARCH "unknown"
#endif

static int16_t nr_by_arch(const char *arch, int nr)
{
	for (size_t i = 0; i < syscall_table_len; i++) {
		const struct syscall_info *s = &syscall_table[i];

		if ((!strcmp(arch, "x86_64") && s->nr_x86_64 == nr) ||
		    (!strcmp(arch, "aarch64") && s->nr_aarch64 == nr))
			return (int16_t)syscall_native_nr(s);
	}
	return SYSCALL_NR_NONE;
}

/* Fill info's syscall number map (see session.h): an aarch64 session read
 * here must not be named with x86_64's numbers (issue 9). */
static int load_nr_map(sqlite3 *db, const char *path, struct session_info *info,
		       struct ior_err *err)
{
	sqlite3_stmt *stmt;
	int rc;

	info->nr_identity = !info->arch[0] || !strcmp(info->arch, NATIVE_ARCH);
	if (info->nr_identity)
		return 0;
	for (int nr = 0; nr < IOR_NR_MAX; nr++)
		info->nr_native[nr] = nr_by_arch(info->arch, nr);
	if (sqlite3_prepare_v2(db, "SELECT nr, name FROM syscalls", -1, &stmt, NULL))
		return ior_err_set(err, -EIO, "%s: syscalls: %s", path, sqlite3_errmsg(db));
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int nr = sqlite3_column_int(stmt, 0);
		const char *name = (const char *)sqlite3_column_text(stmt, 1);
		const struct syscall_info *s = name ? syscall_by_name(name) : NULL;

		if (nr >= 0 && nr < IOR_NR_MAX)
			info->nr_native[nr] = s ? (int16_t)syscall_native_nr(s) : SYSCALL_NR_NONE;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE)
		return ior_err_set(err, -EIO, "%s: syscalls: %s", path, sqlite3_errmsg(db));
	return 0;
}

int session_native_nr(const struct session_info *info, int nr)
{
	if (info->nr_identity)
		return nr;
	return nr >= 0 && nr < IOR_NR_MAX ? info->nr_native[nr] : SYSCALL_NR_NONE;
}

int session_open(const char *path, sqlite3 **db, struct session_info *info, struct ior_err *err)
{
	static const char magic[] = "SQLite format 3";
	unsigned char hdr[100];
	sqlite3_stmt *stmt = NULL;
	char uri[8192];
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
	/* Before SQLite sees it: a file we may not read is said to be so (not
	 * "corrupt"), and a file that is not SQLite at all gets no -wal and
	 * -shm left beside it. */
	rc = read_header(path, hdr, sizeof(hdr));
	if (rc < 0)
		return ior_err_set(err, rc, "%s: %s", path, strerror(-rc));
	if (memcmp(hdr, magic, sizeof(magic)))
		return ior_err_set(err, -EINVAL, "%s: not an SQLite database, not an ior session",
				   path);
	/* Readers never write beside the session (issue 9). A finished
	 * session is in rollback mode and opens read-only as it is. One in WAL
	 * mode whose log is gone or empty (an older ior's finished session)
	 * would make SQLite create the -wal and -shm files: nobody writes it,
	 * so read it as immutable. A log with content (a session being
	 * recorded, or cut short) must be read through, with its -shm. */
	uri_of(path, hdr[18] == 2 && !wal_has_content(path), uri, sizeof(uri));
	if (sqlite3_open_v2(uri, db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK) {
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
		else if (rc == SQLITE_CANTOPEN || rc == SQLITE_PERM || rc == SQLITE_READONLY)
			rc = ior_err_set(err, -EACCES, "%s: cannot open: %s (%s)", path, msg,
					 strerror(sqlite3_system_errno(*db)));
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
	/* Columns added within schema 1: absent from older sessions. */
	if (sqlite3_prepare_v2(*db, "SELECT writer_stalls, writer_stall_ns FROM session", -1, &stmt,
			       NULL) == SQLITE_OK &&
	    sqlite3_step(stmt) == SQLITE_ROW) {
		info->writer_stalls = (uint64_t)sqlite3_column_int64(stmt, 0);
		info->writer_stall_ns = (uint64_t)sqlite3_column_int64(stmt, 1);
	}
	sqlite3_finalize(stmt);
	stmt = NULL;
	if ((rc = load_nr_map(*db, path, info, err)))
		goto fail;
	/* A session cut short (SIGKILL) has no end: end_ns stays 0, so that
	 * readers can say so, and the last event gives last_ns. */
	info->last_ns = info->end_ns;
	if (!info->end_ns &&
	    sqlite3_prepare_v2(*db, "SELECT max(ts + coalesce(duration, 0)) FROM events", -1, &stmt,
			       NULL) == SQLITE_OK &&
	    sqlite3_step(stmt) == SQLITE_ROW) {
		info->last_ns = info->start_ns + (uint64_t)sqlite3_column_int64(stmt, 0);
	}
	sqlite3_finalize(stmt);
	return 0;
fail:
	sqlite3_finalize(stmt);
	sqlite3_close(*db);
	*db = NULL;
	return rc;
}
