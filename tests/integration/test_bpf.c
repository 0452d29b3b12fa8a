/* No BPF program, map or link outlives `ior record`, whatever way it ends
 * (issue 9): the objects one ior holds are read from its /proc fdinfo while
 * it records, and after it has gone `bpftool -j prog/map/link list` must no
 * longer list any of them, nor any new object named as ior's (bpf/ior.bpf.c)
 * that no live process holds. Other tracers and other iors (a parallel make
 * check) may load and free objects meanwhile: theirs are held by their fds. */
#include <ctype.h>

#include "harness.h"

TestSuite(bpf, .init = h_setup, .fini = h_teardown, .timeout = 120);

enum kind { K_PROG, K_MAP, K_LINK, K_N };

static const char *const kind_cmd[K_N] = { "prog", "map", "link" };
/* fdinfo key and anon inode name of each kind */
static const char *const kind_key[K_N] = { "prog_id:", "map_id:", "link_id:" };
static const char *const kind_inode[K_N] = { "anon_inode:bpf-prog", "anon_inode:bpf-map",
					     "anon_inode:bpf_link" };

#define MAX_IDS 8192

struct ids {
	int n;
	uint32_t id[MAX_IDS];
};

/* One object of a bpftool list: its id, name, the prog of a link and the
 * maps of a prog. */
struct obj {
	uint32_t id, prog_id;
	char name[256];
	int nmaps;
	uint32_t maps[64];
};

static bool ids_has(const struct ids *s, uint32_t id)
{
	for (int i = 0; i < s->n; i++)
		if (s->id[i] == id)
			return true;
	return false;
}

static void ids_add(struct ids *s, uint32_t id)
{
	if (!ids_has(s, id) && s->n < MAX_IDS)
		s->id[s->n++] = id;
}

/* Parse `bpftool -j KIND list`: an array of flat objects whose only nested
 * values are arrays of numbers (map_ids) or of strings; calls fn on each
 * object's id, name, prog_id and map_ids. */
/* The output of `bpftool -j KIND list`, malloc'd (*len bytes). bpftool
 * fails now and then when an object goes away while it lists (another
 * test's ior exiting): it is asked again. */
static char *bpftool_output(enum kind k, size_t *len)
{
	char cmd[64], *out = NULL;

	snprintf(cmd, sizeof(cmd), "bpftool -j %s list 2>/dev/null", kind_cmd[k]);
	for (int tries = 1;; tries++) {
		FILE *f = popen(cmd, "r"), *mem;
		int c;

		cr_assert_not_null(f, "bpftool");
		mem = open_memstream(&out, len);
		cr_assert_not_null(mem);
		while ((c = fgetc(f)) != EOF)
			fputc(c, mem);
		fclose(mem);
		if (pclose(f) == 0)
			return out;
		cr_assert_lt(tries, 20, "bpftool -j %s list failed %d times", kind_cmd[k], tries);
		free(out);
		out = NULL;
		usleep(50000);
	}
}

static int bpftool_list(enum kind k, void (*fn)(const struct obj *, void *), void *arg)
{
	char key[256], *out;
	struct obj o;
	int c, depth = 0, n = 0;
	bool in_array = false;
	size_t out_len;
	FILE *f;

	out = bpftool_output(k, &out_len);
	if (!out_len) {
		free(out);
		return 0;
	}
	f = fmemopen(out, out_len, "r");
	cr_assert_not_null(f);
	key[0] = '\0';
	while ((c = fgetc(f)) != EOF) {
		if (isspace(c) || c == ':')
			continue;
		if (c == '{') {
			if (++depth == 1)
				memset(&o, 0, sizeof(o));
		} else if (c == '}') {
			if (depth-- == 1) {
				fn(&o, arg);
				n++;
			}
		} else if (c == '[') {
			in_array = depth >= 1;
		} else if (c == ']') {
			in_array = false;
			key[0] = '\0';
		} else if (c == ',') {
			if (!in_array)
				key[0] = '\0';
		} else if (c == '"') {
			char s[256];
			size_t len = 0;

			while ((c = fgetc(f)) != EOF && c != '"') {
				if (c == '\\')
					c = fgetc(f);
				if (len < sizeof(s) - 1)
					s[len++] = (char)c;
			}
			s[len] = '\0';
			if (depth == 1 && !key[0] && !in_array)
				snprintf(key, sizeof(key), "%s", s);
			else if (depth == 1 && !strcmp(key, "name"))
				snprintf(o.name, sizeof(o.name), "%s", s);
		} else if (isdigit(c) || c == '-') {
			char num[32];
			size_t len = 0;
			unsigned long v;

			do {
				if (len < sizeof(num) - 1)
					num[len++] = (char)c;
			} while ((c = fgetc(f)) != EOF && (isalnum(c) || c == '.' || c == '-'));
			num[len] = '\0';
			v = strtoul(num, NULL, 0);
			if (depth == 1 && !strcmp(key, "id"))
				o.id = (uint32_t)v;
			else if (depth == 1 && !strcmp(key, "prog_id"))
				o.prog_id = (uint32_t)v;
			else if (depth == 1 && in_array && !strcmp(key, "map_ids") && o.nmaps < 64)
				o.maps[o.nmaps++] = (uint32_t)v;
			if (c == ',' && !in_array)
				key[0] = '\0';
			else if (c == '}' || c == ']')
				ungetc(c, f);
		} else if (isalpha(c)) { /* true, false, null */
			while ((c = fgetc(f)) != EOF && isalpha(c))
				;
			if (c == ',' && !in_array)
				key[0] = '\0';
			else if (c == '}' || c == ']')
				ungetc(c, f);
		}
	}
	fclose(f);
	free(out);
	return n;
}

/* Is this a name ior gives its objects? Programs are ior_*; the maps are
 * those declared in bpf/ior.bpf.c and the skeleton's ior_bpf.* sections. */
static bool ior_name(enum kind k, const char *name)
{
	static const char *const maps[] = { "events",	   "targets",	   "sc_spec", "lost",
					    "scratch_map", "inflight_map", "exec_map" };

	if (k == K_PROG)
		return !strncmp(name, "ior_", 4);
	if (k == K_MAP) {
		if (!strncmp(name, "ior_bpf.", 8))
			return true;
		for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
			if (!strcmp(name, maps[i]))
				return true;
	}
	return false;
}

/* What the system holds now: every id per kind, and those named as ior's
 * (a link is ior's when its program is). */
struct world {
	struct ids all[K_N], ior[K_N];
	struct ids *maps_of;	 /* if set: the maps of the programs in ... */
	const struct ids *progs; /* ... this set are added to it */
};

static void world_obj(const struct obj *o, void *arg)
{
	struct world *w = ((void **)arg)[0];
	enum kind k = (enum kind)(intptr_t)((void **)arg)[1];

	ids_add(&w->all[k], o->id);
	if (k == K_LINK ? ids_has(&w->ior[K_PROG], o->prog_id) : ior_name(k, o->name))
		ids_add(&w->ior[k], o->id);
	if (k == K_PROG && w->maps_of && ids_has(w->progs, o->id))
		for (int i = 0; i < o->nmaps; i++)
			ids_add(w->maps_of, o->maps[i]);
}

static void world_read(struct world *w, struct ids *maps_of, const struct ids *progs)
{
	memset(w, 0, sizeof(*w));
	w->maps_of = maps_of;
	w->progs = progs;
	for (int k = 0; k < K_N; k++) { /* progs first: links are named by them */
		void *arg[2] = { w, (void *)(intptr_t)k };

		bpftool_list((enum kind)k, world_obj, arg);
	}
}

/* Add the BPF objects pid holds through its descriptors to held[]. */
static void held_by(pid_t pid, struct ids held[K_N])
{
	char dir[64];
	struct dirent *e;
	DIR *d;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
	d = opendir(dir);
	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[384], target[64], line[128];
		ssize_t len;
		FILE *f;
		int k;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		len = readlink(path, target, sizeof(target) - 1);
		if (len <= 0)
			continue;
		target[len] = '\0';
		for (k = 0; k < K_N && strcmp(target, kind_inode[k]); k++)
			;
		if (k == K_N)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%s", (int)pid, e->d_name);
		f = fopen(path, "r");
		while (f && fgets(line, sizeof(line), f))
			if (!strncmp(line, kind_key[k], strlen(kind_key[k])))
				ids_add(&held[k],
					(uint32_t)strtoul(line + strlen(kind_key[k]), NULL, 10));
		if (f)
			fclose(f);
	}
	closedir(d);
}

/* Every BPF object some live process holds a descriptor to. */
static void held_by_anyone(struct ids held[K_N])
{
	struct dirent *e;
	DIR *d = opendir("/proc");

	cr_assert_not_null(d);
	while ((e = readdir(d)))
		if (isdigit((unsigned char)e->d_name[0]))
			held_by((pid_t)atoi(e->d_name), held);
	closedir(d);
}

/* What one ior held while it recorded: its descriptors, and the maps its
 * programs use (some are held by the programs alone). */
struct owned {
	struct ids id[K_N];
};

static void owned_read(struct owned *own, pid_t ior)
{
	struct world w;

	memset(own, 0, sizeof(*own));
	held_by(ior, own->id);
	cr_assert_geq(own->id[K_PROG].n, 2, "ior %d holds its programs", (int)ior);
	cr_assert_geq(own->id[K_LINK].n, 2, "ior %d holds its links", (int)ior);
	world_read(&w, &own->id[K_MAP], &own->id[K_PROG]);
	for (int i = 0; i < own->id[K_PROG].n; i++)
		cr_assert(ids_has(&w.ior[K_PROG], own->id[K_PROG].id[i]),
			  "prog %u of ior is named ior_*: the name filter works",
			  own->id[K_PROG].id[i]);
	for (int i = 0; i < own->id[K_MAP].n; i++)
		cr_assert(ids_has(&w.ior[K_MAP], own->id[K_MAP].id[i]),
			  "map %u of ior has one of ior's map names", own->id[K_MAP].id[i]);
}

/* What is left now: objects of own (if given) still listed, and objects
 * named as ior's, not in before, that no live process holds. Describes
 * them into why; returns how many. */
static int leftovers(const struct world *before, const struct owned *own, char *why, size_t size)
{
	struct ids held[K_N];
	struct world now;
	int n = 0;
	size_t pos = 0;

	world_read(&now, NULL, NULL);
	memset(held, 0, sizeof(held));
	held_by_anyone(held);
	why[0] = '\0';
	for (int k = 0; k < K_N; k++) {
		for (int i = 0; own && i < own->id[k].n; i++)
			if (ids_has(&now.all[k], own->id[k].id[i])) {
				n++;
				pos += (size_t)snprintf(why + pos, size - pos, " %s %u (ior's)",
							kind_cmd[k], own->id[k].id[i]);
			}
		for (int i = 0; i < now.ior[k].n; i++) {
			uint32_t id = now.ior[k].id[i];

			if (ids_has(&before->all[k], id) || ids_has(&held[k], id) ||
			    (own && ids_has(&own->id[k], id)))
				continue;
			n++;
			pos += (size_t)snprintf(why + pos, size - pos, " %s %u (held by no one)",
						kind_cmd[k], id);
		}
		if (pos >= size)
			pos = size - 1;
	}
	return n;
}

/* Wait (up to 10 s: the kernel frees a program after an RCU grace period,
 * not when its last descriptor closes) until nothing is left over. */
static void assert_no_leftovers(const char *path, const struct world *before,
				const struct owned *own)
{
	char why[2048];
	uint64_t end = h_now_ms() + 10000;

	while (leftovers(before, own, why, sizeof(why))) {
		if (h_now_ms() > end)
			cr_assert_fail("%s: BPF objects left after ior ended:%s", path, why);
		poll(NULL, 0, 50);
	}
}

/* Does pid hold any BPF object? (The launched command must not inherit
 * ior's descriptors: it would keep the programs alive after ior.) */
static int bpf_held_by(pid_t pid)
{
	struct ids held[K_N];

	memset(held, 0, sizeof(held));
	held_by(pid, held);
	return held[K_PROG].n + held[K_MAP].n + held[K_LINK].n;
}

/* Start `ior record` of a shell loop (extra options before --), wait until
 * it records, and read what it and its command hold. */
static void start_loop(struct proc *p, struct run *r, const char *opt, const char *arg,
		       struct owned *own, pid_t *child)
{
	char loop[512];

	snprintf(loop, sizeof(loop),
		 "while [ ! -e '%s' ]; do read x </etc/hostname; sleep 0.01; done", h_path("go"));
	h_no_session();
	if (opt)
		h_ior_start(p, r, "record", "-q", "--force", "-o", h_path("s.db"), opt, arg, "--",
			    "/bin/sh", "-c", loop, NULL);
	else
		h_ior_start(p, r, "record", "-q", "--force", "-o", h_path("s.db"), "--", "/bin/sh",
			    "-c", loop, NULL);
	h_wait_rows(p, 20000, 5, "SELECT count(*) FROM events");
	*child = h_only_child(p);
	owned_read(own, p->pid);
	cr_assert_eq(bpf_held_by(*child), 0, "the launched command holds no BPF descriptor");
}

/* The command ends by itself (the loop sees DIR/go), then ior. */
Test(bpf, none_left_after_the_command_ends)
{
	struct world before;
	struct owned own;
	struct proc p;
	struct run r;
	pid_t child;
	FILE *f;

	world_read(&before, NULL, NULL);
	start_loop(&p, &r, NULL, NULL, &own, &child);
	f = fopen(h_path("go"), "w");
	fclose(f);
	h_wait(&p, 20000);
	cr_assert_eq(h_exit_code(&r), 0, "%s", r.err);
	assert_no_leftovers("command ended", &before, &own);
}

/* SIGINT, SIGTERM, SIGHUP: ior finishes the session and unloads. */
Test(bpf, none_left_after_a_signal)
{
	int sigs[] = { SIGINT, SIGTERM, SIGHUP };

	for (int i = 0; i < 3; i++) {
		struct world before;
		struct owned own;
		struct proc p;
		struct run r;
		char path[32];
		pid_t child;

		world_read(&before, NULL, NULL);
		start_loop(&p, &r, NULL, NULL, &own, &child);
		kill(p.pid, sigs[i]);
		h_wait(&p, 20000);
		cr_assert_eq(h_exit_code(&r), 0, "signal %d: %s", sigs[i], r.err);
		snprintf(path, sizeof(path), "signal %d", sigs[i]);
		assert_no_leftovers(path, &before, &own);
	}
}

/* -d ends the recording (and the command). */
Test(bpf, none_left_after_duration)
{
	struct world before;
	struct owned own;
	struct proc p;
	struct run r;
	pid_t child;

	world_read(&before, NULL, NULL);
	start_loop(&p, &r, "-d", "1", &own, &child);
	h_wait(&p, 20000);
	cr_assert_eq(h_exit_code(&r), 0, "%s", r.err);
	assert_no_leftovers("-d", &before, &own);
}

/* SIGKILL of ior itself: nothing runs ior's cleanup; the kernel frees the
 * objects as ior's descriptors close. The orphaned command runs on and
 * must not be what keeps them. */
Test(bpf, none_left_after_sigkill)
{
	struct world before;
	struct owned own;
	struct proc p;
	struct run r;
	pid_t child;

	world_read(&before, NULL, NULL);
	start_loop(&p, &r, NULL, NULL, &own, &child);
	kill(p.pid, SIGKILL);
	h_wait(&p, 20000);
	cr_assert_eq(kill(child, 0), 0, "orphaned, the loop runs on");
	cr_assert_eq(bpf_held_by(child), 0);
	assert_no_leftovers("SIGKILL", &before, &own);
	h_kill_tree(child);
}

/* A launch that fails after BPF was loaded (a script without #!), and a
 * -p target that exits (ior ends by itself). */
Test(bpf, none_left_after_a_failed_launch_or_gone_target)
{
	const char *argv[] = { "/bin/sh", "-c",
			       "while :; do read x </etc/hostname; sleep 0.01; done", NULL };
	struct world before;
	struct owned own;
	struct proc target, p;
	struct run tr, r;
	char pid[16];
	FILE *f = fopen(h_path("noshebang"), "w");

	fputs("echo hi\n", f);
	fclose(f);
	chmod(h_path("noshebang"), 0755);
	world_read(&before, NULL, NULL);
	h_ior_run(&r, "record", "-q", "-o", h_path("s.db"), "--", h_path("noshebang"), NULL);
	h_need_bpf(&r);
	h_one_error_line(&r);
	assert_no_leftovers("failed launch", &before, NULL);

	h_start(&target, &tr, argv);
	snprintf(pid, sizeof(pid), "%d", (int)target.pid);
	world_read(&before, NULL, NULL);
	h_no_session();
	h_ior_start(&p, &r, "record", "-q", "-o", h_path("s.db"), "-p", pid, NULL);
	h_wait_rows(&p, 20000, 5, "SELECT count(*) FROM events");
	owned_read(&own, p.pid);
	h_kill_tree(target.pid);
	h_wait(&target, 20000);
	h_wait(&p, 20000);
	cr_assert_eq(h_exit_code(&r), 0, "%s", r.err);
	assert_no_leftovers("-p target gone", &before, &own);
}

/* The session cannot be written (a 200 KiB tmpfs fills up): ior stops at
 * once with an error, and unloads. Its mount namespace is private, so the
 * tmpfs goes with it. */
Test(bpf, none_left_after_disk_full)
{
	char sh[4096];
	const char *argv[] = { "/usr/bin/unshare", "-m", "/bin/sh", "-c", sh, NULL };
	struct world before;
	struct owned own;
	struct proc p;
	struct run r;
	bool sampled = false;

	cr_assert_eq(mkdir(h_path("full"), 0755), 0);
	snprintf(sh, sizeof(sh),
		 "mount --make-rprivate / && mount -t tmpfs -o size=200k none '%s' && "
		 "exec '%s' record -q -f -o '%s/s.db' -- /bin/sh -c "
		 "'find /usr/share -maxdepth 3 >/dev/null; sleep 3'",
		 h_path("full"), h_ior(), h_path("full"));
	world_read(&before, NULL, NULL);
	h_start(&p, &r, argv);
	/* What it holds, if it is seen loaded before it fails. */
	memset(&own, 0, sizeof(own));
	while (!h_pump(&p, 1)) {
		struct ids held[K_N];

		memset(held, 0, sizeof(held));
		held_by(p.pid, held);
		if (held[K_PROG].n >= 6 && held[K_LINK].n >= 6) {
			owned_read(&own, p.pid);
			sampled = true;
			break;
		}
	}
	h_wait(&p, 60000);
	h_need_bpf(&r);
	cr_assert_neq(h_exit_code(&r), 0, "the full disk is an error: %s", r.err);
	cr_assert(strstr(r.err, "full") || strstr(r.err, "space"), "%s", r.err);
	assert_no_leftovers("disk full", &before, sampled ? &own : NULL);
}
