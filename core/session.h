/* Opening a recorded session for reading (report, export, replay): checks
 * that the file is an ior session of a schema this ior reads. */
#ifndef IOR_CORE_SESSION_H
#define IOR_CORE_SESSION_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "bpf/ior_event.h"
#include "core/err.h"

struct session_info {
	int schema_version;
	char ior_version[32];
	char kernel[128];
	char arch[32];
	char host[128];
	char cmdline[1024];
	char target[1024];
	uint64_t start_ns, end_ns; /* wall clock, ns; end_ns 0: still recording, or cut short */
	uint64_t last_ns;	   /* end_ns, or without one the end of the last event */
	uint64_t events_recorded, events_lost;
	/* Times the recorder waited for its writer, and how long in all (ns):
	 * why the kernel's ring filled; 0 in sessions from before they were
	 * stored. */
	uint64_t writer_stalls, writer_stall_ns;
	/* Session syscall numbers to this build's (sinks, report and the UI
	 * name and classify by native number): identity for a session of this
	 * arch; else by name through the session's own syscalls table, then by
	 * the generated table's column for its arch. SYSCALL_NR_NONE for a
	 * syscall this arch lacks (counted in totals, under no name). */
	bool nr_identity;
	int16_t nr_native[IOR_NR_MAX];
};

/* Open path read-only into *db and fill info; nothing is written beside it
 * (no -wal or -shm is created). A missing, unreadable, corrupt, non-SQLite
 * or non-ior file, or a newer schema, gives a one-line error. Any thread;
 * the handle belongs to the caller (sqlite3_close). */
int session_open(const char *path, sqlite3 **db, struct session_info *info, struct ior_err *err);

/* This build's number for the session's syscall number nr (see above). */
int session_native_nr(const struct session_info *info, int nr);

#endif
