/* Command-line options of `ior record` and the live UI. */
#include "tui/args.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf/ior_event.h"
#include "core/syscalls.h"
#include "core/xalloc.h"

static const char record_usage[] =
	"usage: ior record -o SESSION.db [--force] [-f] [-e FAMILY,...] [-s SYSCALL,...]\n"
	"                  [--comm NAME] [--tid TID] [-d SECONDS] [--ring-size MiB] [-q]\n"
	"                  (-p PID[,PID...] | -a | -- CMD [ARGS...])\n";

static const char live_usage[] =
	"usage: ior [-w SESSION.db [--force]] [-f] [-e FAMILY,...] [-s SYSCALL,...]\n"
	"           [--comm NAME] [--tid TID] [-d SECONDS] [--ring-size MiB]\n"
	"           [--theme NAME|FILE] [--no-color] [--delay SECONDS]\n"
	"           [-p PID[,PID...] | -a | -- CMD [ARGS...]]\n"
	"With no target, a process picker opens. See man ior(1).\n";

static int parse_pids(struct capture_opts *o, const char *arg, struct ior_err *err)
{
	char *copy = xstrdup(arg), *save = NULL, *tok;
	int rc = 0;

	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *end;
		long pid;

		errno = 0;
		pid = strtol(tok, &end, 10);
		if (errno || *end || pid <= 0 || pid > INT_MAX) {
			rc = ior_err_set(err, -EINVAL, "-p: '%s' is not a process id", tok);
			break;
		}
		if (o->npids >= CAPTURE_MAX_PIDS) {
			rc = ior_err_set(err, -E2BIG, "-p: at most %d processes", CAPTURE_MAX_PIDS);
			break;
		}
		if (kill((pid_t)pid, 0) && errno == ESRCH) {
			rc = ior_err_set(err, -ESRCH, "-p: no process with pid %ld", pid);
			break;
		}
		o->pids[o->npids++] = (pid_t)pid;
	}
	free(copy);
	return rc;
}

/* -e and -s: mark the selected syscalls in o->keep. */
static int parse_select(struct capture_opts *o, const char *arg, bool families, struct ior_err *err)
{
	char *copy = xstrdup(arg), *save = NULL, *tok;
	int rc = 0;

	if (!o->keep)
		o->keep = xcalloc(IOR_NR_MAX, 1);
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (families) {
			int fam = family_by_name(tok);

			if (fam < 0) {
				rc = ior_err_set(
					err, -EINVAL,
					"-e: unknown family '%s' (FS, Network, IPC, Memory, "
					"Process, Signals, Time, Sched, Security, AIO, "
					"Polling, Misc)",
					tok);
				break;
			}
			for (size_t i = 0; i < syscall_table_len; i++) {
				int nr = syscall_native_nr(&syscall_table[i]);

				if (syscall_table[i].family == fam && nr >= 0 && nr < IOR_NR_MAX)
					o->keep[nr] = 1;
			}
		} else {
			const struct syscall_info *info = syscall_by_name(tok);
			int nr = info ? syscall_native_nr(info) : -1;

			if (!info) {
				rc = ior_err_set(err, -EINVAL, "-s: unknown syscall '%s'", tok);
				break;
			}
			if (nr < 0 || nr >= IOR_NR_MAX) {
				rc = ior_err_set(err, -EINVAL,
						 "-s: syscall '%s' does not exist on this "
						 "architecture",
						 tok);
				break;
			}
			o->keep[nr] = 1;
		}
	}
	free(copy);
	return rc;
}

static int parse_number(const char *opt, const char *arg, double min, double max, double *out,
			struct ior_err *err)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || v < min || v > max)
		return ior_err_set(err, -EINVAL, "%s: '%s' is not a number from %g to %g", opt, arg,
				   min, max);
	*out = v;
	return 0;
}

enum { OPT_FORCE = 256, OPT_COMM, OPT_TID, OPT_RING, OPT_THEME, OPT_NO_COLOR, OPT_DELAY };

static int parse_option(struct args *a, enum args_mode mode, int c, const char *arg,
			struct ior_err *err)
{
	struct capture_opts *o = &a->cap;
	double v;
	int rc;

	switch (c) {
	case 'o':
		if (mode != ARGS_RECORD)
			break;
		o->out = arg;
		return 0;
	case 'w':
		if (mode != ARGS_LIVE)
			break;
		o->out = arg;
		return 0;
	case OPT_FORCE:
		o->force = true;
		return 0;
	case 'p':
		return parse_pids(o, arg, err);
	case 'f':
		o->follow = true;
		return 0;
	case 'a':
		o->all = true;
		return 0;
	case 'd':
		return parse_number("-d", arg, 0.001, 1e7, &o->duration, err);
	case 'e':
	case 's':
		return parse_select(o, arg, c == 'e', err);
	case OPT_COMM:
		if (strlen(arg) > 15)
			return ior_err_set(err, -EINVAL,
					   "--comm: '%s' is longer than 15 bytes, the kernel's "
					   "limit",
					   arg);
		o->comm = arg;
		return 0;
	case OPT_TID:
		if ((rc = parse_number("--tid", arg, 1, INT_MAX, &v, err)))
			return rc;
		o->tid = (uint32_t)v;
		return 0;
	case OPT_RING:
		if ((rc = parse_number("--ring-size", arg, 1, 4096, &v, err)))
			return rc;
		o->ring_bytes = (size_t)v << 20;
		if (o->ring_bytes & (o->ring_bytes - 1))
			return ior_err_set(err, -EINVAL,
					   "--ring-size: %s MiB is not a power of two", arg);
		return 0;
	case 'q':
		if (mode != ARGS_RECORD)
			break;
		a->quiet = true;
		return 0;
	case OPT_THEME:
		if (mode != ARGS_LIVE)
			break;
		a->theme = arg;
		return 0;
	case OPT_NO_COLOR:
		if (mode != ARGS_LIVE)
			break;
		a->no_color = true;
		return 0;
	case OPT_DELAY:
		if (mode != ARGS_LIVE)
			break;
		return parse_number("--delay", arg, 0.02, 10, &a->delay, err);
	default:
		break;
	}
	return 1; /* not an option of this mode */
}

int args_parse(struct args *a, enum args_mode mode, int argc, char **argv, struct ior_err *err)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "write", required_argument, NULL, 'w' },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "pid", required_argument, NULL, 'p' },
		{ "follow", no_argument, NULL, 'f' },
		{ "all", no_argument, NULL, 'a' },
		{ "duration", required_argument, NULL, 'd' },
		{ "comm", required_argument, NULL, OPT_COMM },
		{ "tid", required_argument, NULL, OPT_TID },
		{ "ring-size", required_argument, NULL, OPT_RING },
		{ "quiet", no_argument, NULL, 'q' },
		{ "theme", required_argument, NULL, OPT_THEME },
		{ "no-color", no_argument, NULL, OPT_NO_COLOR },
		{ "delay", required_argument, NULL, OPT_DELAY },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *name = mode == ARGS_RECORD ? "record" : "ior";
	int c, rc;

	memset(a, 0, sizeof(*a));
	a->delay = 0.1;
	a->cap.argc = argc;
	a->cap.argv = argv;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+o:w:p:fad:e:s:qh", longopts, NULL)) != -1) {
		if (c == 'h') {
			fputs(mode == ARGS_RECORD ? record_usage : live_usage, stdout);
			a->help = true;
			return 0;
		}
		if (c == '?') {
			if (optopt && optopt < 256)
				return ior_err_set(err, -EINVAL,
						   "%s: bad or incomplete option '-%c'", name,
						   optopt);
			return ior_err_set(err, -EINVAL, "%s: unknown or incomplete option '%s'",
					   name, argv[optind - 1]);
		}
		rc = parse_option(a, mode, c, optarg, err);
		if (rc == 1)
			return ior_err_set(err, -EINVAL, "%s: option '%s' does not apply here",
					   name, argv[optind - 1]);
		if (rc)
			return rc;
	}
	if (optind < argc)
		a->cap.cmd = argv + optind;
	if (mode == ARGS_RECORD && !a->cap.out)
		return ior_err_set(err, -EINVAL, "record: no output file (-o SESSION.db)");
	if (mode == ARGS_RECORD && !a->cap.cmd && !a->cap.npids && !a->cap.all)
		return ior_err_set(err, -EINVAL,
				   "record: nothing to trace (give -p PID, -a, or -- CMD ARGS)");
	if (a->cap.all && (a->cap.cmd || a->cap.npids))
		return ior_err_set(err, -EINVAL, "%s: -a traces everything; drop -p and CMD", name);
	return 0;
}

void args_fini(struct args *a)
{
	free(a->cap.keep);
	a->cap.keep = NULL;
}
