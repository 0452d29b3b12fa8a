/* Coverage group fs2: file syscalls from name_to_handle_at to writev, each
 * made to succeed once and to fail once (see coverage.h). Everything is made
 * under DIR and removed again; calls that change mounts run in a grandchild
 * inside a private mount namespace. */
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <linux/stat.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/quota.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include "core/syscalls.h"
#include "tests/workloads/coverage.h"

#define NOPATH COVERAGE_NOPATH

#ifndef MNT_DETACH
#define MNT_DETACH 2 /* umount2 flag of <sys/mount.h>, which clashes with <linux/mount.h> */
#endif

#ifndef STATX_MNT_ID_UNIQUE
#define STATX_MNT_ID_UNIQUE 0x00004000U
#endif
#ifndef STATMOUNT_SB_BASIC
#define STATMOUNT_SB_BASIC 0x00000001U
#endif

/* struct mnt_id_req of <linux/mount.h> (6.8), version 0: too new for these
 * headers. */
struct fs2_mnt_id_req {
	uint32_t size;
	uint32_t spare;
	uint64_t mnt_id;
	uint64_t param;
};

/* struct xattr_args of <linux/xattr.h> (6.13): too new for these headers. */
struct fs2_xattr_args {
	uint64_t value;
	uint32_t size;
	uint32_t flags;
};

/* A small file of our own: open, openat2 and the stat family. */
static void opens_and_stats(const char *dir)
{
	char file[4096];
	struct open_how how = { .flags = O_RDONLY };
	struct open_how bad = { .flags = O_RDONLY, .resolve = ~0ULL };
	struct stat st;
	struct statfs sfs;
	struct statx stx;
	long fd;

	coverage_path(file, sizeof(file), dir, "fs2-open");
	fd = syscall(SYS_open, file, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd >= 0)
		close((int)fd);
	syscall(SYS_open, NOPATH, O_RDONLY); /* ENOENT */

	fd = syscall(SYS_openat2, AT_FDCWD, file, &how, sizeof(how));
	if (fd >= 0)
		close((int)fd);
	syscall(SYS_openat2, AT_FDCWD, file, &bad, sizeof(bad)); /* EINVAL */

	syscall(SYS_stat, file, &st);
	syscall(SYS_stat, NOPATH, &st); /* ENOENT */
	syscall(SYS_statfs, dir, &sfs);
	syscall(SYS_statfs, NOPATH, &sfs); /* ENOENT */
	syscall(SYS_statx, AT_FDCWD, file, 0, STATX_BASIC_STATS, &stx);
	syscall(SYS_statx, AT_FDCWD, NOPATH, 0, STATX_BASIC_STATS, &stx);

	syscall(SYS_truncate, file, 10L);
	syscall(SYS_truncate, NOPATH, 0L); /* ENOENT */

	unlink(file);
}

/* Reads and writes, plain, positioned and vectored, on a file of ours. */
static void reads_and_writes(const char *dir)
{
	char file[4096], buf[64] = "coverage fs2\n";
	struct iovec iov = { buf, 13 };
	int fd;

	coverage_path(file, sizeof(file), dir, "fs2-rw");
	fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return;
	syscall(SYS_write, fd, buf, 13L);
	syscall(SYS_write, -1, buf, 13L); /* EBADF */
	syscall(SYS_writev, fd, &iov, 1L);
	syscall(SYS_writev, -1, &iov, 1L); /* EBADF */
	syscall(SYS_pwrite64, fd, buf, 13L, 0L);
	syscall(SYS_pwrite64, fd, buf, 13L, -1L); /* EINVAL */
	syscall(SYS_pwritev, fd, &iov, 1L, 13L, 0L);
	syscall(SYS_pwritev, -1, &iov, 1L, 13L, 0L); /* EBADF */
	syscall(SYS_pwritev2, fd, &iov, 1L, 26L, 0L, 0L);
	syscall(SYS_pwritev2, fd, &iov, 1L, 26L, 0L, -1L); /* EOPNOTSUPP: flags */

	lseek(fd, 0, SEEK_SET);
	syscall(SYS_read, fd, buf, 13L);
	syscall(SYS_read, -1, buf, 13L); /* EBADF */
	syscall(SYS_readv, fd, &iov, 1L);
	syscall(SYS_readv, -1, &iov, 1L); /* EBADF */
	syscall(SYS_pread64, fd, buf, 13L, 0L);
	syscall(SYS_pread64, fd, buf, 13L, -1L); /* EINVAL */
	syscall(SYS_preadv, fd, &iov, 1L, 13L, 0L);
	syscall(SYS_preadv, -1, &iov, 1L, 13L, 0L); /* EBADF */
	syscall(SYS_preadv2, fd, &iov, 1L, 0L, 0L, 0L);
	syscall(SYS_preadv2, fd, &iov, 1L, 0L, 0L, -1L); /* EOPNOTSUPP */

	syscall(SYS_readahead, fd, 0L, 4096L);
	syscall(SYS_readahead, -1, 0L, 4096L); /* EBADF */
	syscall(SYS_sync_file_range, fd, 0L, 0L, (long)SYNC_FILE_RANGE_WRITE);
	syscall(SYS_sync_file_range, fd, 0L, 0L, -1L); /* EINVAL: flags */

	close(fd);
	unlink(file);
}

/* Names: symlinks, renames, unlinks, rmdir. */
static void names(const char *dir)
{
	char a[4096], b[4096], c[4096], d[4096], l1[4096], l2[4096], sub[4096];
	char buf[256];
	int dfd, fd;

	coverage_path(a, sizeof(a), dir, "fs2-a");
	coverage_path(b, sizeof(b), dir, "fs2-b");
	coverage_path(c, sizeof(c), dir, "fs2-c");
	coverage_path(d, sizeof(d), dir, "fs2-d");
	coverage_path(l1, sizeof(l1), dir, "fs2-link1");
	coverage_path(l2, sizeof(l2), dir, "fs2-link2");
	coverage_path(sub, sizeof(sub), dir, "fs2-sub");
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	fd = open(a, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0)
		close(fd);

	syscall(SYS_symlink, "fs2-a", l1);
	syscall(SYS_symlink, "fs2-a", l1); /* EEXIST */
	syscall(SYS_symlinkat, "fs2-a", dfd, "fs2-link2");
	syscall(SYS_symlinkat, "fs2-a", AT_FDCWD, NOPATH); /* ENOENT */
	syscall(SYS_readlink, l1, buf, sizeof(buf));
	syscall(SYS_readlink, a, buf, sizeof(buf)); /* EINVAL: no symlink */
	syscall(SYS_readlinkat, dfd, "fs2-link2", buf, sizeof(buf));
	syscall(SYS_readlinkat, AT_FDCWD, NOPATH, buf, sizeof(buf)); /* ENOENT */

	syscall(SYS_rename, a, b);
	syscall(SYS_rename, NOPATH, b); /* ENOENT */
	syscall(SYS_renameat, dfd, "fs2-b", dfd, "fs2-c");
	syscall(SYS_renameat, -1, "fs2-b", dfd, "fs2-c"); /* EBADF */
	syscall(SYS_renameat2, dfd, "fs2-c", dfd, "fs2-d", RENAME_NOREPLACE);
	syscall(SYS_renameat2, dfd, "fs2-d", dfd, "fs2-link1", RENAME_NOREPLACE); /* EEXIST */

	syscall(SYS_unlink, l1);
	syscall(SYS_unlink, NOPATH); /* ENOENT */
	syscall(SYS_unlinkat, dfd, "fs2-link2", 0);
	syscall(SYS_unlinkat, dfd, "fs2-d", ~0); /* EINVAL: flags */
	syscall(SYS_unlinkat, dfd, "fs2-d", 0);

	mkdir(sub, 0700);
	syscall(SYS_rmdir, sub);
	syscall(SYS_rmdir, NOPATH); /* ENOENT */
	if (dfd >= 0)
		close(dfd);
}

/* Times: utime, utimes, utimensat. */
static void times(const char *dir)
{
	char file[4096];
	struct utimbuf ub = { 1000000000, 1000000000 };
	struct timeval tv[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
	struct timespec ts[2] = { { 0, UTIME_NOW }, { 0, UTIME_OMIT } };
	int fd;

	coverage_path(file, sizeof(file), dir, "fs2-times");
	fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0)
		close(fd);
	syscall(SYS_utime, file, &ub);
	syscall(SYS_utime, NOPATH, &ub); /* ENOENT */
	syscall(SYS_utimes, file, tv);
	syscall(SYS_utimes, NOPATH, tv); /* ENOENT */
	syscall(SYS_utimensat, AT_FDCWD, file, ts, 0);
	syscall(SYS_utimensat, AT_FDCWD, NOPATH, ts, 0); /* ENOENT */
	unlink(file);
}

/* Extended attributes "user.ior" set and removed, by path and by dirfd. */
static void xattrs(const char *dir)
{
	char file[4096];
	struct fs2_xattr_args args = { (uint64_t)(uintptr_t) "v", 1, 0 };
	int dfd, fd;

	coverage_path(file, sizeof(file), dir, "fs2-xattr");
	fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0)
		close(fd);
	dfd = open(dir, O_RDONLY | O_DIRECTORY);

	syscall(SYS_setxattr, file, "user.ior", "v", 1, 0);
	syscall(SYS_setxattr, NOPATH, "user.ior", "v", 1, 0); /* ENOENT */
	syscall(SYS_removexattr, file, "user.ior");
	syscall(SYS_removexattr, file, "user.ior"); /* ENODATA: gone */

	syscall(coverage_nr("setxattrat"), dfd, "fs2-xattr", 0, "user.ior", &args, sizeof(args));
	syscall(coverage_nr("setxattrat"), dfd, "fs2-xattr", ~0, "user.ior", &args,
		sizeof(args)); /* EINVAL: flags */
	syscall(coverage_nr("removexattrat"), dfd, "fs2-xattr", 0, "user.ior");
	syscall(coverage_nr("removexattrat"), dfd, "fs2-xattr", 0, "user.ior"); /* ENODATA */

	if (dfd >= 0)
		close(dfd);
	unlink(file);
}

/* File handles: name_to_handle_at, then open_by_handle_at (needs
 * CAP_DAC_READ_SEARCH: we are root). */
static void handles(const char *dir)
{
	char file[4096];
	union {
		struct file_handle fh;
		char space[sizeof(struct file_handle) + MAX_HANDLE_SZ];
	} h;
	int mnt_id, dfd, fd;
	long r;

	coverage_path(file, sizeof(file), dir, "fs2-handle");
	fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0)
		close(fd);
	dfd = open(dir, O_RDONLY | O_DIRECTORY);

	h.fh.handle_bytes = MAX_HANDLE_SZ;
	syscall(SYS_name_to_handle_at, AT_FDCWD, NOPATH, &h.fh, &mnt_id, 0); /* ENOENT */
	h.fh.handle_bytes = MAX_HANDLE_SZ;
	r = syscall(SYS_name_to_handle_at, AT_FDCWD, file, &h.fh, &mnt_id, 0);
	if (r == 0) {
		r = syscall(SYS_open_by_handle_at, dfd, &h.fh, O_RDONLY);
		if (r >= 0)
			close((int)r);
	}
	syscall(SYS_open_by_handle_at, -1, &h.fh, O_RDONLY); /* EBADF */

	if (dfd >= 0)
		close(dfd);
	unlink(file);
}

/* Mount objects that change nothing: open_tree without OPEN_TREE_CLONE is
 * an O_PATH open; statmount reads the mount of DIR. */
static void mount_info(const char *dir)
{
	struct fs2_mnt_id_req req = { .size = sizeof(req) };
	struct statx stx;
	static char buf[4096];
	long fd;

	fd = syscall(SYS_open_tree, AT_FDCWD, dir, OPEN_TREE_CLOEXEC);
	if (fd >= 0)
		close((int)fd);
	syscall(SYS_open_tree, AT_FDCWD, NOPATH, OPEN_TREE_CLOEXEC); /* ENOENT */
	fd = syscall(coverage_nr("open_tree_attr"), AT_FDCWD, dir, OPEN_TREE_CLOEXEC, NULL, 0);
	if (fd >= 0)
		close((int)fd);
	syscall(coverage_nr("open_tree_attr"), AT_FDCWD, NOPATH, OPEN_TREE_CLOEXEC, NULL,
		0); /* ENOENT */

	memset(&stx, 0, sizeof(stx));
	syscall(SYS_statx, AT_FDCWD, dir, 0, STATX_MNT_ID_UNIQUE, &stx);
	req.mnt_id = stx.stx_mnt_id;
	req.param = STATMOUNT_SB_BASIC;
	syscall(coverage_nr("statmount"), &req, buf, sizeof(buf), 0);
	syscall(coverage_nr("statmount"), &req, buf, sizeof(buf), -1L); /* EINVAL */
}

/* pivot_root and umount2 in a grandchild with a private mount namespace:
 * DIR/fs2-root, bound onto itself, becomes the root; the old root stacked
 * on it is detached. The namespace dies with the grandchild. */
static void pivot(const char *dir)
{
	char root[4096];
	pid_t pid;

	coverage_path(root, sizeof(root), dir, "fs2-root");
	if (mkdir(root, 0700) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		if (syscall(SYS_unshare, CLONE_NEWNS) < 0 ||
		    syscall(SYS_mount, NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
		    syscall(SYS_mount, root, root, NULL, MS_BIND, NULL) < 0 || chdir(root) < 0)
			_exit(1);
		syscall(SYS_umount2, NOPATH, 0);      /* ENOENT */
		syscall(SYS_pivot_root, ".", NOPATH); /* ENOENT */
		syscall(SYS_pivot_root, ".", ".");
		syscall(SYS_umount2, ".", MNT_DETACH);
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
	rmdir(root);
}

/* Quotas: Q_SYNC syncs filesystems with active quotas (none here); the
 * format query fails where quotas are off. */
static void quotas(const char *dir)
{
	int fmt, dfd;

	syscall(SYS_quotactl, QCMD(Q_SYNC, USRQUOTA), NULL, 0, NULL);
	syscall(SYS_quotactl, QCMD(Q_GETFMT, USRQUOTA), NOPATH, 0, &fmt); /* ENOENT */
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	syscall(coverage_nr("quotactl_fd"), dfd, QCMD(Q_SYNC, USRQUOTA), 0, NULL);
	syscall(coverage_nr("quotactl_fd"), -1, QCMD(Q_SYNC, USRQUOTA), 0, NULL); /* EBADF */
	if (dfd >= 0)
		close(dfd);
}

/* Filesystem-wide queries and the rest: sysfs, ustat, umask, sync, and the
 * calls that cannot succeed here (swapon/swapoff, nfsservctl, uselib). */
static void misc(const char *dir)
{
	struct stat st;
	char ubuf[64]; /* struct ustat: 32 bytes on x86_64 */
	char name[64];

	syscall(SYS_sysfs, 3);				  /* number of filesystem types */
	syscall(SYS_sysfs, 2, 0L, name);		  /* name of the first */
	syscall(SYS_sysfs, 1, "no-such-fs-ior-coverage"); /* EINVAL */
	if (stat(dir, &st) == 0)
		syscall(SYS_ustat, (unsigned)st.st_dev, ubuf);
	syscall(SYS_ustat, 0, ubuf); /* EINVAL: no such device */
	syscall(SYS_umask, syscall(SYS_umask, 077));
	syscall(SYS_sync);
	syscall(SYS_swapon, NOPATH, 0);		/* ENOENT */
	syscall(SYS_swapoff, NOPATH);		/* ENOENT */
	syscall(SYS_nfsservctl, 0, NULL, NULL); /* ENOSYS */
	syscall(SYS_uselib, NOPATH);		/* ENOSYS */
}

void coverage_fs2(const char *dir)
{
	opens_and_stats(dir);
	reads_and_writes(dir);
	names(dir);
	times(dir);
	xattrs(dir);
	handles(dir);
	mount_info(dir);
	pivot(dir);
	quotas(dir);
	misc(dir);
}
