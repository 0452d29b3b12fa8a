/* Syscall coverage: the coverage workload exercises at least 330 syscalls
 * of the table, recorded with the table's family, byte class, descriptor
 * and path, and nothing lost (tests/coverage/coverage.py --check). */
#include "harness.h"

Test(coverage, at_least_330_syscalls_recorded_right, .timeout = 120)
{
	char script[1024];
	const char *argv[8];
	struct proc p;
	struct run r;

	snprintf(script, sizeof(script), "%s/tests/coverage/coverage.py", h_env("IOR_SRCDIR", "."));
	argv[0] = "/usr/bin/python3";
	argv[1] = script;
	argv[2] = "--ior";
	argv[3] = h_ior();
	argv[4] = "--workloads";
	argv[5] = h_env("IOR_WORKLOADS", "build/workloads");
	argv[6] = "--check";
	argv[7] = NULL;
	h_start(&p, &r, argv);
	h_wait(&p, 110000);
	h_need_bpf(&r);
	cr_assert_eq(h_exit_code(&r), 0, "%s%s", r.out, r.err);
	cr_assert(strstr(r.out, "coverage: 1 passed, 0 failed"), "%s", r.out);
}
