/* Tracepoint formats: read live from tracefs, written to and read from the
 * condensed snapshot gen/formats.txt, compared with each other. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen/gen.h"

static struct gen_format *formats_add(struct gen_formats *f, const char *name, size_t len)
{
	struct gen_format *fmt;

	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 512;
		f->v = realloc(f->v, f->cap * sizeof(*f->v));
		if (!f->v) {
			fprintf(stderr, "gen_syscalls: out of memory\n");
			abort();
		}
	}
	fmt = &f->v[f->n++];
	memset(fmt, 0, sizeof(*fmt));
	fmt->name = gen_xstrndup(name, len);
	return fmt;
}

static void trim(const char **s, const char **e)
{
	while (*s < *e && (**s == ' ' || **s == '\t'))
		(*s)++;
	while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t'))
		(*e)--;
}

/* "const char * filename" in [s, e): the name is the last word. Returns the
 * name's start, or NULL when there is no type or no name. */
static const char *split_field(const char **s, const char **e)
{
	const char *sp;

	trim(s, e);
	for (sp = *e; sp > *s && sp[-1] != ' '; sp--)
		;
	return sp == *s || sp == *e ? NULL : sp;
}

static int add_field(struct gen_format *fmt, const char *s, const char *e)
{
	const char *name = split_field(&s, &e);
	const char *type_end = name;

	if (!name || fmt->nargs == GEN_MAX_ARGS)
		return -1;
	fmt->arg[fmt->nargs].name = gen_xstrndup(name, (size_t)(e - name));
	trim(&s, &type_end);
	fmt->arg[fmt->nargs].type = gen_xstrndup(s, (size_t)(type_end - s));
	fmt->nargs++;
	return 0;
}

static int cmp_format(const void *a, const void *b)
{
	return strcmp(((const struct gen_format *)a)->name, ((const struct gen_format *)b)->name);
}

const struct gen_format *gen_formats_find(const struct gen_formats *f, const char *name)
{
	struct gen_format key = { .name = (char *)name };

	if (!f->n)
		return NULL;
	return bsearch(&key, f->v, f->n, sizeof(*f->v), cmp_format);
}

/* One line of the snapshot: name(type name, type name, ...). */
static int parse_snapshot_line(struct gen_formats *f, const char *line, const char *end)
{
	const char *open, *close;
	struct gen_format *fmt;

	trim(&line, &end);
	open = memchr(line, '(', (size_t)(end - line));
	if (!open || open == line || end[-1] != ')')
		return -1;
	close = end - 1;
	fmt = formats_add(f, line, (size_t)(open - line));
	for (const char *s = open + 1; s < close;) {
		const char *comma = memchr(s, ',', (size_t)(close - s));
		const char *e = comma ? comma : close;

		if (add_field(fmt, s, e) < 0)
			return -1;
		s = e + 1;
	}
	return 0;
}

int gen_formats_read_snapshot(struct gen_formats *f, const char *path)
{
	struct gen_buf b = { 0 };
	int line = 0, rc = 0;

	if (gen_read_file(path, &b) < 0)
		return gen_error(path, 0, "%s", strerror(errno));
	for (char *s = b.data; *s;) {
		char *nl = strchr(s, '\n');
		char *e = nl ? nl : s + strlen(s);

		line++;
		if (e > s && *s != '#' && parse_snapshot_line(f, s, e) < 0) {
			rc = gen_error(path, line, "expected name(type arg, ...)");
			break;
		}
		s = nl ? nl + 1 : e;
	}
	gen_buf_fini(&b);
	if (rc == 0) {
		qsort(f->v, f->n, sizeof(*f->v), cmp_format);
		for (size_t i = 1; i < f->n; i++)
			if (!strcmp(f->v[i - 1].name, f->v[i].name))
				return gen_error(path, 0, "%s is listed twice", f->v[i].name);
	}
	return rc;
}

/* The fields every event has (common_*) and the syscall number are not args. */
static bool skip_field(const char *s, const char *e)
{
	const char *name = split_field(&s, &e);
	size_t len = name ? (size_t)(e - name) : 0;

	if (!name)
		return false; /* let add_field report it */
	return !strncmp(name, "common_", 7) || (len == 12 && !strncmp(name, "__syscall_nr", len));
}

/* One sys_enter_<name>/format file: the fields after __syscall_nr. */
static int read_format_file(struct gen_formats *f, const char *path, const char *name)
{
	struct gen_buf b = { 0 };
	struct gen_format *fmt;
	int rc = 0;

	if (gen_read_file(path, &b) < 0)
		return gen_error(path, 0, "%s", strerror(errno));
	fmt = formats_add(f, name, strlen(name));
	for (char *s = strstr(b.data, "field:"); s; s = strstr(s, "field:")) {
		char *semi = strchr(s, ';');

		s += strlen("field:");
		if (!semi) {
			rc = gen_error(path, 0, "field without ';'");
			break;
		}
		if (skip_field(s, semi)) {
			s = semi;
			continue;
		}
		if (add_field(fmt, s, semi) < 0) {
			rc = gen_error(path, 0, "cannot parse field or more than %d of them",
				       GEN_MAX_ARGS);
			break;
		}
		s = semi;
	}
	gen_buf_fini(&b);
	return rc;
}

int gen_formats_read_live(struct gen_formats *f, const char *tracefs)
{
	struct gen_buf dir = { 0 }, path = { 0 };
	struct dirent *de;
	DIR *d;
	int rc = 0;

	gen_buf_printf(&dir, "%s/events/syscalls", tracefs);
	d = opendir(dir.data);
	if (!d) {
		int saved = errno;

		gen_buf_fini(&dir);
		errno = saved;
		return -1;
	}
	while ((de = readdir(d))) {
		const char *prefix = "sys_enter_";

		if (strncmp(de->d_name, prefix, strlen(prefix)) != 0)
			continue;
		path.len = 0;
		gen_buf_printf(&path, "%s/%s/format", dir.data, de->d_name);
		if (read_format_file(f, path.data, de->d_name + strlen(prefix)) < 0) {
			rc = -1;
			break;
		}
	}
	closedir(d);
	gen_buf_fini(&dir);
	gen_buf_fini(&path);
	if (rc < 0) {
		errno = 0; /* reported: not a reason to skip the check */
		return -1;
	}
	if (f->n == 0) {
		errno = ENOENT;
		return -1;
	}
	qsort(f->v, f->n, sizeof(*f->v), cmp_format);
	return rc;
}

static void write_proto(const struct gen_format *fmt, struct gen_buf *out)
{
	gen_buf_printf(out, "%s(", fmt->name);
	for (int i = 0; i < fmt->nargs; i++)
		gen_buf_printf(out, "%s%s %s", i ? ", " : "", fmt->arg[i].type, fmt->arg[i].name);
	gen_buf_puts(out, ")");
}

void gen_formats_write(const struct gen_formats *f, const char *source, struct gen_buf *out)
{
	gen_buf_printf(
		out,
		"# Condensed snapshot of the syscall tracepoint formats, "
		"events/syscalls/sys_enter_<name>/format\n"
		"# (%s): one line per tracepoint, its name and its arg fields\n"
		"# (type name) in order, without the common_* and __syscall_nr fields.\n"
		"# Input of build/gen_syscalls (make gen); refresh with\n"
		"#   build/gen_syscalls --snapshot-formats /sys/kernel/tracing > gen/formats.txt\n"
		"# make gen-check compares it with the running kernel when tracefs is "
		"readable.\n",
		source);
	for (size_t i = 0; i < f->n; i++) {
		write_proto(&f->v[i], out);
		gen_buf_puts(out, "\n");
	}
}

static bool same_format(const struct gen_format *a, const struct gen_format *b)
{
	if (a->nargs != b->nargs)
		return false;
	for (int i = 0; i < a->nargs; i++)
		if (strcmp(a->arg[i].type, b->arg[i].type) ||
		    strcmp(a->arg[i].name, b->arg[i].name))
			return false;
	return true;
}

int gen_formats_compare(const struct gen_formats *live, const struct gen_formats *snap,
			const char *snap_path)
{
	size_t i = 0, j = 0;

	while (i < live->n || j < snap->n) {
		int c = i == live->n   ? 1
			: j == snap->n ? -1
				       : strcmp(live->v[i].name, snap->v[j].name);
		struct gen_buf a = { 0 }, b = { 0 };

		if (c < 0)
			return gen_error(
				snap_path, 0,
				"the running kernel has tracepoint sys_enter_%s, missing here "
				"(refresh with --snapshot-formats)",
				live->v[i].name);
		if (c > 0)
			return gen_error(snap_path, 0,
					 "sys_enter_%s is not a tracepoint of the running kernel",
					 snap->v[j].name);
		if (!same_format(&live->v[i], &snap->v[j])) {
			write_proto(&live->v[i], &a);
			write_proto(&snap->v[j], &b);
			gen_error(snap_path, 0,
				  "sys_enter_%s differs from the running kernel:\n"
				  "  live:     %s\n  snapshot: %s",
				  live->v[i].name, a.data, b.data);
			gen_buf_fini(&a);
			gen_buf_fini(&b);
			return -1;
		}
		i++;
		j++;
	}
	return 0;
}

void gen_formats_fini(struct gen_formats *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].name);
		for (int k = 0; k < f->v[i].nargs; k++) {
			free(f->v[i].arg[k].type);
			free(f->v[i].arg[k].name);
		}
	}
	free(f->v);
	memset(f, 0, sizeof(*f));
}
