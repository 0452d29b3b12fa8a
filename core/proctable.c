/* The traced processes and threads. */
#include "core/proctable.h"

#include <stdlib.h>

#include "core/xalloc.h"

void proctable_init(struct proctable *pt)
{
	u32map_init(&pt->procs);
	u32map_init(&pt->threads);
}

static void proc_free(struct proc *p)
{
	if (!p)
		return;
	fdtable_free(p->fds);
	free(p->cwd);
	free(p);
}

void proctable_fini(struct proctable *pt)
{
	size_t pos = 0;
	void *v;

	while ((v = u32map_next(&pt->procs, &pos, NULL)))
		proc_free(v);
	pos = 0;
	while ((v = u32map_next(&pt->threads, &pos, NULL)))
		free(v);
	u32map_fini(&pt->procs);
	u32map_fini(&pt->threads);
}

struct proc *proctable_proc(struct proctable *pt, uint32_t pid)
{
	return u32map_get(&pt->procs, pid);
}

struct thread *proctable_thread(struct proctable *pt, uint32_t tid)
{
	return u32map_get(&pt->threads, tid);
}

struct proc *proctable_add_proc(struct proctable *pt, uint32_t pid, uint32_t ppid)
{
	struct proc *p = xcalloc(1, sizeof(*p));

	proctable_remove_proc(pt, pid);
	p->pid = pid;
	p->ppid = ppid;
	p->fds = fdtable_new();
	u32map_put(&pt->procs, pid, p);
	return p;
}

struct thread *proctable_add_thread(struct proctable *pt, uint32_t tid, uint32_t pid, ior_str comm)
{
	struct thread *t = xcalloc(1, sizeof(*t));
	struct proc *p = proctable_proc(pt, pid);

	proctable_remove_thread(pt, tid);
	t->tid = tid;
	t->pid = pid;
	t->comm = comm;
	u32map_put(&pt->threads, tid, t);
	if (p)
		p->nthreads++;
	return t;
}

void proctable_remove_thread(struct proctable *pt, uint32_t tid)
{
	struct thread *t = u32map_take(&pt->threads, tid);
	struct proc *p;

	if (!t)
		return;
	p = proctable_proc(pt, t->pid);
	if (p)
		p->nthreads--;
	free(t);
}

void proctable_remove_proc(struct proctable *pt, uint32_t pid)
{
	struct proc *p = u32map_take(&pt->procs, pid);
	uint32_t *tids, tid;
	size_t pos = 0, n = 0;
	struct thread *t;

	if (!p)
		return;
	/* Threads usually leave one by one before their process: only the
	 * ones still here (a killed group, exec) need the scan, done once. */
	if (p->nthreads > 0) {
		tids = xcalloc((size_t)p->nthreads, sizeof(*tids));
		while ((t = u32map_next(&pt->threads, &pos, &tid)))
			if (t->pid == pid && n < (size_t)p->nthreads)
				tids[n++] = tid;
		for (size_t i = 0; i < n; i++)
			free(u32map_take(&pt->threads, tids[i]));
		free(tids);
	}
	proc_free(p);
}

void proc_set_cwd(struct proc *p, const char *cwd)
{
	free(p->cwd);
	p->cwd = xstrdup(cwd);
}
