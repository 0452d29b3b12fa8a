/* build/gen_syscalls: generates the syscall table (core/syscalls_gen.c) and
 * docs/syscalls.md from gen/'s data, checks them for drift (--check), and
 * snapshots the kernel's tracepoint formats (--snapshot-formats). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "gen/gen.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: gen_syscalls --data DIR [--check] [--tracefs DIR] --out-c FILE "
		   "--out-doc FILE\n"
		   "       gen_syscalls --snapshot-formats TRACEFS [--out FILE]\n"
		   "\n"
		   "  --data DIR      gen/: syscall_64.tbl, syscall_aarch64.tbl, formats.txt,\n"
		   "                  rules.txt and the optional coverage.txt\n"
		   "  --out-c FILE    the C table (core/syscalls_gen.c)\n"
		   "  --out-doc FILE  its documentation (docs/syscalls.md)\n"
		   "  --check         write nothing; fail when FILEs differ from what would be\n"
		   "                  written, or when DIR/formats.txt differs from the running\n"
		   "                  kernel's formats (skipped when tracefs is not readable)\n"
		   "  --tracefs DIR   where tracefs is mounted (/sys/kernel/tracing)\n"
		   "  --snapshot-formats TRACEFS\n"
		   "                  print the condensed formats of TRACEFS's syscall events,\n"
		   "                  the content of gen/formats.txt\n");
}

static char *join(const char *dir, const char *file)
{
	struct gen_buf b = { 0 };

	gen_buf_printf(&b, "%s/%s", dir, file);
	return b.data;
}

static int load(struct gen_db *db, const char *data)
{
	char *x86 = join(data, "syscall_64.tbl"), *arm = join(data, "syscall_aarch64.tbl");
	char *rules = join(data, "rules.txt"), *formats = join(data, "formats.txt");
	char *coverage = join(data, "coverage.txt");
	int rc = -1;

	if (gen_read_tbl(db, x86, true) < 0 || gen_read_tbl(db, arm, false) < 0)
		goto out;
	gen_db_sort(db);
	if (gen_read_rules(db, rules) < 0)
		goto out;
	if (gen_formats_read_snapshot(&db->formats, formats) < 0)
		goto out;
	if (gen_apply_formats(db, formats, rules) < 0)
		goto out;
	if (gen_assign_roles(db, rules) < 0)
		goto out;
	if (access(coverage, F_OK) == 0 && gen_read_coverage(db, coverage) < 0)
		goto out;
	rc = 0;
out:
	free(x86);
	free(arm);
	free(rules);
	free(formats);
	free(coverage);
	return rc;
}

/* 0 when path holds exactly want, else -1 naming the first differing line. */
static int check_file(const char *path, const char *want)
{
	struct gen_buf have = { 0 };
	const char *a, *b;
	int line = 1, rc = 0;

	if (gen_read_file(path, &have) < 0)
		return gen_error(path, 0, "%s (run make gen)", strerror(errno));
	for (a = have.data, b = want; *a && *a == *b; a++, b++)
		if (*a == '\n')
			line++;
	if (*a || *b) {
		const char *la = a, *lb = b;

		while (la > have.data && la[-1] != '\n')
			la--;
		while (lb > want && lb[-1] != '\n')
			lb--;
		gen_error(path, line,
			  "differs from what gen/ generates (run make gen, or fix gen/):\n"
			  "  committed: %.*s\n  generated: %.*s",
			  (int)strcspn(la, "\n"), *la ? la : "<end of file>",
			  (int)strcspn(lb, "\n"), *lb ? lb : "<end of file>");
		rc = -1;
	}
	gen_buf_fini(&have);
	return rc;
}

static int check_live_formats(const struct gen_db *db, const char *tracefs, const char *data)
{
	struct gen_formats live = { 0 };
	char *snap = join(data, "formats.txt");
	int rc;

	if (gen_formats_read_live(&live, tracefs) < 0) {
		if (errno)
			fprintf(stderr,
				"gen_syscalls: note: %s/events/syscalls not readable (%s); "
				"not comparing gen/formats.txt with the running kernel\n",
				tracefs, strerror(errno));
		rc = errno ? 0 : -1;
	} else {
		rc = gen_formats_compare(&live, &db->formats, snap);
	}
	gen_formats_fini(&live);
	free(snap);
	return rc;
}

/* Replaces path with content unless it already holds exactly that. */
static int write_file(const char *path, const struct gen_buf *content)
{
	struct gen_buf old = { 0 }, tmp = { 0 };
	FILE *f;
	int rc = 0;

	if (gen_read_file(path, &old) == 0 && old.len == content->len &&
	    !memcmp(old.data, content->data, old.len)) {
		gen_buf_fini(&old);
		return 0;
	}
	gen_buf_fini(&old);
	gen_buf_printf(&tmp, "%s.tmp", path);
	f = fopen(tmp.data, "w");
	if (!f)
		rc = gen_error(tmp.data, 0, "%s", strerror(errno));
	else if (fwrite(content->data, 1, content->len, f) != content->len || fclose(f) != 0)
		rc = gen_error(tmp.data, 0, "write failed");
	else if (rename(tmp.data, path) < 0)
		rc = gen_error(path, 0, "%s", strerror(errno));
	if (rc < 0)
		unlink(tmp.data);
	gen_buf_fini(&tmp);
	return rc;
}

static int snapshot(const char *tracefs, const char *out_path)
{
	struct gen_formats f = { 0 };
	struct gen_buf out = { 0 }, source = { 0 };
	struct utsname u;
	int rc = 0;

	if (gen_formats_read_live(&f, tracefs) < 0) {
		if (errno)
			gen_error(tracefs, 0, "events/syscalls: %s", strerror(errno));
		gen_formats_fini(&f);
		return -1;
	}
	if (uname(&u) == 0)
		gen_buf_printf(&source, "Linux %s, %s", u.release, u.machine);
	else
		gen_buf_puts(&source, "Linux");
	gen_formats_write(&f, source.data, &out);
	if (out_path)
		rc = write_file(out_path, &out);
	else if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0)
		rc = gen_error("stdout", 0, "write failed");
	gen_formats_fini(&f);
	gen_buf_fini(&out);
	gen_buf_fini(&source);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "out-c", required_argument, NULL, 'c' },
		{ "out-doc", required_argument, NULL, 'm' },
		{ "check", no_argument, NULL, 'k' },
		{ "tracefs", required_argument, NULL, 't' },
		{ "snapshot-formats", required_argument, NULL, 's' },
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *data = NULL, *out_c = NULL, *out_doc = NULL, *snap = NULL, *out = NULL;
	const char *tracefs = "/sys/kernel/tracing";
	struct gen_buf c = { 0 }, doc = { 0 };
	struct gen_db db = { 0 };
	bool check = false;
	int opt, rc = 0;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			data = optarg;
			break;
		case 'c':
			out_c = optarg;
			break;
		case 'm':
			out_doc = optarg;
			break;
		case 'k':
			check = true;
			break;
		case 't':
			tracefs = optarg;
			break;
		case 's':
			snap = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "gen_syscalls: unexpected argument %s\n", argv[optind]);
		return 2;
	}
	if (snap)
		return snapshot(snap, out) < 0 ? 1 : 0;
	if (!data || !out_c || !out_doc) {
		usage(stderr);
		return 2;
	}
	if (load(&db, data) < 0) {
		gen_db_fini(&db);
		return 1;
	}
	gen_emit_c(&db, &c);
	gen_emit_doc(&db, &doc);
	if (check) {
		if (check_file(out_c, c.data) < 0 || check_file(out_doc, doc.data) < 0 ||
		    check_live_formats(&db, tracefs, data) < 0)
			rc = 1;
	} else if (write_file(out_c, &c) < 0 || write_file(out_doc, &doc) < 0) {
		rc = 1;
	}
	gen_buf_fini(&c);
	gen_buf_fini(&doc);
	gen_db_fini(&db);
	return rc;
}
