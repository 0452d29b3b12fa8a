/* The replay clock: a thread feeding a session into statistics, stream and
 * snapshots, paced by a speed, moved by commands. Seeking back starts over
 * from the first record (the session has no statistics checkpoints yet), so
 * a seek costs the records before its target. */
#include "core/player.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/intern.h"
#include "core/replay.h"
#include "core/xalloc.h"

#define FEED_BATCH 65536	/* records per turn of the loop at most */
#define TICK_MS	   10		/* the loop's pace while playing */
#define FOLLOW_NS  500000000ull /* how often the end is checked for growth */

struct proc_row {
	struct ior_proc_ev start, exit;
	bool has_exit;
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
	struct proc_row *procs; /* by start time */
	size_t nprocs, next_start;
	size_t *by_exit; /* indices into procs, by exit time */
	size_t nexits, next_exit;
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

static int load_procs(struct player *p, struct ior_err *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	if (sqlite3_prepare_v2(
		    p->db,
		    "SELECT pid, ppid, comm, exe, coalesce(start_ns, 0), exit_ns, exit_code"
		    " FROM processes ORDER BY coalesce(start_ns, 0), id",
		    -1, &st, NULL))
		return ior_err_set(err, -EIO, "session: processes: %s", sqlite3_errmsg(p->db));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct proc_row *r;

		if (p->nprocs == cap) {
			cap = cap ? cap * 2 : 64;
			p->procs = xrealloc(p->procs, cap * sizeof(*p->procs));
		}
		r = &p->procs[p->nprocs++];
		memset(r, 0, sizeof(*r));
		r->start.kind = PROC_START;
		r->start.pid = r->start.tid = (uint32_t)sqlite3_column_int64(st, 0);
		r->start.ppid = (uint32_t)sqlite3_column_int64(st, 1);
		r->start.comm = (ior_str)sqlite3_column_int64(st, 2);
		r->start.exe = (ior_str)sqlite3_column_int64(st, 3);
		r->start.ts_ns = (uint64_t)sqlite3_column_int64(st, 4);
		r->has_exit = sqlite3_column_type(st, 5) != SQLITE_NULL;
		r->exit = r->start;
		r->exit.kind = PROC_EXIT;
		r->exit.ts_ns = (uint64_t)sqlite3_column_int64(st, 5);
		r->exit.exit_code = sqlite3_column_int(st, 6);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ior_err_set(err, -EIO, "session: processes: %s", sqlite3_errmsg(p->db));
	return 0;
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

static int exit_cmp(const void *a, const void *b, void *ctx)
{
	const struct proc_row *procs = ctx;
	uint64_t x = procs[*(const size_t *)a].exit.ts_ns, y = procs[*(const size_t *)b].exit.ts_ns;

	return x < y ? -1 : x > y;
}

static void sort_exits(struct player *p)
{
	p->by_exit = xcalloc(p->nprocs ? p->nprocs : 1, sizeof(*p->by_exit));
	for (size_t i = 0; i < p->nprocs; i++)
		if (p->procs[i].has_exit)
			p->by_exit[p->nexits++] = i;
	qsort_r(p->by_exit, p->nexits, sizeof(*p->by_exit), exit_cmp, p->procs);
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

/* Processes that started or ended by ts, into the pipeline. */
static void feed_procs(struct player *p, uint64_t ts)
{
	while (p->next_start < p->nprocs && p->procs[p->next_start].start.ts_ns <= ts)
		pipeline_proc(&p->pipe, &p->procs[p->next_start++].start);
	while (p->next_exit < p->nexits && p->procs[p->by_exit[p->next_exit]].exit.ts_ns <= ts)
		pipeline_proc(&p->pipe, &p->procs[p->by_exit[p->next_exit++]].exit);
}

static void feed_one(struct player *p)
{
	feed_procs(p, p->next.ts_ns);
	pipeline_event(&p->pipe, &p->next);
	p->cursor_id = p->next_id;
	p->cursor_ns = p->next.ts_ns;
	fetch(p);
}

/* Back to before the first record: empty statistics and stream. */
static void rewind_to_start(struct player *p)
{
	stats_fini(p->stats);
	stats_init(p->stats);
	p->stream.head = 0;
	p->box.events = 0;
	p->next_start = p->next_exit = 0;
	p->cursor_id = 0;
	p->cursor_ns = p->info.start_ns;
	refetch(p);
}

static void seek_id(struct player *p, uint64_t id)
{
	if (id < p->cursor_id)
		rewind_to_start(p);
	while (p->have_next && p->next_id <= id)
		feed_one(p);
}

static void seek_time(struct player *p, uint64_t ts)
{
	if (ts < p->cursor_ns)
		rewind_to_start(p);
	while (p->have_next && p->next.ts_ns <= ts)
		feed_one(p);
	if (!p->have_next || ts > p->cursor_ns)
		p->cursor_ns = ts < p->end_ns || !p->end_ns ? ts : p->end_ns;
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
			sqlite3_reset(p->ev);
			refresh_span(p);
			refetch(p);
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
	stream_init(&p->stream, o->stream_records);
	if ((rc = snapshot_box_init(&p->box, p->stats, &p->stream, o->period_ns, o->files_max,
				    o->stream_records, err)))
		goto fail;
	pipeline_add(&p->pipe, &stats_sink_ops, p->stats);
	pipeline_add(&p->pipe, &stream_sink_ops, &p->stream);
	pipeline_add(&p->pipe, &snapshot_sink_ops, &p->box);
	p->strings = intern_new();
	if ((rc = replay_strings(p->db, p->strings, &p->pipe, err)) || (rc = load_procs(p, err)) ||
	    (rc = replay_events_open(p->db, &p->ev, err)))
		goto fail;
	sort_exits(p);
	p->end_ns = p->info.end_ns;
	refresh_span(p);
	p->cursor_ns = p->info.start_ns;
	refetch(p);
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
	*out = p;
	return 0;
fail:
	player_stop(p);
	return rc;
}

void player_send(struct player *p, const struct player_cmd *cmd)
{
	/* A pipe write of a small struct is atomic; the pipe holds hundreds. */
	ssize_t unused = write(p->cmd_wr, cmd, sizeof(*cmd));

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
	free(p->by_exit);
	free(p);
}
