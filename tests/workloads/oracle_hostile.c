/* Oracle workload (tests/oracle): files whose names hold newlines, tabs,
 * escape sequences, invalid UTF-8, and a path of exactly 4095 bytes, created,
 * written, stat'ed, renamed, linked, listed and removed under DIR.
 * usage: oracle_hostile DIR        run
 *        oracle_hostile DIR --list print every path it creates, in hex, one a
 *                                  line (the oracle's expected bytes) */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const names[] = {
	"new\nline",
	"tab\there",
	"esc\x1b[31mred\x1b[0m",
	"bad\xff\xfe"
	"utf8",
	"lone\x80"
	"cont",
	"cr\rret",
	"bell\a\b\x7f",
	"quote\"back\\slash",
	"pct%s%n",
	" lead and trail ",
	"utf8-\xc3\xa9-\xe2\x9c\x93",
	"$(echo no);`x`",
};
#define NNAMES (sizeof(names) / sizeof(names[0]))

static char dir[PATH_MAX];
static int list_only;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void emit(const char *path)
{
	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		printf("%02x", *p);
	printf("\n");
}

static const char *at(const char *name, const char *suffix)
{
	static char buf[2][PATH_MAX * 2];
	static int which;
	char *b = buf[which ^= 1];

	snprintf(b, sizeof(buf[0]), "%s/%s%s", dir, name, suffix);
	return b;
}

static void hostile(void)
{
	char target[256];
	struct stat st;
	int fd, dfd;
	DIR *d;

	for (size_t i = 0; i < NNAMES; i++) {
		const char *p = at(names[i], "");

		if (list_only) {
			emit(p);
			emit(at(names[i], ".renamed"));
			emit(at(names[i], ".link"));
			continue;
		}
		fd = open(p, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0)
			die("open");
		if (write(fd, names[i], strlen(names[i])) < 0)
			die("write");
		fsync(fd);
		close(fd);
		if (stat(p, &st) || access(p, R_OK))
			die("stat");
		if (rename(p, at(names[i], ".renamed")))
			die("rename");
		/* a symlink whose target and name are both hostile */
		if (symlink(names[i], at(names[i], ".link")))
			die("symlink");
		if (readlink(at(names[i], ".link"), target, sizeof(target)) < 0)
			die("readlink");
	}
	if (list_only)
		return;
	/* relative to a directory descriptor */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		die("open dir");
	for (size_t i = 0; i < NNAMES; i++) {
		char rel[300];

		snprintf(rel, sizeof(rel), "%s.renamed", names[i]);
		if (fstatat(dfd, rel, &st, AT_SYMLINK_NOFOLLOW))
			die("fstatat");
		fd = openat(dfd, rel, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || read(fd, target, sizeof(target)) < 0)
			die("openat");
		close(fd);
	}
	d = fdopendir(dfd);
	if (!d)
		die("fdopendir");
	while (readdir(d))
		;
	closedir(d);
	for (size_t i = 0; i < NNAMES; i++) {
		if (unlink(at(names[i], ".renamed")) || unlink(at(names[i], ".link")))
			die("unlink");
		/* gone: the failure names it too */
		if (!unlink(at(names[i], "")) || errno != ENOENT)
			die("unlink again");
	}
}

/* Nested directories under DIR/long so that the file's absolute path is
 * exactly PATH_MAX - 1 = 4095 bytes: the longest path the kernel takes. */
static void long_path(void)
{
	char path[PATH_MAX + 300], too_long[PATH_MAX + 300];
	struct stat st;
	size_t len;
	int fd;

	snprintf(path, sizeof(path), "%s/long", dir);
	if (!list_only && mkdir(path, 0700))
		die("mkdir long");
	/* leave room for "/" + a final name of at least 10 bytes */
	while (strlen(path) + 1 + 200 + 1 + 10 <= PATH_MAX - 1) {
		len = strlen(path);
		path[len] = '/';
		memset(path + len + 1, 'd', 200);
		path[len + 201] = '\0';
		if (!list_only && mkdir(path, 0700))
			die("mkdir nested");
	}
	len = strlen(path);
	path[len] = '/';
	memset(path + len + 1, 'f', PATH_MAX - 1 - len - 1);
	path[PATH_MAX - 1] = '\0';
	if (strlen(path) != PATH_MAX - 1) {
		fprintf(stderr, "oracle_hostile: path is %zu bytes\n", strlen(path));
		exit(1);
	}
	if (list_only) {
		emit(path);
		return;
	}
	fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0)
		die("open 4095");
	if (write(fd, "long", 4) != 4)
		die("write 4095");
	close(fd);
	if (stat(path, &st))
		die("stat 4095");
	/* one byte more: refused, and ior must say truncated */
	snprintf(too_long, sizeof(too_long), "%sx", path);
	if (open(too_long, O_RDONLY) >= 0 || errno != ENAMETOOLONG)
		die("open 4096");
	if (unlink(path))
		die("unlink 4095");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: oracle_hostile DIR [--list]\n");
		return 2;
	}
	if (!realpath(argv[1], dir))
		die("realpath");
	list_only = argc > 2 && !strcmp(argv[2], "--list");
	hostile();
	long_path();
	return 0;
}
