/* The syscall table generator (build/gen_syscalls): the model it builds from
 * gen/'s data files and the helpers its parts share. A build-time tool, run
 * by make gen / make gen-check; one thread, errors go to stderr. */
#ifndef IOR_GEN_GEN_H
#define IOR_GEN_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GEN_MAX_ARGS 6

/* A growable NUL-terminated string. */
struct gen_buf {
	char *data;
	size_t len, cap;
};

void gen_buf_printf(struct gen_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void gen_buf_puts(struct gen_buf *b, const char *s);
void gen_buf_fini(struct gen_buf *b);

/* malloc/strdup that abort on failure. */
void *gen_xalloc(size_t size);
char *gen_xstrdup(const char *s);
char *gen_xstrndup(const char *s, size_t n);

/* Whole file into *out (NUL-terminated); -1 with errno set when it cannot be
 * read. */
int gen_read_file(const char *path, struct gen_buf *out);
/* "file:line: msg" on stderr; always returns -1. */
int gen_error(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

struct gen_arg {
	char *type; /* "const char *" */
	char *name; /* "filename" */
};

/* One sys_enter_<name> tracepoint: its arg fields in order. */
struct gen_format {
	char *name;
	int nargs;
	struct gen_arg arg[GEN_MAX_ARGS];
};

struct gen_formats {
	struct gen_format *v;
	size_t n, cap;
};

/* One row of the table, filled from the number tables, then the rules, then
 * the formats. */
struct gen_syscall {
	char *name;	  /* as syscall_64.tbl / the generic table name it */
	char *tracepoint; /* sys_enter_<tracepoint>; owned; NULL until the rules are read */
	int nr_x86_64;	  /* -1 when absent */
	int nr_aarch64;	  /* -1 when absent */
	int family;	  /* enum ior_family; -1 until a rule names it */
	int byte_class;	  /* enum ior_byte_class */
	unsigned flags;	  /* SYSCALL_* */
	int nargs;
	struct gen_arg arg[GEN_MAX_ARGS];
	uint8_t role[GEN_MAX_ARGS]; /* enum ior_arg_role */
	bool has_format;	    /* args come from a tracepoint format */
	char *note;		    /* the rule's note, or NULL */
	char *coverage;		    /* from gen/coverage.txt, or NULL */
	int rule_line;		    /* line of its rule in rules.txt, 0 if none */
	/* Role overrides "arg:ROLE" from the rule, applied after the defaults. */
	int noverride;
	char *override_arg[GEN_MAX_ARGS * 2];
	int override_role[GEN_MAX_ARGS * 2];
};

struct gen_db {
	struct gen_syscall *v; /* sorted by name once loaded */
	size_t n, cap;
	struct gen_formats formats;
};

/* gen_tables.c: reading gen/'s data. Each returns 0 or -1 after printing
 * what is wrong and where. */
int gen_read_tbl(struct gen_db *db, const char *path, bool x86_64);
int gen_read_rules(struct gen_db *db, const char *path);
int gen_read_coverage(struct gen_db *db, const char *path);
/* Copies each row's args from its tracepoint (db->formats); fails when a
 * tracepoint matches no row or a row has both a format and args=. */
int gen_apply_formats(struct gen_db *db, const char *formats_path, const char *rules_path);
struct gen_syscall *gen_db_find(struct gen_db *db, const char *name);
void gen_db_sort(struct gen_db *db);
void gen_db_fini(struct gen_db *db);

/* gen_formats.c: tracepoint formats. */
int gen_formats_read_snapshot(struct gen_formats *f, const char *path);
/* Reads <tracefs>/events/syscalls/sys_enter_<name>/format; -1 with errno set
 * (and nothing printed) when the directory cannot be opened, -1 after
 * printing for a malformed file. */
int gen_formats_read_live(struct gen_formats *f, const char *tracefs);
void gen_formats_write(const struct gen_formats *f, const char *source, struct gen_buf *out);
const struct gen_format *gen_formats_find(const struct gen_formats *f, const char *name);
/* 0 when equal, else -1 after printing the first tracepoint that differs. */
int gen_formats_compare(const struct gen_formats *live, const struct gen_formats *snap,
			const char *snap_path);
void gen_formats_fini(struct gen_formats *f);

/* gen_roles.c: arg roles, families, byte classes and flags by name. */
int gen_role_by_name(const char *name);
const char *gen_role_name(int role); /* "FD" */
int gen_family_by_name(const char *name);
const char *gen_family_name(int family); /* "FS" */
const char *gen_family_enum(int family); /* "FAMILY_FS" */
int gen_byte_class_by_name(const char *name);
const char *gen_byte_class_name(int byte_class); /* "READ", "–" for none */
const char *gen_byte_class_enum(int byte_class);
int gen_flag_by_name(const char *name); /* the SYSCALL_* bit, or -1 */
const char *gen_flag_name(unsigned bit);
/* Roles of every row: the defaults from field names and types, then the
 * rule's overrides; checks that overrides name real args. */
int gen_assign_roles(struct gen_db *db, const char *rules_path);
/* The default role of one tracepoint field (documented in docs/syscalls.md). */
int gen_default_role(const char *type, const char *name);
/* "dirfd+path, open flags": what is captured for a row, for the doc. */
void gen_captured(const struct gen_syscall *sc, struct gen_buf *out);

/* gen_emit.c: the two outputs. */
void gen_emit_c(const struct gen_db *db, struct gen_buf *out);
void gen_emit_doc(const struct gen_db *db, struct gen_buf *out);

#endif
