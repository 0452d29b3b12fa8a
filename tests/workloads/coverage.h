/* The coverage workload's hand-written groups (tests/workloads/coverage_*.c).
 * Each group function runs in a child of its own (a session leader without a
 * terminal, killed by SIGALRM after 20 s) whose descriptor 0 is a scratch
 * file in DIR; it makes, for every syscall of its families, at least one
 * call that succeeds and one that fails, with raw syscall(2) so that the
 * libc cannot substitute another call. Nothing may outlive the group: it
 * removes what it creates. */
#ifndef IOR_COVERAGE_H
#define IOR_COVERAGE_H

#include <stddef.h>

#define COVERAGE_NOPATH "/nonexistent-ior-coverage/x"

/* Shared by the groups (coverage.c). */
/* The native number of a syscall this libc may have no SYS_ constant for;
 * -1 when the table lacks it. */
long coverage_nr(const char *name);
/* buf = dir/name */
void coverage_path(char *buf, size_t size, const char *dir, const char *name);
/* Run fn in a forked child and reap it (for calls that end or confine the
 * process that makes them). */
void coverage_fork(void (*fn)(void));

void coverage_fs1(const char *dir);
void coverage_fs2(const char *dir);
void coverage_net(const char *dir);
void coverage_proc(const char *dir);
void coverage_misc(const char *dir);

#endif
