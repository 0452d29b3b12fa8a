/* Reading gen/'s data: the two number tables, the rules, the optional
 * coverage notes, and joining the tracepoint formats to the rows. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf/ior_event.h"
#include "core/syscalls.h"
#include "gen/gen.h"

static int cmp_syscall(const void *a, const void *b)
{
	return strcmp(((const struct gen_syscall *)a)->name, ((const struct gen_syscall *)b)->name);
}

void gen_db_sort(struct gen_db *db)
{
	qsort(db->v, db->n, sizeof(*db->v), cmp_syscall);
}

struct gen_syscall *gen_db_find(struct gen_db *db, const char *name)
{
	for (size_t i = 0; i < db->n; i++)
		if (!strcmp(db->v[i].name, name))
			return &db->v[i];
	return NULL;
}

static struct gen_syscall *db_add(struct gen_db *db, const char *name)
{
	struct gen_syscall *sc;

	if (db->n == db->cap) {
		db->cap = db->cap ? db->cap * 2 : 512;
		db->v = realloc(db->v, db->cap * sizeof(*db->v));
		if (!db->v) {
			fprintf(stderr, "gen_syscalls: out of memory\n");
			abort();
		}
	}
	sc = &db->v[db->n++];
	memset(sc, 0, sizeof(*sc));
	sc->name = gen_xstrdup(name);
	sc->nr_x86_64 = sc->nr_aarch64 = SYSCALL_NR_NONE;
	sc->family = -1;
	return sc;
}

/* Splits a line into words in place; "key=\"a b\"" stays one word (quotes
 * dropped). Returns the number of words, -1 on an unterminated quote. */
static int split_words(char *s, char **w, int max)
{
	int n = 0;

	for (;;) {
		char *out;

		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s || *s == '#')
			return n;
		if (n == max)
			return -1;
		w[n++] = out = s;
		while (*s && *s != ' ' && *s != '\t') {
			if (*s == '"') {
				char *q = strchr(s + 1, '"');

				if (!q)
					return -1;
				memmove(out, s + 1, (size_t)(q - s - 1));
				out += q - s - 1;
				s = q + 1;
				continue;
			}
			*out++ = *s++;
		}
		if (*s)
			s++;
		*out = '\0';
	}
}

/* Calls fn on each line of a file with its number; stops at the first error. */
static int for_each_line(const char *path,
			 int (*fn)(void *ctx, const char *path, int line, char *text), void *ctx)
{
	struct gen_buf b = { 0 };
	int line = 0, rc = 0;

	if (gen_read_file(path, &b) < 0)
		return gen_error(path, 0, "%s", strerror(errno));
	for (char *s = b.data; *s && rc == 0;) {
		char *nl = strchr(s, '\n');

		if (nl)
			*nl = '\0';
		rc = fn(ctx, path, ++line, s);
		s = nl ? nl + 1 : s + strlen(s);
	}
	gen_buf_fini(&b);
	return rc;
}

struct tbl_ctx {
	struct gen_db *db;
	bool x86_64;
};

static bool abi_native(const char *abi, bool x86_64)
{
	static const char *const x86[] = { "common", "64", NULL };
	/* arch/arm64/kernel/Makefile.syscalls: syscall_abis_64 */
	static const char *const arm64[] = { "common", "64",	       "renameat",
					     "rlimit", "memfd_secret", NULL };

	for (const char *const *a = x86_64 ? x86 : arm64; *a; a++)
		if (!strcmp(abi, *a))
			return true;
	return false;
}

static int tbl_line(void *ctx, const char *path, int line, char *text)
{
	struct tbl_ctx *c = ctx;
	char *w[8], *end;
	int n = split_words(text, w, 8);
	struct gen_syscall *sc;
	long nr;

	if (n == 0)
		return 0;
	if (n < 3)
		return gen_error(path, line, "expected <number> <abi> <name> [<entry point>...]");
	if (!abi_native(w[1], c->x86_64))
		return 0;
	errno = 0;
	nr = strtol(w[0], &end, 10);
	if (errno || *end || nr < 0 || nr >= IOR_NR_MAX)
		return gen_error(path, line, "bad syscall number %s (0..%d)", w[0], IOR_NR_MAX - 1);
	for (size_t i = 0; i < c->db->n; i++) {
		int other = c->x86_64 ? c->db->v[i].nr_x86_64 : c->db->v[i].nr_aarch64;

		if (other == nr)
			return gen_error(path, line, "number %ld is already %s", nr,
					 c->db->v[i].name);
	}
	sc = gen_db_find(c->db, w[2]);
	if (!sc)
		sc = db_add(c->db, w[2]);
	if ((c->x86_64 ? sc->nr_x86_64 : sc->nr_aarch64) != SYSCALL_NR_NONE)
		return gen_error(path, line, "%s is listed twice", w[2]);
	if (c->x86_64)
		sc->nr_x86_64 = (int)nr;
	else
		sc->nr_aarch64 = (int)nr;
	return 0;
}

int gen_read_tbl(struct gen_db *db, const char *path, bool x86_64)
{
	struct tbl_ctx c = { db, x86_64 };

	return for_each_line(path, tbl_line, &c);
}

/* args="type name, type name" of a syscall without a tracepoint. */
static int parse_args(struct gen_syscall *sc, const char *s)
{
	while (*s) {
		const char *comma = strchr(s, ',');
		const char *e = comma ? comma : s + strlen(s);
		const char *name = e;

		while (s < e && isspace((unsigned char)*s))
			s++;
		while (e > s && isspace((unsigned char)e[-1]))
			e--;
		for (name = e; name > s && name[-1] != ' ' && name[-1] != '*'; name--)
			;
		if (name == s || name == e || sc->nargs == GEN_MAX_ARGS)
			return -1;
		sc->arg[sc->nargs].name = gen_xstrndup(name, (size_t)(e - name));
		while (name > s && name[-1] == ' ')
			name--;
		sc->arg[sc->nargs].type = gen_xstrndup(s, (size_t)(name - s));
		sc->nargs++;
		s = comma ? comma + 1 : e;
	}
	return 0;
}

static int parse_flags(struct gen_syscall *sc, char *list)
{
	for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
		int bit = gen_flag_by_name(tok);

		if (bit < 0)
			return -1;
		sc->flags |= (unsigned)bit;
	}
	return 0;
}

/* <syscall> <Family> [bytes=CLASS] [flags=A,B] [tp=NAME] [args="..."]
 * [note="..."] [arg:ROLE]... */
static int rule_word(struct gen_syscall *sc, const char *path, int line, char *w)
{
	char *eq = strchr(w, '=');
	char *colon = strchr(w, ':');

	if (eq) {
		char *v = eq + 1;

		*eq = '\0';
		if (!strcmp(w, "bytes")) {
			sc->byte_class = gen_byte_class_by_name(v);
			if (sc->byte_class < 0)
				return gen_error(path, line, "bytes=%s: READ, WRITE or TRANSFER",
						 v);
		} else if (!strcmp(w, "flags")) {
			if (parse_flags(sc, v) < 0)
				return gen_error(path, line, "unknown flag in flags=%s", v);
		} else if (!strcmp(w, "tp")) {
			free(sc->tracepoint);
			sc->tracepoint = gen_xstrdup(v);
		} else if (!strcmp(w, "args")) {
			if (parse_args(sc, v) < 0)
				return gen_error(path, line, "args=\"%s\": expected type name, ...",
						 v);
		} else if (!strcmp(w, "note")) {
			sc->note = gen_xstrdup(v);
		} else {
			return gen_error(path, line, "unknown key %s=", w);
		}
		return 0;
	}
	if (colon) {
		int role;

		*colon = '\0';
		role = gen_role_by_name(colon + 1);
		if (role < 0)
			return gen_error(path, line, "%s: unknown role %s", w, colon + 1);
		if (sc->noverride == GEN_MAX_ARGS * 2)
			return gen_error(path, line, "too many role overrides");
		sc->override_arg[sc->noverride] = gen_xstrdup(w);
		sc->override_role[sc->noverride++] = role;
		return 0;
	}
	return gen_error(path, line, "expected key=value or arg:ROLE, got %s", w);
}

static int rule_line(void *ctx, const char *path, int line, char *text)
{
	struct gen_db *db = ctx;
	char *w[24];
	int n = split_words(text, w, 24);
	struct gen_syscall *sc;

	if (n == 0)
		return 0;
	if (n < 0)
		return gen_error(path, line, "unterminated quote or too many words");
	if (n < 2)
		return gen_error(path, line, "expected <syscall> <family> ...");
	sc = gen_db_find(db, w[0]);
	if (!sc)
		return gen_error(path, line, "%s is in neither number table", w[0]);
	if (sc->rule_line)
		return gen_error(path, line, "%s already has a rule on line %d", w[0],
				 sc->rule_line);
	sc->rule_line = line;
	sc->family = gen_family_by_name(w[1]);
	if (sc->family < 0)
		return gen_error(path, line, "%s: unknown family %s", w[0], w[1]);
	for (int i = 2; i < n; i++)
		if (rule_word(sc, path, line, w[i]) < 0)
			return -1;
	if (!sc->tracepoint)
		sc->tracepoint = gen_xstrdup(sc->name);
	return 0;
}

int gen_read_rules(struct gen_db *db, const char *path)
{
	int missing = 0;

	if (for_each_line(path, rule_line, db) < 0)
		return -1;
	for (size_t i = 0; i < db->n; i++)
		if (db->v[i].family < 0) {
			gen_error(path, 0, "%s has no rule: every syscall needs a family",
				  db->v[i].name);
			missing++;
		}
	return missing ? -1 : 0;
}

/* Joins each row with its tracepoint; every tracepoint must find a row. */
int gen_apply_formats(struct gen_db *db, const char *formats_path, const char *rules_path)
{
	const struct gen_formats *f = &db->formats;
	bool *used = gen_xalloc(f->n * sizeof(*used) + 1);
	int rc = 0;

	for (size_t i = 0; i < db->n && rc == 0; i++) {
		struct gen_syscall *sc = &db->v[i];
		const struct gen_format *fmt = gen_formats_find(f, sc->tracepoint);

		if (!fmt)
			continue;
		if (sc->nargs)
			rc = gen_error(rules_path, sc->rule_line,
				       "%s: args= given but sys_enter_%s has a format", sc->name,
				       fmt->name);
		used[fmt - f->v] = true;
		sc->has_format = true;
		sc->nargs = fmt->nargs;
		for (int k = 0; k < fmt->nargs; k++) {
			sc->arg[k].type = gen_xstrdup(fmt->arg[k].type);
			sc->arg[k].name = gen_xstrdup(fmt->arg[k].name);
		}
	}
	for (size_t i = 0; i < f->n && rc == 0; i++)
		if (!used[i])
			rc = gen_error(formats_path, 0,
				       "sys_enter_%s matches no syscall (give its row tp=%s in %s)",
				       f->v[i].name, f->v[i].name, rules_path);
	free(used);
	return rc;
}

static int coverage_line(void *ctx, const char *path, int line, char *text)
{
	struct gen_db *db = ctx;
	struct gen_syscall *sc;
	char *name = text, *rest;

	while (*name == ' ' || *name == '\t')
		name++;
	if (!*name || *name == '#')
		return 0;
	rest = name + strcspn(name, " \t");
	if (*rest)
		*rest++ = '\0';
	rest += strspn(rest, " \t");
	sc = gen_db_find(db, name);
	if (!sc)
		return gen_error(path, line, "unknown syscall %s", name);
	if (!*rest || strchr(rest, '|'))
		return gen_error(path, line, "%s: expected a status without '|'", name);
	free(sc->coverage);
	sc->coverage = gen_xstrdup(rest);
	return 0;
}

int gen_read_coverage(struct gen_db *db, const char *path)
{
	return for_each_line(path, coverage_line, db);
}

void gen_db_fini(struct gen_db *db)
{
	for (size_t i = 0; i < db->n; i++) {
		struct gen_syscall *sc = &db->v[i];

		free(sc->name);
		free(sc->tracepoint);
		free(sc->note);
		free(sc->coverage);
		for (int k = 0; k < sc->nargs; k++) {
			free(sc->arg[k].type);
			free(sc->arg[k].name);
		}
		for (int k = 0; k < sc->noverride; k++)
			free(sc->override_arg[k]);
	}
	free(db->v);
	gen_formats_fini(&db->formats);
	memset(db, 0, sizeof(*db));
}
