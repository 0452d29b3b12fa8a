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

/* The next item of a comma-separated list at *pos (advanced), NUL-cut in
 * place; NULL at the end. An empty item ("a,,b", ",", "") is an error: it
 * would silently select nothing (issue 9). */
static char *next_item(char **pos, const char *opt, const char *what, int *rc, struct ior_err *err)
{
	char *item = *pos, *comma;

	if (!item)
		return NULL;
	comma = strchr(item, ',');
	if (comma) {
		*comma = '\0';
		*pos = comma + 1;
	} else {
		*pos = NULL;
	}
	if (!*item) {
		*rc = ior_err_set(err, -EINVAL, "%s: empty %s in the list (give NAME[,NAME...])",
				  opt, what);
		return NULL;
	}
	return item;
}

/* A decimal integer of digits only (no sign, hex, fraction or exponent)
 * from min to max. */
static int parse_uint(const char *opt, const char *arg, unsigned long min, unsigned long max,
		      unsigned long *out, struct ior_err *err)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (!*arg || strspn(arg, "0123456789") != strlen(arg) || errno || *end || v < min ||
	    v > max)
		return ior_err_set(err, -EINVAL, "%s: '%s' is not a whole number from %lu to %lu",
				   opt, arg, min, max);
	*out = v;
	return 0;
}

static int parse_pids(struct capture_opts *o, const char *arg, struct ior_err *err)
{
	char *copy = xstrdup(arg), *pos = copy, *tok;
	int rc = 0;

	while (!rc && (tok = next_item(&pos, "-p", "process id", &rc, err))) {
		unsigned long pid;

		if (parse_uint("-p", tok, 1, INT_MAX, &pid, err)) {
			rc = ior_err_set(err, -EINVAL, "-p: '%s' is not a process id", tok);
			break;
		}
		if (o->npids >= CAPTURE_MAX_PIDS) {
			rc = ior_err_set(err, -E2BIG, "-p: at most %d processes", CAPTURE_MAX_PIDS);
			break;
		}
		if (kill((pid_t)pid, 0) && errno == ESRCH) {
			rc = ior_err_set(err, -ESRCH, "-p: no process with pid %lu", pid);
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
	char *copy = xstrdup(arg), *pos = copy, *tok;
	int rc = 0;

	if (!o->keep)
		o->keep = xcalloc(IOR_NR_MAX, 1);
	while (!rc && (tok = next_item(&pos, families ? "-e" : "-s",
				       families ? "family name" : "syscall name", &rc, err))) {
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

/* Seconds as plain decimal digits with an optional fraction ("2", "0.5"):
 * no nan, inf, hex or exponent, which strtod would take (issue 9). */
static int parse_seconds(const char *opt, const char *arg, double min, double max, double *out,
			 struct ior_err *err)
{
	size_t whole = strspn(arg, "0123456789"), frac = 0;
	char *end;
	double v;

	if (arg[whole] == '.')
		frac = strspn(arg + whole + 1, "0123456789");
	errno = 0;
	v = strtod(arg, &end);
	if (!whole || (arg[whole] && (arg[whole] != '.' || !frac || arg[whole + 1 + frac])) ||
	    errno || *end || !(v >= min && v <= max))
		return ior_err_set(err, -EINVAL,
				   "%s: '%s' is not a number of seconds from %.15g to %.15g", opt,
				   arg, min, max);
	*out = v;
	return 0;
}

#define RING_MAX_MIB 1024

enum { OPT_FORCE = 256, OPT_COMM, OPT_TID, OPT_RING, OPT_THEME, OPT_NO_COLOR, OPT_DELAY };

static int parse_option(struct args *a, enum args_mode mode, int c, const char *arg,
			struct ior_err *err)
{
	struct capture_opts *o = &a->cap;
	unsigned long v;
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
		return parse_seconds("-d", arg, 0.001, 1e7, &o->duration, err);
	case 'e':
	case 's':
		return parse_select(o, arg, c == 'e', err);
	case OPT_COMM:
		if (!*arg)
			return ior_err_set(err, -EINVAL,
					   "--comm: empty name (give a command name, as ps -o comm "
					   "shows it)");
		if (strlen(arg) > 15)
			return ior_err_set(err, -EINVAL,
					   "--comm: '%s' is longer than 15 bytes, the kernel's "
					   "limit",
					   arg);
		o->comm = arg;
		return 0;
	case OPT_TID:
		if ((rc = parse_uint("--tid", arg, 1, INT_MAX, &v, err)))
			return rc;
		o->tid = (uint32_t)v;
		return 0;
	case OPT_RING:
		/* The kernel takes a power of two below 4 GiB (max_entries is a
		 * u32); the loader's default is 32 MiB. */
		if ((rc = parse_uint("--ring-size", arg, 1, RING_MAX_MIB, &v, err)) ||
		    (v & (v - 1)))
			return ior_err_set(err, -EINVAL,
					   "--ring-size: '%s' is not a power of two from 1 to %d "
					   "(MiB)",
					   arg, RING_MAX_MIB);
		o->ring_bytes = (size_t)v << 20;
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
		return parse_seconds("--delay", arg, 0.02, 10, &a->delay, err);
	default:
		break;
	}
	return 1; /* not an option of this mode */
}

/* What an option's argument is, for "needs an argument". */
static const char *argument_help(int opt)
{
	switch (opt) {
	case 'o':
	case 'w':
		return "a session file, SESSION.db";
	case 'p':
		return "PID[,PID...]";
	case 'd':
	case OPT_DELAY:
		return "a number of seconds, such as 10 or 0.5";
	case 'e':
		return "FAMILY[,FAMILY...]: FS, Network, IPC, Memory, Process, Signals, Time, "
		       "Sched, Security, AIO, Polling, Misc";
	case 's':
		return "SYSCALL[,SYSCALL...]";
	case OPT_COMM:
		return "a command name of at most 15 bytes";
	case OPT_TID:
		return "a thread id";
	case OPT_RING:
		return "MiB, a power of two";
	case OPT_THEME:
		return "a theme NAME or FILE";
	default:
		return "see --help";
	}
}

/* The option getopt just refused, as the user wrote it: "-x" for a short
 * option (also inside a cluster such as -fx), else the word itself. */
static const char *option_text(int argc, char **argv, int opt)
{
	static char buf[3];
	const char *word = optind > 0 && optind <= argc ? argv[optind - 1] : "?";

	if (opt > 0 && opt < 128 && word[0] == '-' && word[1] != '-') {
		buf[0] = '-';
		buf[1] = (char)opt;
		buf[2] = '\0';
		return buf;
	}
	return word;
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
	/* Errors read "ior: record: ..." or, for the live UI, "ior: ...". */
	const char *name = mode == ARGS_RECORD ? "record: " : "";
	int c, rc;

	memset(a, 0, sizeof(*a));
	a->delay = 0.1;
	a->cap.argc = argc;
	a->cap.argv = argv;
	optind = 1;
	opterr = 0;
	/* A leading ':' makes getopt tell a missing argument (':') from an
	 * unknown option ('?'); optopt then holds the option's value, which
	 * for a long option is no character to print (issue 9). */
	while ((c = getopt_long(argc, argv, "+:o:w:p:fad:e:s:qh", longopts, NULL)) != -1) {
		if (c == 'h') {
			fputs(mode == ARGS_RECORD ? record_usage : live_usage, stdout);
			a->help = true;
			return 0;
		}
		if (c == ':')
			return ior_err_set(err, -EINVAL, "%soption '%s' needs an argument (%s)",
					   name, option_text(argc, argv, optopt),
					   argument_help(optopt));
		if (c == '?')
			return ior_err_set(err, -EINVAL, "%sunknown option '%s' (see %s --help)",
					   name, option_text(argc, argv, optopt),
					   mode == ARGS_RECORD ? "ior record" : "ior");

		rc = parse_option(a, mode, c, optarg, err);
		if (rc == 1)
			return ior_err_set(err, -EINVAL, "%soption '%s' does not apply here", name,
					   argv[optind - 1]);
		if (rc)
			return rc;
	}
	if (optind < argc)
		a->cap.cmd = argv + optind;
	if (a->cap.npids && a->cap.cmd)
		return ior_err_set(err, -EINVAL,
				   "%s-p PID and -- CMD are alternatives: attach to running "
				   "processes or launch one, not both",
				   name);
	if (mode == ARGS_RECORD && !a->cap.out)
		return ior_err_set(err, -EINVAL, "record: no output file (-o SESSION.db)");
	if (mode == ARGS_RECORD && !a->cap.cmd && !a->cap.npids && !a->cap.all)
		return ior_err_set(err, -EINVAL,
				   "record: nothing to trace (give -p PID, -a, or -- CMD ARGS)");
	if (a->cap.all && (a->cap.cmd || a->cap.npids))
		return ior_err_set(err, -EINVAL, "%s-a traces everything; drop -p and CMD", name);
	return 0;
}

void args_fini(struct args *a)
{
	free(a->cap.keep);
	a->cap.keep = NULL;
}
