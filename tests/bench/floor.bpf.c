/* The floor under ior's capture (make bench, issue 10): what attaching to
 * sys_enter/sys_exit costs at all. Three pairs of programs, one pair loaded
 * per run: empty (compare the tgid, return), stash (enter saves ts, nr and
 * the 6 args in task storage, exit reads them) and ring (stash, then a
 * 48-byte record into the ring without a wake-up). */
#include <vmlinux.h>

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "tests/bench/floor_event.h"

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 target_tgid = 0; /* set by the loader before load */

struct stash {
	__u64 ts;
	__u64 args[6];
	__u32 nr;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 32 << 20);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct stash);
} stash_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} lost SEC(".maps");

static __always_inline int ours(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == target_tgid;
}

#if !defined(__TARGET_ARCH_x86)
#error "the floor bench reads x86_64 registers"
#endif

static __always_inline void stash_args(struct stash *s, struct pt_regs *r, long id)
{
	s->ts = bpf_ktime_get_ns();
	s->nr = (__u32)id;
	s->args[0] = r->di;
	s->args[1] = r->si;
	s->args[2] = r->dx;
	s->args[3] = r->r10;
	s->args[4] = r->r8;
	s->args[5] = r->r9;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(floor_empty_enter, struct pt_regs *regs, long id)
{
	if (!ours())
		return 0;
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(floor_empty_exit, struct pt_regs *regs, long ret)
{
	if (!ours())
		return 0;
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(floor_stash_enter, struct pt_regs *regs, long id)
{
	struct stash *s;

	if (!ours())
		return 0;
	s = bpf_task_storage_get(&stash_map, bpf_get_current_task_btf(), 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (s)
		stash_args(s, regs, id);
	return 0;
}

/* Read back what enter saved, as a capture would: the caller keeps it
 * live so the compiler cannot drop the reads. */
static __always_inline struct stash *stash_take(__u64 *dur)
{
	struct stash *s = bpf_task_storage_get(&stash_map, bpf_get_current_task_btf(), 0, 0);

	if (!s || !s->ts)
		return 0;
	*dur = bpf_ktime_get_ns() - s->ts;
	return s;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(floor_stash_exit, struct pt_regs *regs, long ret)
{
	struct stash *s;
	__u64 dur;

	if (!ours())
		return 0;
	s = stash_take(&dur);
	if (!s)
		return 0;
	/* Consume the saved values: the sum keeps the loads. */
	s->args[5] ^= s->args[0] + s->args[1] + s->args[2] + s->args[3] + s->args[4] + dur;
	s->ts = 0;
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(floor_ring_enter, struct pt_regs *regs, long id)
{
	struct stash *s;

	if (!ours())
		return 0;
	s = bpf_task_storage_get(&stash_map, bpf_get_current_task_btf(), 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (s)
		stash_args(s, regs, id);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(floor_ring_exit, struct pt_regs *regs, long ret)
{
	struct floor_rec *e;
	struct stash *s;
	__u64 dur;

	if (!ours())
		return 0;
	s = stash_take(&dur);
	if (!s)
		return 0;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		__u32 zero = 0;
		__u64 *n = bpf_map_lookup_elem(&lost, &zero);

		if (n)
			*n += 1;
	} else {
		e->ts_ns = s->ts;
		e->duration_ns = dur;
		e->ret = ret;
		e->arg0 = s->args[0];
		e->arg1 = s->args[2];
		e->tid = (__u32)bpf_get_current_pid_tgid();
		e->nr = s->nr;
		bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
	}
	s->ts = 0;
	return 0;
}
