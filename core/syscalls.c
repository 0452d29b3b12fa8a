/* Lookups over the generated syscall table (core/syscalls_gen.c): by native
 * number through an index built once, by name by binary search. */
#include "core/syscalls.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bpf/ior_event.h"

/* Generated next to the table: {tracepoint name, row name} pairs where the
 * kernel's tracepoint is not named like the syscall (sendfile64, newstat). */
extern const char *const syscall_tracepoint_alias[][2];
extern const size_t syscall_tracepoint_alias_len;

static const char *const family_names[FAMILY_COUNT] = {
	[FAMILY_FS] = "FS",	    [FAMILY_NETWORK] = "Network", [FAMILY_IPC] = "IPC",
	[FAMILY_MEMORY] = "Memory", [FAMILY_PROCESS] = "Process", [FAMILY_SIGNALS] = "Signals",
	[FAMILY_TIME] = "Time",	    [FAMILY_SCHED] = "Sched",	  [FAMILY_SECURITY] = "Security",
	[FAMILY_AIO] = "AIO",	    [FAMILY_POLLING] = "Polling", [FAMILY_MISC] = "Misc",
};

/* Row index + 1 per native number, 0 for none; written once under
 * pthread_once, read-only afterwards, so any thread may look up. */
static uint16_t by_nr[IOR_NR_MAX];
static pthread_once_t by_nr_once = PTHREAD_ONCE_INIT;

static void build_by_nr(void)
{
	for (size_t i = 0; i < syscall_table_len; i++) {
		int nr = syscall_native_nr(&syscall_table[i]);

		if (nr >= 0 && nr < IOR_NR_MAX)
			by_nr[nr] = (uint16_t)(i + 1);
	}
}

const struct syscall_info *syscall_by_nr(int nr)
{
	if (nr < 0 || nr >= IOR_NR_MAX)
		return NULL;
	pthread_once(&by_nr_once, build_by_nr);
	return by_nr[nr] ? &syscall_table[by_nr[nr] - 1] : NULL;
}

static int cmp_name(const void *key, const void *row)
{
	return strcmp(key, ((const struct syscall_info *)row)->name);
}

const struct syscall_info *syscall_by_name(const char *name)
{
	const struct syscall_info *info;

	if (!name)
		return NULL;
	info = bsearch(name, syscall_table, syscall_table_len, sizeof(syscall_table[0]), cmp_name);
	if (info)
		return info;
	for (size_t i = 0; i < syscall_tracepoint_alias_len; i++)
		if (!strcmp(name, syscall_tracepoint_alias[i][0]))
			return bsearch(syscall_tracepoint_alias[i][1], syscall_table,
				       syscall_table_len, sizeof(syscall_table[0]), cmp_name);
	return NULL;
}

int syscall_native_nr(const struct syscall_info *info)
{
	if (!info)
		return SYSCALL_NR_NONE;
#if defined(__x86_64__)
	return info->nr_x86_64;
#elif defined(__aarch64__)
	return info->nr_aarch64;
#else
	return SYSCALL_NR_NONE; /* the table knows x86_64 and aarch64 only */
#endif
}

const char *syscall_name(int nr, char *buf, size_t size)
{
	const struct syscall_info *info = syscall_by_nr(nr);

	if (info)
		return info->name;
	snprintf(buf, size, "syscall_%d", nr);
	return buf;
}

const char *family_name(int family)
{
	return family >= 0 && family < FAMILY_COUNT ? family_names[family] : NULL;
}

int family_by_name(const char *name)
{
	for (int i = 0; name && i < FAMILY_COUNT; i++)
		if (!strcasecmp(name, family_names[i]))
			return i;
	return -1;
}

const char *byte_class_name(int byte_class)
{
	switch (byte_class) {
	case BYTES_READ:
		return "READ";
	case BYTES_WRITE:
		return "WRITE";
	case BYTES_TRANSFER:
		return "TRANSFER";
	default:
		return NULL;
	}
}
