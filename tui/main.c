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

static int export_main(int argc, char **argv, struct ior_err *err)
{
	const char *format = NULL, *session = NULL, *out = NULL;
	bool force = false;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "--force"))
			force = true;
		else if (argv[i][0] == '-' && argv[i][1])
			return ior_err_set(err, -EINVAL, "export: unknown option '%s'", argv[i]);
		else if (!format)
			format = argv[i];
		else if (!session)
			session = argv[i];
		else
			return ior_err_set(err, -EINVAL, "export: unexpected argument '%s'",
					   argv[i]);
	}
	if (!format || !session)
		return ior_err_set(err, -EINVAL,
				   "usage: ior export {csv|folded} SESSION.db [-o FILE]");
	return export_run(format, session, out, force, err);
}

int main(int argc, char **argv)
{
	struct ior_err err = { 0 };
	const char *cmd = argc > 1 ? argv[1] : NULL;
	int rc;

	setlocale(LC_ALL, "");
	text_init();
	log_set(stderr, getenv("IOR_DEBUG") ? LOG_DEBUG : LOG_WARN);
	/* Before any other SQLite call: no allocation statistics, whose mutex
	 * the session writer would take for every row. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (cmd && (!strcmp(cmd, "--help") || !strcmp(cmd, "-h"))) {
		fputs(usage, stdout);
		return 0;
	}
	if (cmd && !strcmp(cmd, "--version")) {
		printf("ior %s\n", IOR_VERSION);
		return 0;
	}
	if (cmd && !strcmp(cmd, "record")) {
		rc = cmd_record(argc - 1, argv + 1, &err);
	} else if (cmd && !strcmp(cmd, "report")) {
		if (argc != 3)
			rc = ior_err_set(&err, -EINVAL, "usage: ior report SESSION.db");
		else
			rc = report_run(argv[2], stdout, &err);
	} else if (cmd && !strcmp(cmd, "export")) {
		rc = export_main(argc - 1, argv + 1, &err);
	} else if (cmd && !strcmp(cmd, "replay")) {
		rc = cmd_replay(argc - 1, argv + 1, &err);
	} else if (cmd && cmd[0] != '-') {
		rc = ior_err_set(&err, -EINVAL,
				 "unknown command '%s' (record, replay, report, export; or options "
				 "and -- CMD for the live UI; see ior --help)",
				 cmd);
	} else {
		rc = cmd_live(argc, argv, &err);
	}
	if (rc < 0) {
		fprintf(stderr, "ior: %s\n", err.msg);
		return 1;
	}
	return 0;
}
