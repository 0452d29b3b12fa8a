/* ior's entry point: dispatch the subcommand, print an error once. */
#include <errno.h>
#include <locale.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/export.h"
#include "core/log.h"
#include "core/output.h"
#include "core/report.h"
#include "tui/cmd_live.h"
#include "tui/cmd_record.h"
#include "tui/cmd_replay.h"
#include "tui/text.h"

static const char usage[] =
	"usage: ior [OPTIONS] [-p PID,... | -a | -- CMD [ARGS...]]   live terminal UI\n"
	"       ior record -o SESSION.db [OPTIONS] [-- CMD [ARGS...]]  record headless\n"
	"       ior replay SESSION.db [--paused] [--speed X] [--start T]  the UI over a session\n"
	"       ior report SESSION.db                                text summary\n"
	"       ior export {csv|folded} SESSION.db [-o FILE] [--force]\n"
	"       ior help [COMMAND]                                   usage of a command\n"
	"\n"
	"record options:\n"
	"  -o, --output FILE     session file to write (mode 0600; never through a symlink)\n"
	"      --force           replace an existing output file\n"
	"  -p, --pid PID,...     attach to running processes (all their threads)\n"
	"  -f, --follow          also trace descendants forked after start\n"
	"  -a, --all             trace every process but ior itself\n"
	"  -e FAMILY,...         keep only these families (FS, Network, IPC, Memory, Process,\n"
	"                        Signals, Time, Sched, Security, AIO, Polling, Misc)\n"
	"  -s SYSCALL,...        keep only these syscalls (with -e: either)\n"
	"      --comm NAME       keep only threads named NAME\n"
	"      --tid TID         keep only thread TID\n"
	"  -d, --duration SECS   stop after SECS seconds\n"
	"      --ring-size MIB   BPF ring buffer size (power of two, default 32)\n"
	"  -q, --quiet           no live status line on stderr\n"
	"\n"
	"See man ior(1).\n";

static const char report_usage[] =
	"usage: ior report SESSION.db\n"
	"Print a text summary of a recorded session: syscalls per family (as strace -c,\n"
	"with p50/p99 latency), top files, errors, processes and lost events.\n";

static const char export_usage[] =
	"usage: ior export {csv|folded} SESSION.db [-o FILE|-] [--force]\n"
	"  csv      one row per syscall record, every column of the events_v view\n"
	"  folded   'comm;family;syscall total_ns' lines for flame graph tools\n"
	"  -o FILE  write to FILE (mode 0600, never through a symlink; --force to\n"
	"           replace an existing file); default or '-': stdout\n";

static bool is_help(const char *arg)
{
	return !strcmp(arg, "--help") || !strcmp(arg, "-h");
}

static int report_main(int argc, char **argv, struct ior_err *err)
{
	for (int i = 1; i < argc; i++) {
		if (is_help(argv[i])) {
			fputs(report_usage, stdout);
			return 1;
		}
		if (argv[i][0] == '-' && argv[i][1] && strcmp(argv[i], "--"))
			return ior_err_set(err, -EINVAL,
					   "report: unknown option '%s' (usage: ior report "
					   "SESSION.db)",
					   argv[i]);
	}
	if (argc == 3 && !strcmp(argv[1], "--"))
		argv++, argc--;
	if (argc != 2)
		return ior_err_set(err, -EINVAL, "report: %s (usage: ior report SESSION.db)",
				   argc < 2 ? "no session file" : "one session file only");
	return report_run(argv[1], stdout, err);
}

static int export_main(int argc, char **argv, struct ior_err *err)
{
	const char *format = NULL, *session = NULL, *out = NULL;
	bool force = false;

	for (int i = 1; i < argc; i++) {
		if (is_help(argv[i])) {
			fputs(export_usage, stdout);
			return 1;
		}
	}
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) {
			if (i + 1 >= argc || !*argv[i + 1])
				return ior_err_set(err, -EINVAL,
						   "export: %s needs a file name (or - for stdout)",
						   argv[i]);
			out = argv[++i];
		} else if (!strcmp(argv[i], "--force")) {
			force = true;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return ior_err_set(err, -EINVAL,
					   "export: unknown option '%s' (-o FILE, --force)",
					   argv[i]);
		} else if (!format) {
			format = argv[i];
		} else if (!session) {
			session = argv[i];
		} else {
			return ior_err_set(err, -EINVAL, "export: unexpected argument '%s'",
					   argv[i]);
		}
	}
	if (!format || !session)
		return ior_err_set(err, -EINVAL,
				   "usage: ior export {csv|folded} SESSION.db [-o FILE] [--force]");
	return export_run(format, session, out, force, err);
}

/* `ior help [COMMAND]`: the usage of one command, or of all. */
static int help_main(int argc, char **argv, struct ior_err *err)
{
	static char help_arg[] = "--help";
	char *args[] = { argv[argc > 1 ? 1 : 0], help_arg, NULL };

	if (argc < 2) {
		fputs(usage, stdout);
		return 1;
	}
	if (argc > 2)
		return ior_err_set(err, -EINVAL,
				   "help: one command at most (usage: ior help [COMMAND])");
	if (!strcmp(argv[1], "record"))
		return cmd_record(2, args, err);
	if (!strcmp(argv[1], "report"))
		return report_main(2, args, err);
	if (!strcmp(argv[1], "export"))
		return export_main(2, args, err);
	if (!strcmp(argv[1], "replay"))
		return cmd_replay(2, args, err);
	if (!strcmp(argv[1], "live") || !strcmp(argv[1], "ior")) {
		fputs(usage, stdout);
		return 1;
	}
	return ior_err_set(err, -EINVAL,
			   "help: no command '%s' (record, replay, report, export, live)", argv[1]);
}

int main(int argc, char **argv)
{
	struct ior_err err = { 0 };
	const char *cmd = argc > 1 ? argv[1] : NULL;
	int rc, out_err;

	setlocale(LC_ALL, "");
	text_init();
	log_set(stderr, getenv("IOR_DEBUG") ? LOG_DEBUG : LOG_WARN);
	/* Before any other SQLite call: no allocation statistics, whose mutex
	 * the session writer would take for every row. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (cmd && (!strcmp(cmd, "--help") || !strcmp(cmd, "-h"))) {
		rc = fputs(usage, stdout) < 0;
	} else if (cmd && !strcmp(cmd, "--version")) {
		rc = printf("ior %s\n", IOR_VERSION) < 0;
	} else if (cmd && !strcmp(cmd, "record")) {
		rc = cmd_record(argc - 1, argv + 1, &err);
	} else if (cmd && !strcmp(cmd, "report")) {
		rc = report_main(argc - 1, argv + 1, &err);
	} else if (cmd && !strcmp(cmd, "export")) {
		rc = export_main(argc - 1, argv + 1, &err);
	} else if (cmd && !strcmp(cmd, "replay")) {
		rc = cmd_replay(argc - 1, argv + 1, &err);
	} else if (cmd && !strcmp(cmd, "help")) {
		rc = help_main(argc - 1, argv + 1, &err);
	} else if (cmd && cmd[0] != '-') {
		rc = ior_err_set(&err, -EINVAL,
				 "unknown command '%s' (record, replay, report, export, help; or "
				 "options and -- CMD for the live UI; see ior --help)",
				 cmd);
	} else {
		rc = cmd_live(argc, argv, &err);
	}
	/* What went to stdout (a report, an export, the usage) must have
	 * arrived: `ior report s.db > /dev/full` is a failure (issue 9). */
	if (rc >= 0 && (out_err = output_flush_error(stdout)))
		rc = ior_err_set(&err, -out_err, "stdout: write error: %s", strerror(out_err));
	if (rc < 0) {
		fprintf(stderr, "ior: %s\n", err.msg);
		return 1;
	}
	return 0;
}
