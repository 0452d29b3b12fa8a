/* Numbers as the screens show them: counts, SI and binary sizes, durations,
 * clock times and percentages, each at most a fixed width so columns align.
 * Pure; the UI thread (durations follow text_is_ascii()). */
#ifndef IOR_TUI_FMT_H
#define IOR_TUI_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Maximum display columns of each function's output, for any input. */
#define FMT_COUNT_WIDTH	   26 /* "18,446,744,073,709,551,615" */
#define FMT_SI_WIDTH	   5  /* "28.1M" */
#define FMT_BYTES_WIDTH	   8  /* "60.1 KiB", "1023 KiB" */
#define FMT_DURATION_WIDTH 6  /* "48.0µs", "99h59m" */
#define FMT_CLOCK_WIDTH	   15 /* "06:19:46.012301"; 8 without micro */
#define FMT_ELAPSED_WIDTH  15 /* "213503d23:34:33"; 8 under a day */
#define FMT_PERCENT_WIDTH  5  /* "31.0%", "<0.1%" */
/* A buffer size that holds any of them (µ takes two bytes). */
#define FMT_BUF		   32

/* Each writes a NUL-terminated string into buf (cut short, not overrun,
 * when size is too small) and returns buf. */

/* Thousands separated by commas: "0", "999", "12,031,331". */
const char *fmt_count(char *buf, size_t size, uint64_t n);
/* Three significant digits with k M G T P E (powers of 1000): "999",
 * "1.0k", "28.1M", "412k", "18.4E". */
const char *fmt_si(char *buf, size_t size, uint64_t n);
/* Bytes in powers of 1024: "0 B", "1023 B", "1.0 KiB", "60.1 KiB",
 * "880 KiB", "2.1 GiB", "16.0 EiB". Showing "-" for zero is the caller's. */
const char *fmt_bytes(char *buf, size_t size, uint64_t bytes);
/* A duration: "0ns", "812ns", "3.1µs", "48.0µs", "812µs", "12.1ms",
 * "1.20s", "12.3s", "2m03s", "1h02m", "4d03h", "412d", "585y" ("us" for
 * "µs" in ASCII mode). */
const char *fmt_duration(char *buf, size_t size, uint64_t ns);
/* Local wall-clock time of day: "06:19:46.012301", or "06:19:46" without
 * micro; wall_ns counts from the epoch (CLOCK_REALTIME). */
const char *fmt_clock(char *buf, size_t size, uint64_t wall_ns, bool micro);
/* Time elapsed, as a stopwatch: "00:01:12", "1d02:03:04" past a day. */
const char *fmt_elapsed(char *buf, size_t size, uint64_t ns);
/* A fraction (0..1) as a percentage: "0.0%", "<0.1%", "31.0%", "99.9%"
 * (anything short of 1), "100%"; NaN and negatives are "0.0%". */
const char *fmt_percent(char *buf, size_t size, double fraction);

#endif
