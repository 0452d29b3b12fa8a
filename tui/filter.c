/* The filter every screen shares. */
#include "tui/filter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/decode.h"
#include "core/syscalls.h"
#include "tui/text.h"

void filter_init(struct filter *f)
{
	memset(f, 0, sizeof(*f));
	f->families = FILTER_ALL_FAMILIES;
}

bool filter_push(struct filter *f, const struct drill *d)
{
	if (f->depth >= FILTER_DEPTH)
		return false;
	f->stack[f->depth++] = *d;
	return true;
}

bool filter_pop(struct filter *f)
{
	if (!f->depth)
		return false;
	f->depth--;
	return true;
}

void filter_clear(struct filter *f)
{
	filter_init(f);
}

void filter_toggle_family(struct filter *f, int family)
{
	if (family >= 0 && family < FAMILY_COUNT)
		f->families ^= (uint16_t)(1u << family);
}

void filter_cycle_family(struct filter *f, int dir)
{
	int cur = -1;

	/* From a single family, move on; from several or none, start at FS. */
	for (int i = 0; i < FAMILY_COUNT; i++)
		if (f->families == (1u << i))
			cur = i;
	if (cur < 0)
		cur = dir > 0 ? FAMILY_COUNT - 1 : 0;
	cur = (cur + dir + FAMILY_COUNT) % FAMILY_COUNT;
	f->families = (uint16_t)(1u << cur);
}

bool filter_active(const struct filter *f)
{
	return f->families != FILTER_ALL_FAMILIES || f->depth || f->query[0];
}

static int family_of(int nr)
{
	const struct syscall_info *info = syscall_by_nr(nr);

	return info ? info->family : FAMILY_MISC;
}

/* Does path fall under a drilled file (a file, or a directory ending in '/')? */
static bool path_matches(const char *drilled, const char *path)
{
	size_t len = strlen(drilled);

	if (!path)
		return false;
	if (len && drilled[len - 1] == '/')
		return !strncmp(path, drilled, len);
	return !strcmp(path, drilled);
}

static bool is_number(const char *s, long *out)
{
	char *end;

	if (!*s)
		return false;
	*out = strtol(s, &end, 10);
	return !*end;
}

/* The query against what a record or row offers (NULL: not offered). */
static bool query_matches(const char *q, int nr, uint32_t pid, uint32_t tid, const char *comm,
			  const char *path, const char *errname)
{
	char buf[32];
	long n;

	if (!*q)
		return true;
	if (is_number(q, &n))
		return (pid && (long)pid == n) || (tid && (long)tid == n);
	if (nr >= 0 && !strcmp(syscall_name(nr, buf, sizeof(buf)), q))
		return true;
	if (errname && !strcmp(errname, q))
		return true;
	if (comm && strstr(comm, q))
		return true;
	return path && strstr(path, q);
}

bool filter_syscall(const struct filter *f, int nr)
{
	char buf[32];

	if (!(f->families & (1u << family_of(nr))))
		return false;
	for (int i = 0; i < f->depth; i++) {
		const struct drill *d = &f->stack[i];

		if (d->kind == DRILL_SYSCALL && d->value != nr)
			return false;
		if (d->kind == DRILL_FAMILY && d->value != family_of(nr))
			return false;
	}
	if (f->query[0] && syscall_by_name(f->query) &&
	    strcmp(syscall_name(nr, buf, sizeof(buf)), f->query))
		return false;
	return true;
}

bool filter_event(const struct filter *f, const struct snapshot *s, const struct snapshot_event *e)
{
	const struct ior_rec *r = &e->rec;
	const char *file = snapshot_str(s, e->file), *comm = snapshot_str(s, e->comm);
	const char *errname = (r->rec_flags & REC_FAILED) ? decode_errno_name((int)-r->ret) : NULL;

	if (!(f->families & (1u << family_of(r->nr))))
		return false;
	for (int i = 0; i < f->depth; i++) {
		const struct drill *d = &f->stack[i];

		switch (d->kind) {
		case DRILL_FAMILY:
			if (d->value != family_of(r->nr))
				return false;
			break;
		case DRILL_SYSCALL:
			if (d->value != r->nr)
				return false;
			break;
		case DRILL_PID:
			if ((uint32_t)d->value != r->pid)
				return false;
			break;
		case DRILL_FILE:
			if (!path_matches(d->text, file) &&
			    !path_matches(d->text, snapshot_str(s, e->old_file)))
				return false;
			break;
		case DRILL_COMM:
			if (!comm || strcmp(comm, d->text))
				return false;
			break;
		case DRILL_ERRNO:
			if (!(r->rec_flags & REC_FAILED) || -r->ret != d->value)
				return false;
			break;
		}
	}
	return query_matches(f->query, r->nr, r->pid, r->tid, comm, file, errname);
}

bool filter_file(const struct filter *f, const char *path, uint16_t families)
{
	long n;

	if (!(f->families & families))
		return false;
	for (int i = 0; i < f->depth; i++) {
		const struct drill *d = &f->stack[i];

		if (d->kind == DRILL_FILE && !path_matches(d->text, path))
			return false;
		if (d->kind == DRILL_FAMILY && !(families & (1u << d->value)))
			return false;
	}
	/* A query a file cannot answer (a syscall name, a pid) does not hide it. */
	return query_matches(f->query, -1, 0, 0, NULL, path, NULL) || syscall_by_name(f->query) ||
	       is_number(f->query, &n);
}

bool filter_proc(const struct filter *f, uint32_t pid, const char *comm, uint16_t families)
{
	/* A process with no calls yet passes unless families are narrowed. */
	if (families ? !(f->families & families) : f->families != FILTER_ALL_FAMILIES)
		return false;
	for (int i = 0; i < f->depth; i++) {
		const struct drill *d = &f->stack[i];

		if (d->kind == DRILL_COMM && (!comm || strcmp(comm, d->text)))
			return false;
		if (d->kind == DRILL_FAMILY && !(families & (1u << d->value)))
			return false;
	}
	return query_matches(f->query, -1, pid, 0, comm, NULL, NULL) || syscall_by_name(f->query);
}

uint32_t filter_pid(const struct filter *f)
{
	for (int i = f->depth - 1; i >= 0; i--)
		if (f->stack[i].kind == DRILL_PID)
			return (uint32_t)f->stack[i].value;
	return 0;
}

void filter_describe(const struct filter *f, const char *const screen_names[], char *buf,
		     size_t size)
{
	/* The breadcrumb separator, ASCII on terminals without UTF-8. */
	const char *sep = text_is_ascii() ? " > " : " \u203a ";
	size_t pos = 0;
	char name[32];

#define PUT(...)                                                                     \
	do {                                                                         \
		if (pos < size)                                                      \
			pos += (size_t)snprintf(buf + pos, size - pos, __VA_ARGS__); \
	} while (0)
	buf[0] = '\0';
	if (f->families != FILTER_ALL_FAMILIES) {
		PUT("[");
		for (int i = 0, n = 0; i < FAMILY_COUNT; i++)
			if (f->families & (1u << i))
				PUT("%s%s", n++ ? " " : "", family_name(i));
		PUT("%s]", f->families ? "" : "none");
	}
	for (int i = 0; i < f->depth; i++) {
		const struct drill *d = &f->stack[i];

		if (i == 0 || f->stack[i - 1].screen != d->screen)
			PUT("%s%s", pos ? " " : "", screen_names[d->screen]);
		switch (d->kind) {
		case DRILL_FAMILY:
			PUT("%s%s", sep, family_name(d->value));
			break;
		case DRILL_SYSCALL:
			PUT("%s%s", sep, syscall_name(d->value, name, sizeof(name)));
			break;
		case DRILL_PID:
			PUT("%spid %d", sep, d->value);
			break;
		case DRILL_FILE:
		case DRILL_COMM:
			PUT("%s%s", sep, d->text);
			break;
		case DRILL_ERRNO:
			PUT("%s%s", sep, decode_errno_name(d->value));
			break;
		}
	}
	if (f->query[0])
		PUT("%sfilter: %s", pos ? " " : "", f->query);
#undef PUT
	if (pos >= size && size > 4)
		memcpy(buf + size - 4, "...", 4);
}
