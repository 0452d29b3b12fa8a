/* The reader thread: polls the BPF ring buffer, hands each record to the
 * tracker (which feeds the pipeline), reports lost records and flushes the
 * sinks when the ring runs dry. It never waits for a sink's consumer. */
#ifndef IOR_CORE_READER_H
#define IOR_CORE_READER_H

#include "core/err.h"
#include "core/loader.h"
#include "core/sink.h"
#include "core/tracker.h"

struct reader;

/* Start the thread; tracker, pipeline and loader are borrowed until
 * reader_stop returns. Main thread. */
int reader_start(struct reader **out, struct loader *l, struct tracker *t, struct pipeline *p,
		 struct ior_err *err);
/* Drain what the ring holds, stop and join the thread, free it. Main thread. */
void reader_stop(struct reader *r);

#endif
