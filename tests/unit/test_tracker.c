/* Unit tests for the tracker: raw ring records in, enriched records out,
 * with the descriptor rules of SPEC section 3. No kernel needed. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bpf/ior_event.h"
#include "core/intern.h"
#include "core/snapshot.h"
#include "core/syscalls.h"
#include "core/tracker.h"

#define PID 4194305 /* above PID_MAX_LIMIT: no /proc entry can answer for it */

struct capture {
	struct ior_rec recs[64];
	int n;
	struct ior_proc_ev procs[16];
	int nprocs;
};

static void cap_event(void *ctx, const struct ior_rec *r)
{
	struct capture *c = ctx;

	if (c->n < 64)
		c->recs[c->n++] = *r;
}

static void cap_proc(void *ctx, const struct ior_proc_ev *ev)
{
	struct capture *c = ctx;

	if (c->nprocs < 16)
		c->procs[c->nprocs++] = *ev;
}

static const struct sink_ops cap_ops = { .event = cap_event, .proc = cap_proc };

struct fixture {
	struct capture cap;
	struct pipeline pipe;
	struct tracker *t;
};

static struct fixture fx;

static void setup(void)
{
	memset(&fx, 0, sizeof(fx));
	pipeline_add(&fx.pipe, &cap_ops, &fx.cap);
	fx.t = tracker_new(&fx.pipe, &(struct tracker_opts){ 0 });
	tracker_launch(fx.t, PID);
	fx.cap.nprocs = 0;
}

static void teardown(void)
{
	tracker_free(fx.t);
}

/* A record under construction. */
struct rec {
	uint8_t buf[8192];
	size_t off;
};

static struct ior_event *rec_begin(struct rec *r, int type, const char *syscall, int64_t ret)
{
	struct ior_event *e = (void *)r->buf;
	const struct syscall_info *info = syscall ? syscall_by_name(syscall) : NULL;

	memset(r->buf, 0, sizeof(r->buf));
	if (syscall)
		cr_assert_not_null(info, "syscall %s", syscall);
	e->type = (uint8_t)type;
	e->tgid = PID;
	e->tid = PID;
	e->nr = info ? (uint16_t)syscall_native_nr(info) : 0;
	e->nargs = 6;
	e->ret = ret;
	e->ts_ns = 1000;
	r->off = sizeof(*e) + 6 * 8;
	return e;
}

static void rec_item(struct rec *r, int tag, const void *data, size_t len)
{
	struct ior_item *it = (void *)(r->buf + r->off);
	struct ior_event *e = (void *)r->buf;

	it->tag = (uint8_t)tag;
	it->len = (uint16_t)len;
	memcpy(it + 1, data, len);
	r->off += sizeof(*it) + ((len + 7) & ~(size_t)7);
	e->nitems++;
}

static void rec_fdinfo(struct rec *r, int fd, uint32_t mode, uint64_t ino)
{
	struct ior_fdinfo fi = { .ino = ino, .mode = mode, .fd = fd };

	rec_item(r, IOR_ITEM_FDINFO, &fi, sizeof(fi));
}

static const struct ior_rec *rec_send(struct rec *r)
{
	struct ior_event *e = (void *)r->buf;
	int before = fx.cap.n;

	e->size = (uint16_t)r->off;
	tracker_handle(fx.t, r->buf, r->off);
	return fx.cap.n > before ? &fx.cap.recs[fx.cap.n - 1] : NULL;
}

static const char *s(ior_str id)
{
	const char *str = id ? intern_str(tracker_strings(fx.t), id, NULL) : NULL;

	return str ? str : "(none)";
}

/* openat(AT_FDCWD, path, flags) = ret */
static const struct ior_rec *do_openat(const char *path, uint64_t flags, int ret)
{
	struct rec r;
	struct ior_event *e = rec_begin(&r, IOR_EV_SYSCALL, "openat", ret);

	e->args[0] = (uint64_t)AT_FDCWD;
	e->args[1] = 0x1000;
	e->args[2] = flags;
	rec_item(&r, IOR_ITEM_ARG0 + 1, path, strlen(path));
	return rec_send(&r);
}

static const struct ior_rec *do_fd_call(const char *syscall, int fd, int64_t ret)
{
	struct rec r;
	struct ior_event *e = rec_begin(&r, IOR_EV_SYSCALL, syscall, ret);

	e->args[0] = (uint64_t)fd;
	return rec_send(&r);
}

TestSuite(tracker, .init = setup, .fini = teardown);

Test(tracker, open_registers_fd_and_decodes_flags)
{
	const struct ior_rec *o = do_openat("/etc/passwd", O_RDONLY | O_CLOEXEC, 5);
	const struct ior_rec *rd;

	cr_assert_str_eq(s(o->file), "/etc/passwd");
	cr_assert_str_eq(s(o->flags), "O_RDONLY|O_CLOEXEC");
	cr_assert_eq(o->fd, 5);
	rd = do_fd_call("read", 5, 100);
	cr_assert_str_eq(s(rd->file), "/etc/passwd");
	cr_assert_eq(rd->bytes, 100);
}

Test(tracker, relative_path_resolved_against_cwd)
{
	char cwd[4096], want[4200];
	const struct ior_rec *o;

	cr_assert_not_null(getcwd(cwd, sizeof(cwd)));
	o = do_openat("sub/../x.txt", O_RDONLY, -2);
	snprintf(want, sizeof(want), "%s/x.txt", strcmp(cwd, "/") ? cwd : "");
	cr_assert_str_eq(s(o->file), want);
	cr_assert_str_eq(s(o->arg_path), "sub/../x.txt", "the path as passed is kept");
	cr_assert(o->rec_flags & REC_FAILED);
}

Test(tracker, close_evicts_only_on_success)
{
	do_openat("/tmp/a", O_RDONLY, 3);
	do_fd_call("close", 3, -EINTR);
	cr_assert_str_eq(s(do_fd_call("read", 3, 1)->file), "/tmp/a", "EINTR keeps it");
	do_fd_call("close", 3, 0);
	cr_assert_eq(do_fd_call("read", 3, -EBADF)->file, 0, "closed: no path");
}

Test(tracker, dup2_aliases_and_exec_honours_cloexec)
{
	struct rec r;
	struct ior_event *e;

	do_openat("/tmp/log", O_WRONLY | O_CLOEXEC, 3);
	e = rec_begin(&r, IOR_EV_SYSCALL, "dup2", 7);
	e->args[0] = 3;
	e->args[1] = 7;
	rec_send(&r);
	cr_assert_str_eq(s(do_fd_call("write", 7, 4)->file), "/tmp/log");
	e = rec_begin(&r, IOR_EV_SYSCALL, "execve", 0);
	rec_item(&r, IOR_ITEM_ARG0, "/bin/true", 9);
	rec_send(&r);
	cr_assert_eq(do_fd_call("write", 3, -EBADF)->file, 0, "CLOEXEC fd gone after exec");
	cr_assert_str_eq(s(do_fd_call("write", 7, 4)->file), "/tmp/log", "dup2 copy survives");
}

Test(tracker, fcntl_dupfd_cloexec)
{
	struct rec r;
	struct ior_event *e;

	do_openat("/tmp/f", O_RDONLY, 3);
	e = rec_begin(&r, IOR_EV_SYSCALL, "fcntl", 10);
	e->args[0] = 3;
	e->args[1] = F_DUPFD_CLOEXEC;
	e->args[2] = 10;
	rec_send(&r);
	cr_assert_str_eq(s(do_fd_call("read", 10, 1)->file), "/tmp/f");
	e = rec_begin(&r, IOR_EV_SYSCALL, "execve", 0);
	rec_item(&r, IOR_ITEM_ARG0, "/bin/true", 9);
	rec_send(&r);
	cr_assert_eq(do_fd_call("read", 10, -EBADF)->file, 0);
	cr_assert_str_eq(s(do_fd_call("read", 3, 1)->file), "/tmp/f");
}

Test(tracker, pipe_ends_named_by_inode)
{
	struct rec r;
	struct ior_event *e = rec_begin(&r, IOR_EV_SYSCALL, "pipe2", 0);
	int fds[2] = { 4, 5 };

	e->args[0] = 0x2000;
	rec_item(&r, IOR_ITEM_FDPAIR, fds, sizeof(fds));
	rec_fdinfo(&r, 4, S_IFIFO | 0600, 777);
	rec_fdinfo(&r, 5, S_IFIFO | 0600, 777);
	rec_send(&r);
	cr_assert_str_eq(s(do_fd_call("read", 4, 1)->file), "pipe:[777]");
	cr_assert_str_eq(s(do_fd_call("write", 5, 1)->file), "pipe:[777]");
}

Test(tracker, failed_pipe_registers_nothing)
{
	struct rec r;
	struct ior_event *e = rec_begin(&r, IOR_EV_SYSCALL, "pipe2", -EMFILE);

	e->args[0] = 0x2000;
	rec_send(&r);
	cr_assert_eq(do_fd_call("read", 4, -EBADF)->file, 0);
}

Test(tracker, rename_records_both_paths)
{
	struct rec r;
	const struct ior_rec *o;

	rec_begin(&r, IOR_EV_SYSCALL, "rename", 0);
	rec_item(&r, IOR_ITEM_ARG0, "/tmp/old", 8);
	rec_item(&r, IOR_ITEM_ARG0 + 1, "/tmp/new", 8);
	o = rec_send(&r);
	cr_assert_str_eq(s(o->old_file), "/tmp/old");
	cr_assert_str_eq(s(o->file), "/tmp/new");
}

Test(tracker, symlinkat_recorded_with_its_newdirfd)
{
	struct rec r;
	struct ior_event *e;
	const struct ior_rec *o;

	do_openat("/tmp/dir", O_RDONLY | O_DIRECTORY, 7);
	e = rec_begin(&r, IOR_EV_SYSCALL, "symlinkat", 0);
	e->args[1] = 7;
	rec_item(&r, IOR_ITEM_ARG0, "../target", 9);
	rec_item(&r, IOR_ITEM_ARG0 + 2, "link", 4);
	o = rec_send(&r);
	cr_assert_eq(o->fd, 7, "the only descriptor is newdirfd");
	cr_assert_str_eq(s(o->file), "/tmp/dir/link");
	cr_assert_str_eq(s(o->old_file), "../target", "the target is kept as written");
}

Test(tracker, scm_rights_fds_named_at_recvmsg)
{
	struct rec r;
	struct ior_event *e;
	const struct ior_rec *rd;
	static const char leaf_first[] = "x.txt\0tmp"; /* /tmp/x.txt */

	e = rec_begin(&r, IOR_EV_SYSCALL, "recvmsg", 1);
	e->args[0] = 3;
	rec_fdinfo(&r, 9, S_IFREG | 0644, 77);
	rec_item(&r, IOR_ITEM_FDPATH, leaf_first, sizeof(leaf_first));
	rec_fdinfo(&r, 10, S_IFIFO | 0600, 1234);
	rec_send(&r);
	rd = do_fd_call("read", 9, 5);
	cr_assert_str_eq(s(rd->file), "/tmp/x.txt");
	rd = do_fd_call("read", 10, 5);
	cr_assert_str_eq(s(rd->file), "pipe:[1234]");
}

Test(tracker, mq_name_recorded_as_path)
{
	struct rec r;
	const struct ior_rec *o;

	rec_begin(&r, IOR_EV_SYSCALL, "mq_unlink", -ENOENT);
	rec_item(&r, IOR_ITEM_ARG0, "/q1", 3);
	o = rec_send(&r);
	cr_assert_str_eq(s(o->file), "/q1");
}

Test(tracker, modify_ldt_error_is_a_32_bit_int)
{
	struct rec r;
	const struct ior_rec *o;

	rec_begin(&r, IOR_EV_SYSCALL, "modify_ldt", (int64_t)(uint32_t)-EINVAL);
	o = rec_send(&r);
	cr_assert_eq(o->ret, -EINVAL);
	cr_assert(o->rec_flags & REC_FAILED);
}

Test(tracker, bpf_and_landlock_fds_by_argument)
{
	struct rec r;
	struct ior_event *e;
	const struct ior_rec *o;

	e = rec_begin(&r, IOR_EV_SYSCALL, "bpf", 4);
	e->args[0] = 0; /* BPF_MAP_CREATE */
	o = rec_send(&r);
	cr_assert_eq(o->fd, 4);
	cr_assert_str_eq(s(o->file), "anon_inode:bpf-map");
	e = rec_begin(&r, IOR_EV_SYSCALL, "bpf", 0);
	e->args[0] = 1; /* BPF_MAP_LOOKUP_ELEM: no descriptor returned */
	o = rec_send(&r);
	cr_assert_eq(o->fd, REC_FD_NONE);
	e = rec_begin(&r, IOR_EV_SYSCALL, "landlock_create_ruleset", 7);
	e->args[2] = 1; /* LANDLOCK_CREATE_RULESET_VERSION: the ABI version */
	o = rec_send(&r);
	cr_assert_eq(o->fd, REC_FD_NONE, "a version is no descriptor");
	cr_assert_str_eq(s(do_fd_call("read", 4, 0)->file), "anon_inode:bpf-map");
}

Test(tracker, restart_code_is_interrupted_not_failed)
{
	const struct ior_rec *o = do_fd_call("read", 0, -512);

	cr_assert(o->rec_flags & REC_INTERRUPTED);
	cr_assert_not(o->rec_flags & REC_FAILED);
	cr_assert_eq(o->bytes, 0);
}

Test(tracker, exit_group_is_noreturn)
{
	struct rec r;
	struct ior_event *e = rec_begin(&r, IOR_EV_SYSCALL, "exit_group", 0);
	const struct ior_rec *o;

	e->flags = IOR_EVF_NORETURN;
	o = rec_send(&r);
	cr_assert(o->rec_flags & REC_NORETURN);
	cr_assert_not(o->rec_flags & REC_FAILED);
}

Test(tracker, byte_classes_and_lseek)
{
	cr_assert_eq(do_fd_call("write", 1, 12)->bytes, 12);
	cr_assert_eq(do_fd_call("lseek", 1, 4096)->bytes, 0, "lseek returns an offset");
	cr_assert_eq(do_fd_call("read", 1, -EAGAIN)->bytes, 0);
}

Test(tracker, fork_child_inherits_fds)
{
	struct rec r;
	struct ior_event *e;
	const struct ior_rec *o;

	do_openat("/tmp/shared", O_RDONLY, 6);
	e = rec_begin(&r, IOR_EV_FORK, NULL, 0);
	e->args[0] = PID + 1;
	e->args[1] = PID + 1;
	e->flags = IOR_EVF_FOLLOWED;
	rec_send(&r);
	cr_assert_eq(fx.cap.procs[fx.cap.nprocs - 1].kind, PROC_START);
	cr_assert_eq(fx.cap.procs[fx.cap.nprocs - 1].ppid, PID);
	e = rec_begin(&r, IOR_EV_SYSCALL, "read", 3);
	e->tgid = e->tid = PID + 1;
	e->args[0] = 6;
	o = rec_send(&r);
	cr_assert_str_eq(s(o->file), "/tmp/shared");
	cr_assert_eq(o->pid, PID + 1);
}

/* The tracker remembers the last record's process and thread: an exit in
 * between must make it look them up again (a pid seen again is a new
 * process, whose descriptors are not the old one's). */
Test(tracker, exit_forgets_the_last_thread)
{
	struct rec r;
	struct ior_event *e;

	do_openat("/tmp/gone", O_RDONLY, 6);
	cr_assert_str_eq(s(do_fd_call("read", 6, 1)->file), "/tmp/gone");
	e = rec_begin(&r, IOR_EV_EXIT, NULL, 0);
	e->flags = IOR_EVF_GROUP_DEAD;
	rec_send(&r);
	cr_assert_eq(fx.cap.procs[fx.cap.nprocs - 1].kind, PROC_EXIT);
	cr_assert_eq(do_fd_call("read", 6, 1)->file, 0, "%s", s(fx.cap.recs[fx.cap.n - 1].file));
}

Test(tracker, comm_follows_rename)
{
	struct rec r;

	rec_begin(&r, IOR_EV_COMM, NULL, 0);
	rec_item(&r, IOR_ITEM_COMM, "worker", 6);
	rec_send(&r);
	cr_assert_str_eq(s(do_fd_call("read", 0, 1)->comm), "worker");
}

Test(tracker, filter_drops_record_but_keeps_state)
{
	uint8_t keep[IOR_NR_MAX] = { 0 };

	tracker_free(fx.t);
	keep[syscall_native_nr(syscall_by_name("read"))] = 1;
	fx.t = tracker_new(&fx.pipe, &(struct tracker_opts){ .keep = keep });
	tracker_launch(fx.t, PID);
	cr_assert_null(do_openat("/tmp/k", O_RDONLY, 3), "openat filtered out");
	cr_assert_str_eq(s(do_fd_call("read", 3, 1)->file), "/tmp/k", "but its fd is known");
}

/* Found by tests/fuzz: `sleep infinity` asks for the largest time_t. */
Test(tracker, requested_sleep_saturates)
{
	struct rec r;
	int64_t ts[2] = { INT64_MAX, 999999999 };
	const struct ior_rec *o;

	rec_begin(&r, IOR_EV_SYSCALL, "nanosleep", 0);
	rec_item(&r, IOR_ITEM_TIMESPEC, ts, sizeof(ts));
	o = rec_send(&r);
	cr_assert(o->rec_flags & REC_HAS_SLEEP);
	cr_assert_eq(o->requested_sleep_ns, INT64_MAX);
}

/* Found by tests/fuzz: a fork record naming the parent as its own child. */
Test(tracker, fork_into_itself_is_malformed)
{
	struct rec r;
	struct ior_event *e;
	struct tracker_counts n;

	do_openat("/etc/passwd", O_RDONLY, 3);
	e = rec_begin(&r, IOR_EV_FORK, NULL, 0);
	e->flags = IOR_EVF_FOLLOWED;
	e->args[0] = PID; /* the parent's own tgid, not a thread */
	e->args[1] = PID + 1;
	rec_send(&r);
	tracker_counts(fx.t, &n);
	cr_assert_eq(n.malformed, 1);
	cr_assert_str_eq(s(do_fd_call("read", 3, 1)->file), "/etc/passwd", "the parent is intact");
}

Test(tracker, malformed_records_counted)
{
	uint8_t junk[16] = { 0xff };
	struct tracker_counts counts;

	tracker_handle(fx.t, junk, sizeof(junk));
	tracker_counts(fx.t, &counts);
	cr_assert_eq(counts.malformed, 1);
}

static void list_fd(void *ctx, int fd, ior_str path, bool cloexec)
{
	char *out = ctx;

	snprintf(out + strlen(out), 256 - strlen(out), "%d=%s%s ", fd, s(path),
		 cloexec ? "(e)" : "");
}

Test(tracker, list_fds_gives_the_open_ones)
{
	char out[256] = "";

	do_openat("/tmp/a", O_RDONLY, 3);
	do_openat("/tmp/b", O_RDONLY | O_CLOEXEC, 9);
	do_openat("/tmp/c", O_RDONLY, 5);
	do_fd_call("close", 5, 0);
	tracker_list_fds(fx.t, PID, list_fd, out);
	cr_assert_str_eq(out, "3=/tmp/a 9=/tmp/b(e) ");
	out[0] = '\0';
	tracker_list_fds(fx.t, PID + 1, list_fd, out);
	cr_assert_str_eq(out, "", "no such process");
}

/* What the pipeline announced: id -> string, as a session's strings table. */
struct announced {
	char **s;
	size_t cap;
	ior_str last;
};

static void ann_string(void *ctx, ior_str id, const char *str, size_t len)
{
	struct announced *a = ctx;

	cr_assert_gt(id, a->last, "ids are handed out in order, never again");
	a->last = id;
	if (id >= a->cap) {
		size_t cap = a->cap ? a->cap : 1024;

		while (cap <= id)
			cap *= 2;
		a->s = realloc(a->s, cap * sizeof(*a->s));
		memset(a->s + a->cap, 0, (cap - a->cap) * sizeof(*a->s));
		a->cap = cap;
	}
	a->s[id] = strndup(str, len);
}

static const char *ann(const struct announced *a, ior_str id)
{
	return id && id < a->cap && a->s[id] ? a->s[id] : "(never announced)";
}

Test(tracker, strings_bounded_held_names_kept)
{
	static const struct sink_ops ann_ops = { .string = ann_string };
	struct announced a = { 0 };
	struct tracker_counts counts;
	const struct ior_rec *r;
	char path[64];
	ior_str held, first_churn = 0;
	size_t peak = 0;

	tracker_free(fx.t);
	memset(&fx.pipe, 0, sizeof(fx.pipe));
	pipeline_add(&fx.pipe, &ann_ops, &a);
	pipeline_add(&fx.pipe, &cap_ops, &fx.cap);
	fx.t = tracker_new(&fx.pipe, &(struct tracker_opts){ .strings_max = 1 << 20 });
	tracker_launch(fx.t, PID);
	held = do_openat("/keep/held-open", O_RDONLY, 3)->file;
	/* 40,000 distinct paths, ~3 MiB of table unbounded: opened and closed. */
	for (int i = 0; i < 40000; i++) {
		fx.cap.n = 0;
		snprintf(path, sizeof(path), "/churn/a-rather-long-directory/file-%06d", i);
		r = do_openat(path, O_RDONLY, 4);
		cr_assert_str_eq(ann(&a, r->file), path);
		if (!i)
			first_churn = r->file;
		cr_assert_str_eq(ann(&a, r->flags), "O_RDONLY");
		do_fd_call("close", 4, 0);
		if (i % 1000 == 999) {
			r = do_fd_call("read", 3, 1);
			cr_assert_eq(r->file, held, "a held descriptor's name keeps its id");
			cr_assert_str_eq(s(r->file), "/keep/held-open", "and its bytes");
		}
		if (intern_bytes(tracker_strings(fx.t)) > peak)
			peak = intern_bytes(tracker_strings(fx.t));
	}
	tracker_counts(fx.t, &counts);
	cr_assert_gt(counts.string_sweeps, 2);
	cr_assert_gt(counts.strings_forgotten, 30000);
	cr_assert_leq(peak, (size_t)(1 << 20) + (256 << 10), "peak %zu", peak);
	/* A forgotten name seen again: a new id, announced again. */
	fx.cap.n = 0;
	r = do_openat("/churn/a-rather-long-directory/file-000000", O_RDONLY, 5);
	cr_assert_gt(r->file, first_churn);
	cr_assert_str_eq(ann(&a, r->file), "/churn/a-rather-long-directory/file-000000");
	cr_assert_str_eq(s(do_fd_call("read", 5, 1)->file),
			 "/churn/a-rather-long-directory/file-000000");
	/* The launched process's comm (held by it) was never forgotten. */
	cr_assert_str_eq(s(r->comm), "ior");
	for (size_t i = 0; i < a.cap; i++)
		free(a.s[i]);
	free(a.s);
}

/* The live UI's sinks under a bounded table: statistics (files folded past
 * 1,000), the stream and the snapshots keep the names they show through the
 * sweeps, and the snapshot's pointers follow the texts as they move (ASan
 * would see a stale one). */
Test(tracker, strings_bounded_under_the_live_ui_sinks)
{
	struct stats *st = calloc(1, sizeof(*st));
	struct stream stream;
	struct snapshot_box box;
	struct ior_err err = { 0 };
	struct tracker_counts counts;
	const struct snapshot *s;
	char path[64];
	int early = 0;

	stats_init(st);
	st->files_max = 1000;
	stream_init(&stream, 16);
	cr_assert_eq(snapshot_box_init(&box, st, &stream, 0, 50, 16, &err), 0, "%s", err.msg);
	tracker_free(fx.t);
	memset(&fx.pipe, 0, sizeof(fx.pipe));
	pipeline_add(&fx.pipe, &stats_sink_ops, st);
	pipeline_add(&fx.pipe, &stream_sink_ops, &stream);
	pipeline_add(&fx.pipe, &snapshot_sink_ops, &box);
	fx.t = tracker_new(&fx.pipe, &(struct tracker_opts){ .strings_max = 1 << 20 });
	tracker_launch(fx.t, PID);
	do_openat("/keep/held-open", O_RDONLY, 3);
	/* Named early, closed, busy: only the statistics hold its name. */
	do_openat("/early/busy", O_RDONLY, 5);
	for (int i = 0; i < 50; i++)
		do_fd_call("read", 5, 1);
	do_fd_call("close", 5, 0);
	for (int i = 0; i < 40000; i++) {
		snprintf(path, sizeof(path), "/churn/a-rather-long-directory/file-%06d", i);
		do_openat(path, O_RDONLY, 4);
		do_fd_call("close", 4, 0);
		if (i % 100 == 99) {
			do_fd_call("read", 3, 1);
			do_fd_call("read", 3, 1);
		}
		if (i % 5000 == 4999)
			snapshot_box_publish(&box); /* builds read names between sweeps */
	}
	tracker_counts(fx.t, &counts);
	cr_assert_gt(counts.string_sweeps, 1);
	cr_assert_gt(counts.strings_forgotten, 20000);
	cr_assert_leq(box.str.count, (size_t)intern_count(tracker_strings(fx.t)));
	snapshot_box_publish(&box);
	s = snapshot_box_acquire(&box);
	cr_assert_not_null(s);
	cr_assert_gt(s->nfiles, 10);
	for (size_t i = 0; i < s->nfiles; i++) {
		const char *name = snapshot_str(s, s->files[i].path);

		cr_assert_not_null(name, "file row %zu has a name", i);
		cr_assert(!strcmp(name, "/keep/held-open") || !strcmp(name, STATS_OTHER_FILES) ||
				  !strcmp(name, "/early/busy") ||
				  !strncmp(name, "/churn/a-rather-long-directory/file-", 36),
			  "row %zu: %s", i, name);
		early += !strcmp(name, "/early/busy");
	}
	cr_assert_eq(early, 1, "the early busy file is listed under its name");
	cr_assert_str_eq(snapshot_str(s, s->files[0].path), "/keep/held-open", "the busiest");
	for (size_t i = 0; i < s->nrecent; i++)
		cr_assert_not_null(snapshot_str(s, s->recent[i].file), "recent %zu", i);
	cr_assert_str_eq(snapshot_str(s, s->procs[0].comm), "ior");
	snapshot_box_fini(&box);
	stream_fini(&stream);
	stats_fini(st);
	free(st);
}
