/* The replay clock: a thread feeding a session into statistics, stream and
 * snapshots, paced by a speed, moved by commands. A seek loads the nearest
 * checkpoint of the statistics before its target (schema 2, core/ckpt) and
 * feeds the records from there; without one (schema 1, another machine's
 * syscall numbers) it feeds them from the first record. */
#include "core/player.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/ckpt.h"
#include "core/intern.h"
#include "core/replay.h"
#include "core/xalloc.h"

#define FEED_BATCH 65536	/* records per turn of the loop at most */
#define TICK_MS	   10		/* the loop's pace while playing */
#define FOLLOW_NS  500000000ull /* how often the end is checked for growth */
/* A seek forward loads a checkpoint only when it saves this many records. */
#define CKPT_SKIP  5000

/* A process start or exit, where the session puts it: in schema 2 after
 * the record whose id is at (records written before it), in schema 1 at
 * its time. */
struct proc_at {
	uint64_t at;
	int64_t row; /* processes.id */
	struct ior_proc_ev ev;
};

struct ckpt_at {
	uint64_t id;		/* the last record it holds */
	uint64_t ts_ns, max_ns; /* that record's time; the latest time up to it */
	bool bad;		/* failed to load once: not tried again */
};

struct player {
	struct player_opts o;
	sqlite3 *db;
	struct session_info info;
	struct intern *strings;
	struct stats *stats;
	struct stream stream;
	struct snapshot_box box;
	struct pipeline pipe;
	sqlite3_stmt *ev;
	struct ior_rec next; /* the record the cursor meets next */
	uint64_t next_id;
	bool have_next;
	struct proc_at *procs; /* in session order (see struct proc_at) */
	size_t nprocs, next_proc;
	bool procs_by_id;		/* schema 2: struct proc_at.at is a record id */
	int64_t procs_seen, exits_seen; /* processes rows and exits as loaded */
	struct ckpt_at *ckpts;		/* by id */
	size_t nckpts;
	uint64_t ckpt_last; /* the last id in ckpts */
	bool use_ckpts;
	ior_str strings_last; /* the last string id loaded */
	uint64_t cursor_id, cursor_ns;
	uint64_t last_id; /* the last record id known in the session */
	uint64_t end_ns;  /* the span's end so far (info stays as opened: the UI reads it) */
	double speed;
	bool paused;
	uint64_t anchor_wall, anchor_ns; /* real time and session time play started from */
	uint64_t last_follow;
	int cmd_rd, cmd_wr;
	pthread_t thread;
	bool started;
};

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int proc_at_cmp(const void *a, const void *b)
{
	const struct proc_at *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	if (x->row != y->row) /* a pid's earlier lifetime ends first */
		return x->row < y->row ? -1 : 1;
	return (x->ev.kind == PROC_EXIT) - (y->ev.kind == PROC_EXIT);
}

static void add_proc(struct player *p, size_t *cap, const struct proc_at *pa)
{
	if (p->nprocs == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		p->procs = xrealloc(p->procs, *cap * sizeof(*p->procs));
	}
	p->procs[p->nprocs++] = *pa;
}

/* Every process start and exit of the session, in the order the session
 * says (struct proc_at). Again when it grew (a session being recorded). */
static int load_procs(struct player *p, struct ior_err *err)
{
	static const char *const sql[2] = {
		"SELECT pid, ppid, comm, exe, coalesce(start_ns, 0), exit_ns, exit_code, id"
		" FROM processes",
		"SELECT pid, ppid, comm, exe, coalesce(start_ns, 0), exit_ns, exit_code, id,"
		" start_pos, exit_pos FROM processes",
	};
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	p->nprocs = 0;
	p->procs_seen = p->exits_seen = 0;
	if (sqlite3_prepare_v2(p->db, sql[p->procs_by_id], -1, &st, NULL))
		return ior_err_set(err, -EIO, "session: processes: %s", sqlite3_errmsg(p->db));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct proc_at start = { .row = sqlite3_column_int64(st, 7) }, exit;

		start.ev.kind = PROC_START;
		start.ev.pid = start.ev.tid = (uint32_t)sqlite3_column_int64(st, 0);
		start.ev.ppid = (uint32_t)sqlite3_column_int64(st, 1);
		start.ev.comm = (ior_str)sqlite3_column_int64(st, 2);
		start.ev.exe = (ior_str)sqlite3_column_int64(st, 3);
		start.ev.ts_ns = (uint64_t)sqlite3_column_int64(st, 4);
		start.at = p->procs_by_id ? (uint64_t)sqlite3_column_int64(st, 8) : start.ev.ts_ns;
		add_proc(p, &cap, &start);
		p->procs_seen++;
		if (sqlite3_column_type(st, 5) == SQLITE_NULL)
			continue;
		exit = start;
		exit.ev.kind = PROC_EXIT;
		exit.ev.ts_ns = (uint64_t)sqlite3_column_int64(st, 5);
		exit.ev.exit_code = sqlite3_column_int(st, 6);
		exit.at = p->procs_by_id ? (uint64_t)sqlite3_column_int64(st, 9) : exit.ev.ts_ns;
		add_proc(p, &cap, &exit);
		p->exits_seen++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ior_err_set(err, -EIO, "session: processes: %s", sqlite3_errmsg(p->db));
	if (p->nprocs)
		qsort(p->procs, p->nprocs, sizeof(*p->procs), proc_at_cmp);
	return 0;
}

/* Does the session's first checkpoint have format 1 (written by a recorder
 * that folded no process)? */
static bool ckpts_format_1(struct player *p)
{
	sqlite3_stmt *st;
	bool old = false;

	if (sqlite3_prepare_v2(p->db,
			       "SELECT substr(stats, 1, 16) FROM checkpoints ORDER BY id LIMIT 1",
			       -1, &st, NULL))
		return false;
	if (sqlite3_step(st) == SQLITE_ROW)
		old = ckpt_format(sqlite3_column_blob(st, 0),
				  (size_t)sqlite3_column_bytes(st, 0)) == 1;
	sqlite3_finalize(st);
	return old;
}

/* The checkpoints after the last one known (all of them the first time). */
static void load_ckpts(struct player *p)
{
	sqlite3_stmt *st;
	size_t cap = p->nckpts;

	if (!p->use_ckpts ||
	    sqlite3_prepare_v2(p->db,
			       "SELECT id, ts, ts_max FROM checkpoints WHERE id > ? ORDER BY id",
			       -1, &st, NULL))
		return;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)p->ckpt_last);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (p->nckpts == cap) {
			cap = cap ? cap * 2 : 64;
			p->ckpts = xrealloc(p->ckpts, cap * sizeof(*p->ckpts));
		}
		p->ckpts[p->nckpts++] = (struct ckpt_at){
			.id = (uint64_t)sqlite3_column_int64(st, 0),
			.ts_ns = p->info.start_ns + (uint64_t)sqlite3_column_int64(st, 1),
			.max_ns = p->info.start_ns + (uint64_t)sqlite3_column_int64(st, 2),
		};
		p->ckpt_last = p->ckpts[p->nckpts - 1].id;
	}
	sqlite3_finalize(st);
}

/* The session's last record (the primary key's end, no scan): its id, and
 * the end of the span so far. A session still being recorded grows. */
static void refresh_span(struct player *p)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(p->db,
			       "SELECT id, ts + coalesce(duration, 0) FROM events"
			       " ORDER BY id DESC LIMIT 1",
			       -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		uint64_t end = p->info.start_ns + (uint64_t)sqlite3_column_int64(st, 1);

		if ((uint64_t)sqlite3_column_int64(st, 0) > p->last_id)
			p->last_id = (uint64_t)sqlite3_column_int64(st, 0);
		if (end > p->end_ns)
			p->end_ns = end;
	}
	sqlite3_finalize(st);
}

/* Read the next record after the cursor into p->next. */
static void fetch(struct player *p)
{
	p->have_next = sqlite3_step(p->ev) == SQLITE_ROW;
	if (p->have_next) {
		p->next_id = replay_row(p->ev, &p->info, &p->next);
		if (p->next_id > p->last_id)
			p->last_id = p->next_id;
	}
}

/* Look again past the cursor (a session still being recorded grows). */
static void refetch(struct player *p)
{
	sqlite3_reset(p->ev);
	sqlite3_bind_int64(p->ev, 1, (sqlite3_int64)p->cursor_id);
	fetch(p);
}

/* The process starts and exits due by now into the pipeline: in schema 2
 * those after the cursor's record, in schema 1 those by time ts. */
static void feed_procs(struct player *p, uint64_t ts)
{
	uint64_t upto = p->procs_by_id ? p->cursor_id : ts;

	while (p->next_proc < p->nprocs && p->procs[p->next_proc].at <= upto)
		pipeline_proc(&p->pipe, &p->procs[p->next_proc++].ev);
}

static void feed_one(struct player *p)
{
	if (!p->procs_by_id)
		feed_procs(p, p->next.ts_ns);
	pipeline_event(&p->pipe, &p->next);
	p->cursor_id = p->next_id;
	p->cursor_ns = p->next.ts_ns;
	if (p->procs_by_id)
		feed_procs(p, 0);
	fetch(p);
}

/* Back to before the first record: empty statistics and stream. */
static void clear_stats(struct player *p)
{
	uint64_t lost = p->stats->lost;
	size_t files_max = p->stats->files_max, procs_max = p->stats->procs_max;

	stats_fini(p->stats);
	stats_init(p->stats);
	p->stats->lost = lost;
	p->stats->files_max = files_max;
	p->stats->procs_max = procs_max;
	p->stream.head = 0;
	p->next_proc = 0;
}

static void rewind_to_start(struct player *p)
{
	clear_stats(p);
	p->box.events = 0;
	p->cursor_id = 0;
	p->cursor_ns = p->info.start_ns;
	if (p->procs_by_id)
		feed_procs(p, 0);
	refetch(p);
}

/* The records up to id into the stream alone: the newest its ring holds,
 * as a feed from the first record would have left it. */
static void refill_stream(struct player *p, uint64_t id)
{
	uint64_t from = id > p->stream.cap ? id - p->stream.cap : 0;
	struct ior_rec r;

	sqlite3_reset(p->ev);
	sqlite3_bind_int64(p->ev, 1, (sqlite3_int64)from);
	while (sqlite3_step(p->ev) == SQLITE_ROW) {
		if (replay_row(p->ev, &p->info, &r) > id)
			break;
		stream_push(&p->stream, &r);
	}
}

/* Statistics as of checkpoint c, with the process starts and exits up to
 * it applied as a feed from the first record would have: a start after a
 * process's latest record gives it the start's comm, else the record's
 * stays. A blob of format 2 holds every process the feed would hold: the
 * events of the others (folded) are left out, and so are those of a
 * process's pid before its row was made (a row folded since). A blob of
 * format 1 folded no process: it will do only when this replay folds none
 * either. False when the checkpoint cannot be read (it is then left alone
 * from now on, and the statistics are empty). */
static bool load_ckpt(struct player *p, struct ckpt_at *c)
{
	struct ior_err err = { 0 };
	sqlite3_stmt *st;
	uint32_t format = 0;
	bool ok = false;

	clear_stats(p);
	if (sqlite3_prepare_v2(p->db, "SELECT stats FROM checkpoints WHERE id = ?", -1, &st,
			       NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, (sqlite3_int64)c->id);
		if (sqlite3_step(st) == SQLITE_ROW) {
			const void *blob = sqlite3_column_blob(st, 0);
			size_t len = (size_t)sqlite3_column_bytes(st, 0);

			format = ckpt_format(blob, len);
			ok = (format >= 2 || p->stats->procs_max == SIZE_MAX) &&
			     ckpt_load(p->stats, blob, len, &err) == 0 &&
			     p->stats->total.calls == c->id;
		}
		sqlite3_finalize(st);
	}
	if (!ok) {
		c->bad = true;
		clear_stats(p);
		return false;
	}
	for (; p->next_proc < p->nprocs && p->procs[p->next_proc].at <= c->id; p->next_proc++) {
		const struct proc_at *pa = &p->procs[p->next_proc];
		struct stats_proc *sp = u32map_get(&p->stats->procs, pa->ev.pid);
		ior_str comm = sp ? sp->comm : 0;

		if (format >= 2 && (!sp || pa->at < sp->since))
			continue;
		stats_proc_event(p->stats, &pa->ev);
		if (sp && sp->last_rec > pa->at)
			sp->comm = comm;
	}
	refill_stream(p, c->id);
	p->box.events = c->id;
	p->cursor_id = c->id;
	p->cursor_ns = c->ts_ns;
	refetch(p);
	return true;
}

/* The last good checkpoint that a feed from the first record would pass
 * on its way to record id (by_time: to time ts), or NULL. */
static struct ckpt_at *ckpt_before(struct player *p, uint64_t id, uint64_t ts, bool by_time)
{
	size_t lo = 0, hi = p->nckpts;

	while (lo < hi) { /* ids and latest times both only grow */
		size_t mid = (lo + hi) / 2;
		bool before = by_time ? p->ckpts[mid].max_ns <= ts : p->ckpts[mid].id <= id;

		if (before)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo > 0 && p->ckpts[lo - 1].bad)
		lo--;
	return lo ? &p->ckpts[lo - 1] : NULL;
}

/* Before feeding toward a target: to the nearest good checkpoint before it
 * when that is behind the cursor or far enough ahead, else to the start
 * when the target is behind the cursor. A checkpoint that fails to load has
 * emptied the statistics: then only an earlier one or the start will do. */
static void jump_toward(struct player *p, uint64_t id, uint64_t ts, bool by_time)
{
	bool behind = by_time ? ts < p->cursor_ns : id < p->cursor_id;
	struct ckpt_at *c;

	while ((c = ckpt_before(p, id, ts, by_time)) &&
	       (behind || c->id > p->cursor_id + CKPT_SKIP)) {
		if (load_ckpt(p, c))
			return;
		behind = true;
	}
	if (behind)
		rewind_to_start(p);
}

static void seek_id(struct player *p, uint64_t id)
{
	jump_toward(p, id, 0, false);
	while (p->have_next && p->next_id <= id)
		feed_one(p);
}

static void seek_time(struct player *p, uint64_t ts)
{
	jump_toward(p, 0, ts, true);
	while (p->have_next && p->next.ts_ns <= ts)
		feed_one(p);
	if (!p->have_next || ts > p->cursor_ns)
		p->cursor_ns = ts < p->end_ns || !p->end_ns ? ts : p->end_ns;
	if (!p->procs_by_id)
		feed_procs(p, p->cursor_ns);
}

static void publish(struct player *p)
{
	struct snapshot_box *b = &p->box;

	b->cursor_ns = p->cursor_ns;
	b->cursor_id = p->cursor_id;
	b->span_start_ns = p->info.start_ns;
	b->span_end_ns = p->end_ns > p->cursor_ns ? p->end_ns : p->cursor_ns;
	b->span_events = p->last_id;
	b->speed = p->speed;
	b->paused = p->paused;
	b->at_end = !p->have_next;
	pipeline_flush(&p->pipe);
	snapshot_box_publish(b);
}

static void reanchor(struct player *p)
{
	p->anchor_wall = mono_ns();
	p->anchor_ns = p->cursor_ns;
}

/* Apply one command; false on PLAYER_STOP. */
static bool command(struct player *p, const struct player_cmd *c)
{
	switch (c->kind) {
	case PLAYER_PAUSE:
		p->paused = c->arg != 0;
		break;
	case PLAYER_SPEED:
		p->speed = c->speed;
		break;
	case PLAYER_STEP:
		p->paused = true;
		if (c->arg > 0)
			for (int64_t i = 0; i < c->arg && p->have_next; i++)
				feed_one(p);
		else
			seek_id(p, p->cursor_id > (uint64_t)-c->arg
					   ? p->cursor_id - (uint64_t)-c->arg
					   : 0);
		break;
	case PLAYER_STEP_TIME:
		p->paused = true;
		seek_time(p, c->arg < 0 && (uint64_t)-c->arg > p->cursor_ns
				     ? 0
				     : p->cursor_ns + (uint64_t)c->arg);
		break;
	case PLAYER_SEEK_ID:
		seek_id(p, c->arg > 0 ? (uint64_t)c->arg : 0);
		break;
	case PLAYER_SEEK_TIME:
		seek_time(p, c->arg > 0 ? (uint64_t)c->arg : 0);
		break;
	case PLAYER_STOP:
		return false;
	}
	reanchor(p);
	return true;
}

/* Feed what the clock says is due by now. */
static void play(struct player *p)
{
	uint64_t target = UINT64_MAX;
	size_t n = 0;

	if (p->speed > 0)
		target = p->anchor_ns + (uint64_t)((double)(mono_ns() - p->anchor_wall) * p->speed);
	while (p->have_next && p->next.ts_ns <= target && n++ < FEED_BATCH)
		feed_one(p);
	if (target != UINT64_MAX && target > p->cursor_ns && !p->have_next)
		p->cursor_ns = p->end_ns && target > p->end_ns ? p->end_ns : target;
	else if (target != UINT64_MAX && target > p->cursor_ns)
		p->cursor_ns = target; /* the clock runs on between records */
}

/* What a session still being recorded added since the last look: strings,
 * processes (again, when their count or exits changed), checkpoints, the
 * span's end. */
static void follow(struct player *p)
{
	struct ior_err err = { 0 };
	sqlite3_stmt *st;

	/* Let go of the WAL snapshot the record statement pins and take a new
	 * one: the statements below then read that same snapshot (one
	 * connection, one read transaction while the statement is active), so
	 * every record the cursor meets has its strings and processes loaded. */
	sqlite3_reset(p->ev);
	refetch(p);
	refresh_span(p);
	replay_strings(p->db, p->strings, &p->pipe, &p->strings_last, &err);
	if (sqlite3_prepare_v2(p->db, "SELECT count(*), count(exit_ns) FROM processes", -1, &st,
			       NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW &&
	    (sqlite3_column_int64(st, 0) != p->procs_seen ||
	     sqlite3_column_int64(st, 1) != p->exits_seen) &&
	    load_procs(p, &err) == 0) {
		/* Those due at the cursor again (applying one twice changes
		 * nothing), then on as the records come. */
		uint64_t upto = p->procs_by_id ? p->cursor_id : p->cursor_ns;

		p->next_proc = 0;
		while (p->next_proc < p->nprocs && p->procs[p->next_proc].at < upto)
			p->next_proc++;
		feed_procs(p, p->cursor_ns);
	}
	sqlite3_finalize(st);
	load_ckpts(p);
}

static void *run(void *arg)
{
	struct player *p = arg;
	bool go = true;

	if (p->o.start_ns)
		seek_time(p, p->o.start_ns);
	reanchor(p);
	publish(p);
	while (go) {
		struct pollfd pfd = { .fd = p->cmd_rd, .events = POLLIN };
		struct player_cmd c;
		bool idle = p->paused || (!p->have_next && p->speed == 0);

		if (poll(&pfd, 1, idle ? 200 : TICK_MS) > 0) {
			while (go && read(p->cmd_rd, &c, sizeof(c)) == sizeof(c))
				go = command(p, &c);
			if (!go)
				break;
		}
		if (!p->paused)
			play(p);
		if (mono_ns() - p->last_follow > FOLLOW_NS) {
			p->last_follow = mono_ns();
			/* Still being recorded? An active statement pins the
			 * connection to its WAL snapshot: let go of it, look at
			 * the end, and pick the cursor's next record up again. */
			follow(p);
		}
		publish(p);
	}
	return NULL;
}

int player_start(struct player **out, const char *path, const struct player_opts *o,
		 struct ior_err *err)
{
	struct player *p = xcalloc(1, sizeof(*p));
	int fds[2], rc;

	*out = NULL;
	p->o = *o;
	p->speed = o->speed;
	p->paused = o->paused;
	p->cmd_rd = p->cmd_wr = -1;
	if ((rc = session_open(path, &p->db, &p->info, err)))
		goto fail;
	p->stats = xcalloc(1, sizeof(*p->stats));
	stats_init(p->stats);
	if (o->stats_files_max)
		p->stats->files_max = o->stats_files_max;
	if (o->stats_procs_max)
		p->stats->procs_max = o->stats_procs_max;
	stream_init(&p->stream, o->stream_records);
	if ((rc = snapshot_box_init(&p->box, p->stats, &p->stream, o->period_ns, o->files_max,
				    o->stream_records, err)))
		goto fail;
	pipeline_add(&p->pipe, &stats_sink_ops, p->stats);
	pipeline_add(&p->pipe, &stream_sink_ops, &p->stream);
	pipeline_add(&p->pipe, &snapshot_sink_ops, &p->box);
	p->strings = intern_new();
	p->procs_by_id = p->info.schema_version >= 2;
	/* A blob counts by this machine's syscall numbers. */
	p->use_ckpts = p->info.schema_version >= 2 && p->info.nr_identity && !o->no_checkpoints;
	p->cursor_ns = p->info.start_ns;
	/* The first record first: its statement's read snapshot is the one
	 * the rest is read in (see follow). */
	if ((rc = replay_events_open(p->db, &p->ev, err)))
		goto fail;
	refetch(p);
	if ((rc = replay_strings(p->db, p->strings, &p->pipe, &p->strings_last, err)) ||
	    (rc = load_procs(p, err)))
		goto fail;
	load_ckpts(p);
	/* The recorder's bound, as its checkpoints hold it: one that wrote
	 * format 1 folded no process, so neither does a feed from the start. */
	if (ckpts_format_1(p))
		p->stats->procs_max = SIZE_MAX;
	p->end_ns = p->info.end_ns;
	refresh_span(p);
	if (p->procs_by_id)
		feed_procs(p, 0);
	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK)) {
		rc = ior_err_set(err, -errno, "pipe: %s", strerror(errno));
		goto fail;
	}
	p->cmd_rd = fds[0];
	p->cmd_wr = fds[1];
	pipeline_lost(&p->pipe, p->info.events_lost);
	if ((rc = -pthread_create(&p->thread, NULL, run, p))) {
		ior_err_set(err, rc, "replay: cannot start a thread");
		goto fail;
	}
	p->started = true;
	pthread_setname_np(p->thread, "ior-player");
	if (o->background) {
		struct sched_param none = { 0 };

		pthread_setschedparam(p->thread, SCHED_IDLE, &none); /* best effort */
	}
	*out = p;
	return 0;
fail:
	player_stop(p);
	return rc;
}

void player_send(struct player *p, const struct player_cmd *cmd)
{
	/* A pipe write of a small struct is atomic; the pipe holds hundreds.
	 * Copied field by field: the padding goes out zeroed, not as stack. */
	struct player_cmd c;
	ssize_t unused;

	memset(&c, 0, sizeof(c));
	c.kind = cmd->kind;
	c.arg = cmd->arg;
	c.speed = cmd->speed;
	unused = write(p->cmd_wr, &c, sizeof(c));
	(void)unused;
}

struct snapshot_box *player_box(struct player *p)
{
	return &p->box;
}

const struct session_info *player_info(const struct player *p)
{
	return &p->info;
}

void player_stop(struct player *p)
{
	if (!p)
		return;
	if (p->started) {
		struct player_cmd stop = { .kind = PLAYER_STOP };
		int fl = fcntl(p->cmd_wr, F_GETFL);

		fcntl(p->cmd_wr, F_SETFL, fl & ~O_NONBLOCK); /* the stop must get through */
		player_send(p, &stop);
		pthread_join(p->thread, NULL);
	}
	if (p->cmd_rd >= 0)
		close(p->cmd_rd);
	if (p->cmd_wr >= 0)
		close(p->cmd_wr);
	sqlite3_finalize(p->ev);
	if (p->db)
		sqlite3_close(p->db);
	snapshot_box_fini(&p->box);
	stream_fini(&p->stream);
	if (p->stats) {
		stats_fini(p->stats);
		free(p->stats);
	}
	intern_free(p->strings);
	free(p->procs);
	free(p->ckpts);
	free(p);
}
