/* The floor bench's record: what the ring probe writes per syscall, shared by
 * tests/bench/floor.bpf.c and tests/bench/floor.c. 48 bytes. */
#ifndef IOR_TESTS_BENCH_FLOOR_EVENT_H
#define IOR_TESTS_BENCH_FLOOR_EVENT_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

struct floor_rec {
	__u64 ts_ns;
	__u64 duration_ns;
	__s64 ret;
	__u64 arg0, arg1;
	__u32 tid;
	__u32 nr;
};

#endif
