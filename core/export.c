/* Exports of a session: CSV rows and folded stacks, straight from SQL. */
#include "core/export.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/output.h"
#include "core/session.h"
#include "core/store.h"

/* Every column of events_v, in its order (ior(1) says so): a column the
 * view gains is exported without a change here. */
static const char csv_sql[] = "SELECT * FROM events_v ORDER BY id";

static const char folded_sql[] =
	"SELECT coalesce(comm, '?'), coalesce(family, 'Misc'), syscall, sum(duration_ns)"
	" FROM events_v GROUP BY 1, 2, 3 ORDER BY 1, 2, 3";

/* RFC 4180: quote a field that holds a comma, quote, CR or LF. Bytes are
 * written as recorded (a path may hold any byte but NUL). */
static void csv_field(FILE *out, const unsigned char *s, int len)
{
	bool quote = false;

	for (int i = 0; i < len && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
	if (!quote) {
		fwrite(s, 1, (size_t)len, out);
		return;
	}
	fputc('"', out);
	for (int i = 0; i < len; i++) {
		if (s[i] == '"')
			fputc('"', out);
		fputc(s[i], out);
	}
	fputc('"', out);
}

/* Folded stacks use ';' and ' ' as separators: replace them in names. */
static void folded_frame(FILE *out, const unsigned char *s, int len)
{
	for (int i = 0; i < len; i++)
		fputc(s[i] == ';' || s[i] == ' ' || s[i] == '\n' ? '_' : s[i], out);
}

static int write_rows(sqlite3 *db, sqlite3_stmt *stmt, bool csv, FILE *out, struct ior_err *err)
{
	int cols = sqlite3_column_count(stmt), rc;

	if (csv) {
		for (int c = 0; c < cols; c++)
			fprintf(out, "%s%s", c ? "," : "", sqlite3_column_name(stmt, c));
		fputc('\n', out);
	}
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		for (int c = 0; c < cols; c++) {
			const unsigned char *v = sqlite3_column_blob(stmt, c);
			int len = sqlite3_column_bytes(stmt, c);

			if (csv) {
				if (c)
					fputc(',', out);
				if (sqlite3_column_type(stmt, c) != SQLITE_NULL)
					csv_field(out, sqlite3_column_text(stmt, c), len);
			} else if (c < cols - 1) {
				folded_frame(out, v ? v : (const unsigned char *)"", len);
				fputc(c < cols - 2 ? ';' : ' ', out);
			} else {
				fprintf(out, "%lld", (long long)sqlite3_column_int64(stmt, c));
			}
		}
		fputc('\n', out);
	}
	if (rc != SQLITE_DONE)
		return ior_err_set(err, -EIO, "export: %s", sqlite3_errmsg(db));
	return 0;
}

int export_run(const char *format, const char *path, const char *out_path, bool force,
	       struct ior_err *err)
{
	bool csv = !strcmp(format, "csv");
	struct session_info info;
	sqlite3_stmt *stmt = NULL;
	FILE *out = stdout;
	struct stat in;
	sqlite3 *db;
	int rc, fd;

	if (!csv && strcmp(format, "folded") != 0)
		return ior_err_set(err, -EINVAL, "export: unknown format '%s' (csv or folded)",
				   format);
	if (out_path && !strcmp(out_path, "-"))
		out_path = NULL; /* "-o -": stdout, as usual */
	/* The output must not be the session itself, however named: with
	 * --force, creating it would first remove the session (issue 9). */
	if (out_path && stat(path, &in) == 0 && (rc = output_check(out_path, force, &in, err)))
		return rc;
	if ((rc = session_open(path, &db, &info, err)))
		return rc;
	if (sqlite3_prepare_v2(db, csv ? csv_sql : folded_sql, -1, &stmt, NULL) != SQLITE_OK) {
		rc = ior_err_set(err, -EIO, "%s: %s", path, sqlite3_errmsg(db));
		goto out;
	}
	if (out_path) {
		fd = store_create_file(out_path, force, err);
		if (fd < 0) {
			rc = fd;
			goto out;
		}
		output_give_to_sudo_user(fd);
		out = fdopen(fd, "w");
		if (!out) {
			rc = ior_err_set(err, -errno, "%s: %s", out_path, strerror(errno));
			close(fd);
			goto out;
		}
	}
	rc = write_rows(db, stmt, csv, out, err);
	/* A write error (a full disk, /dev/full) may have been met by any
	 * earlier write; fflush alone reports only the last buffer's. */
	if (!rc && (fd = output_flush_error(out)))
		rc = ior_err_set(err, -fd, "%s: write: %s", out_path ? out_path : "stdout",
				 strerror(fd));
out:
	if (out && out != stdout && fclose(out) && !rc)
		rc = ior_err_set(err, -errno, "%s: write: %s", out_path, strerror(errno));
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return rc;
}
