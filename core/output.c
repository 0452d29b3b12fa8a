/* Checks and ownership for the files ior writes. */
#include "core/output.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The directory part of path ("." when none) into buf. */
static void dir_of(const char *path, char *buf, size_t size)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(buf, size, ".");
	else if (slash == path)
		snprintf(buf, size, "/");
	else
		snprintf(buf, size, "%.*s", (int)(slash - path), path);
}

int output_check(const char *path, bool force, const struct stat *input, struct ior_err *err)
{
	char dir[PATH_MAX];
	struct stat st;

	if (!*path)
		return ior_err_set(err, -EINVAL, "output: empty file name");
	if (!strcmp(path, "-"))
		return ior_err_set(err, -EINVAL,
				   "-: a session is an SQLite file, it cannot go to stdout; "
				   "name a file");
	if (path[strlen(path) - 1] == '/')
		return ior_err_set(err, -EISDIR, "%s: is a directory; name a file", path);
	if (lstat(path, &st) == 0) {
		if (S_ISLNK(st.st_mode))
			return ior_err_set(err, -ELOOP,
					   "%s: is a symbolic link; refusing to write through it",
					   path);
		if (S_ISDIR(st.st_mode))
			return ior_err_set(err, -EISDIR, "%s: is a directory; name a file", path);
		if (!S_ISREG(st.st_mode))
			return ior_err_set(err, -EINVAL,
					   "%s: not a regular file (ior writes only new regular "
					   "files)",
					   path);
		if (input && st.st_dev == input->st_dev && st.st_ino == input->st_ino)
			return ior_err_set(err, -EINVAL,
					   "%s: is the session being read; choose another output",
					   path);
		if (!force)
			return ior_err_set(err, -EEXIST,
					   "%s: already exists (use --force to replace it)", path);
	} else if (errno != ENOENT) {
		return ior_err_set(err, -errno, "%s: %s", path, strerror(errno));
	}
	dir_of(path, dir, sizeof(dir));
	if (stat(dir, &st))
		return ior_err_set(err, -errno, "%s: cannot create: %s: %s", path, dir,
				   strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return ior_err_set(err, -ENOTDIR, "%s: cannot create: %s is not a directory", path,
				   dir);
	if (access(dir, W_OK | X_OK))
		return ior_err_set(err, -errno, "%s: cannot create: %s: %s", path, dir,
				   strerror(errno));
	return 0;
}

/* SUDO_UID/SUDO_GID when ior runs as root under sudo. */
static bool sudo_ids(uid_t *uid, gid_t *gid)
{
	const char *u = getenv("SUDO_UID"), *g = getenv("SUDO_GID");
	char *end;
	unsigned long v;

	if (!u || !g || geteuid() != 0)
		return false;
	errno = 0;
	v = strtoul(u, &end, 10);
	if (errno || !*u || *end || v >= (uid_t)-1)
		return false;
	*uid = (uid_t)v;
	v = strtoul(g, &end, 10);
	if (errno || !*g || *end || v >= (gid_t)-1)
		return false;
	*gid = (gid_t)v;
	return true;
}

void output_give_to_sudo_user(int fd)
{
	uid_t uid;
	gid_t gid;

	if (fd >= 0 && sudo_ids(&uid, &gid) && fchown(fd, uid, gid))
		return; /* best effort: the file stays root's, still 0600 */
}

void output_give_path_to_sudo_user(const char *path)
{
	uid_t uid;
	gid_t gid;

	/* lchown, not open and fchown: closing any descriptor of a file
	 * drops every POSIX lock this process holds on it, SQLite's included
	 * (a reader then took the session's -shm for unused, truncated it,
	 * and the writer died of SIGBUS). A symlink would only change itself. */
	if (sudo_ids(&uid, &gid) && lchown(path, uid, gid))
		return; /* best effort: the file stays root's, still 0600 */
}

int output_flush_error(FILE *out)
{
	if (fflush(out))
		return errno ? errno : EIO;
	return ferror(out) ? EIO : 0;
}
