/* Coverage group fs1: file-system syscalls from access to move_mount, each
 * once made to succeed and once made to fail. Files live in DIR and are
 * removed at the end; mounts are made in a private mount namespace of a
 * grandchild, so they vanish with it. */
#include <fcntl.h>
#include <linux/mount.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "core/syscalls.h"
#include "tests/workloads/coverage.h"

#define NOPATH COVERAGE_NOPATH

/* UAPI structs newer than this system's kernel headers (6.1). */

/* <linux/mman.h>, cachestat(2), 6.5 */
struct cov_cachestat_range {
	uint64_t off;
	uint64_t len;
};

struct cov_cachestat {
	uint64_t nr_cache;
	uint64_t nr_dirty;
	uint64_t nr_writeback;
	uint64_t nr_evicted;
	uint64_t nr_recently_evicted;
};

/* <linux/xattr.h>, getxattrat(2), 6.13 */
struct cov_xattr_args {
	uint64_t value;
	uint32_t size;
	uint32_t flags;
};

/* <linux/fs.h>, file_getattr(2)/file_setattr(2), 6.17 (FILE_ATTR_SIZE_VER0) */
struct cov_file_attr {
	uint64_t fa_xflags;
	uint32_t fa_extsize;
	uint32_t fa_nextents;
	uint32_t fa_projid;
	uint32_t fa_cowextsize;
};

/* <linux/mount.h>, listmount(2), 6.8 (MNT_ID_REQ_SIZE_VER0) */
struct cov_mnt_id_req {
	uint32_t size;
	uint32_t spare;
	uint64_t mnt_id;
	uint64_t param;
};

#define COV_LSMT_ROOT 0xffffffffffffffffULL

/* access, faccessat, faccessat2 */
static void access_calls(const char *dir)
{
	syscall(SYS_access, dir, F_OK);				  /* ok */
	syscall(SYS_access, NOPATH, F_OK);			  /* ENOENT */
	syscall(SYS_faccessat, AT_FDCWD, dir, R_OK);		  /* ok */
	syscall(SYS_faccessat, AT_FDCWD, NOPATH, R_OK);		  /* ENOENT */
	syscall(SYS_faccessat2, AT_FDCWD, dir, R_OK, AT_EACCESS); /* ok */
	syscall(SYS_faccessat2, AT_FDCWD, dir, R_OK, -1);	  /* EINVAL */
}

/* chdir, fchdir, getcwd */
static void cwd_calls(const char *dir)
{
	char buf[4096];
	int dfd;

	syscall(SYS_chdir, dir);    /* ok */
	syscall(SYS_chdir, NOPATH); /* ENOENT */
	dfd = (int)syscall(SYS_openat, AT_FDCWD, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	syscall(SYS_fchdir, dfd); /* ok */
	syscall(SYS_fchdir, 0);	  /* ENOTDIR: the scratch file */
	syscall(SYS_close, dfd);
	syscall(SYS_getcwd, buf, sizeof(buf)); /* ok */
	syscall(SYS_getcwd, buf, 1);	       /* ERANGE */
}

/* chmod, fchmod, fchmodat, fchmodat2, chown, fchown, fchownat, lchown */
static void mode_owner_calls(const char *file)
{
	syscall(SYS_chmod, file, 0600);				     /* ok */
	syscall(SYS_chmod, NOPATH, 0600);			     /* ENOENT */
	syscall(SYS_fchmod, 0, 0600);				     /* ok */
	syscall(SYS_fchmod, -1, 0600);				     /* EBADF */
	syscall(SYS_fchmodat, AT_FDCWD, file, 0600);		     /* ok */
	syscall(SYS_fchmodat, AT_FDCWD, NOPATH, 0600);		     /* ENOENT */
	syscall(coverage_nr("fchmodat2"), AT_FDCWD, file, 0600, 0);  /* ok */
	syscall(coverage_nr("fchmodat2"), AT_FDCWD, file, 0600, -1); /* EINVAL */
	syscall(SYS_chown, file, 0, 0);				     /* ok */
	syscall(SYS_chown, NOPATH, 0, 0);			     /* ENOENT */
	syscall(SYS_fchown, 0, 0, 0);				     /* ok */
	syscall(SYS_fchown, -1, 0, 0);				     /* EBADF */
	syscall(SYS_fchownat, AT_FDCWD, file, 0, 0, 0);		     /* ok */
	syscall(SYS_fchownat, AT_FDCWD, NOPATH, 0, 0, 0);	     /* ENOENT */
	syscall(SYS_lchown, file, 0, 0);			     /* ok */
	syscall(SYS_lchown, NOPATH, 0, 0);			     /* ENOENT */
	syscall(SYS_futimesat, AT_FDCWD, file, NULL);		     /* ok */
	syscall(SYS_futimesat, AT_FDCWD, NOPATH, NULL);		     /* ENOENT */
}

/* creat, mkdir, mkdirat, mknod, mknodat, link, linkat, and their removal */
static void create_calls(const char *dir, const char *file)
{
	char p[4096], q[4096];
	int fd;

	coverage_path(p, sizeof(p), dir, "fs1-creat");
	fd = (int)syscall(SYS_creat, p, 0600); /* ok */
	syscall(SYS_close, fd);
	syscall(SYS_creat, NOPATH, 0600); /* ENOENT */
	unlink(p);

	coverage_path(p, sizeof(p), dir, "fs1-dir");
	syscall(SYS_mkdir, p, 0700); /* ok */
	syscall(SYS_mkdir, p, 0700); /* EEXIST */
	rmdir(p);
	syscall(SYS_mkdirat, AT_FDCWD, p, 0700);      /* ok */
	syscall(SYS_mkdirat, AT_FDCWD, NOPATH, 0700); /* ENOENT */
	rmdir(p);

	coverage_path(p, sizeof(p), dir, "fs1-fifo");
	syscall(SYS_mknod, p, S_IFIFO | 0600, 0);      /* ok */
	syscall(SYS_mknod, NOPATH, S_IFIFO | 0600, 0); /* ENOENT */
	unlink(p);
	syscall(SYS_mknodat, AT_FDCWD, p, S_IFREG | 0600, 0);	   /* ok */
	syscall(SYS_mknodat, AT_FDCWD, NOPATH, S_IFREG | 0600, 0); /* ENOENT */
	unlink(p);

	coverage_path(q, sizeof(q), dir, "fs1-link");
	syscall(SYS_link, file, q);   /* ok */
	syscall(SYS_link, NOPATH, q); /* ENOENT */
	unlink(q);
	syscall(SYS_linkat, AT_FDCWD, file, AT_FDCWD, q, 0);   /* ok */
	syscall(SYS_linkat, AT_FDCWD, NOPATH, AT_FDCWD, q, 0); /* ENOENT */
	unlink(q);
}

/* close, dup, dup2, dup3, fcntl */
static void fd_calls(void)
{
	int fd = (int)syscall(SYS_dup, 0); /* ok */

	syscall(SYS_dup, -1);		     /* EBADF */
	syscall(SYS_close, fd);		     /* ok */
	syscall(SYS_close, -1);		     /* EBADF */
	syscall(SYS_dup2, 0, 50);	     /* ok */
	syscall(SYS_dup2, -1, 50);	     /* EBADF */
	syscall(SYS_dup3, 0, 51, O_CLOEXEC); /* ok */
	syscall(SYS_dup3, 0, 0, 0);	     /* EINVAL: same descriptor */
	syscall(SYS_close, 50);
	syscall(SYS_close, 51);
	syscall(SYS_fcntl, 0, F_GETFL);	 /* ok */
	syscall(SYS_fcntl, -1, F_GETFL); /* EBADF */
}

/* fstat, lstat, fstatfs, lseek, ioctl, flock, fsync, fdatasync, fadvise64,
 * fallocate, ftruncate, copy_file_range, cachestat on the scratch file */
static void file_calls(const char *dir, const char *file)
{
	struct cov_cachestat_range range = { 0, 0 };
	struct cov_cachestat cs;
	struct stat st;
	struct statfs sfs;
	char p[4096];
	int n, fd;

	syscall(SYS_fstat, 0, &st);		  /* ok */
	syscall(SYS_fstat, -1, &st);		  /* EBADF */
	syscall(SYS_lstat, file, &st);		  /* ok */
	syscall(SYS_lstat, NOPATH, &st);	  /* ENOENT */
	syscall(SYS_fstatfs, 0, &sfs);		  /* ok */
	syscall(SYS_fstatfs, -1, &sfs);		  /* EBADF */
	syscall(SYS_lseek, 0, 0L, SEEK_SET);	  /* ok */
	syscall(SYS_lseek, 0, 0L, 99);		  /* EINVAL: whence */
	syscall(SYS_ioctl, 0, FIONREAD, &n);	  /* ok */
	syscall(SYS_ioctl, 0, TCGETS, NULL);	  /* ENOTTY */
	syscall(SYS_flock, 0, LOCK_SH | LOCK_NB); /* ok */
	syscall(SYS_flock, 0, LOCK_UN);
	syscall(SYS_flock, -1, LOCK_SH | LOCK_NB);	       /* EBADF */
	syscall(SYS_fsync, 0);				       /* ok */
	syscall(SYS_fsync, -1);				       /* EBADF */
	syscall(SYS_fdatasync, 0);			       /* ok */
	syscall(SYS_fdatasync, -1);			       /* EBADF */
	syscall(SYS_fadvise64, 0, 0L, 0L, POSIX_FADV_NORMAL);  /* ok */
	syscall(SYS_fadvise64, -1, 0L, 0L, POSIX_FADV_NORMAL); /* EBADF */
	syscall(SYS_fallocate, 0, 0, 0L, 4096L);	       /* ok */
	syscall(SYS_fallocate, 0, 0, 0L, 0L);		       /* EINVAL: zero length */
	syscall(SYS_ftruncate, 0, 16L);			       /* ok */
	syscall(SYS_ftruncate, 0, -1L);			       /* EINVAL */
	syscall(coverage_nr("cachestat"), 0, &range, &cs, 0);  /* ok */
	syscall(coverage_nr("cachestat"), 0, &range, &cs, 1);  /* EINVAL: flags */

	coverage_path(p, sizeof(p), dir, "fs1-copy");
	fd = (int)syscall(SYS_openat, AT_FDCWD, p, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	syscall(SYS_copy_file_range, 0, NULL, fd, NULL, 16L, 0);  /* ok */
	syscall(SYS_copy_file_range, -1, NULL, fd, NULL, 16L, 0); /* EBADF */
	syscall(SYS_close, fd);
	unlink(p);
}

/* getdents, getdents64 */
static void dirent_calls(const char *dir)
{
	char buf[4096];
	int dfd = (int)syscall(SYS_openat, AT_FDCWD, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	syscall(SYS_getdents, dfd, buf, sizeof(buf)); /* ok */
	syscall(SYS_getdents, 0, buf, sizeof(buf));   /* ENOTDIR */
	syscall(SYS_lseek, dfd, 0L, SEEK_SET);
	syscall(SYS_getdents64, dfd, buf, sizeof(buf)); /* ok */
	syscall(SYS_getdents64, 0, buf, sizeof(buf));	/* ENOTDIR */
	syscall(SYS_close, dfd);
}

/* extended attributes: set, get, list, remove in all their forms */
static void xattr_calls(const char *file)
{
	struct cov_xattr_args args;
	char buf[256];

	syscall(SYS_fsetxattr, 0, "user.ior", "1", 1L, 0);	/* ok */
	syscall(SYS_fsetxattr, -1, "user.ior", "1", 1L, 0);	/* EBADF */
	syscall(SYS_lsetxattr, file, "user.ior", "1", 1L, 0);	/* ok */
	syscall(SYS_lsetxattr, NOPATH, "user.ior", "1", 1L, 0); /* ENOENT */

	syscall(SYS_fgetxattr, 0, "user.ior", buf, sizeof(buf));      /* ok */
	syscall(SYS_fgetxattr, 0, "user.ior-none", buf, sizeof(buf)); /* ENODATA */
	syscall(SYS_getxattr, file, "user.ior", buf, sizeof(buf));    /* ok */
	syscall(SYS_getxattr, NOPATH, "user.ior", buf, sizeof(buf));  /* ENOENT */
	syscall(SYS_lgetxattr, file, "user.ior", buf, sizeof(buf));   /* ok */
	syscall(SYS_lgetxattr, NOPATH, "user.ior", buf, sizeof(buf)); /* ENOENT */
	args = (struct cov_xattr_args){ (uintptr_t)buf, sizeof(buf), 0 };
	syscall(coverage_nr("getxattrat"), AT_FDCWD, file, 0, "user.ior", &args,
		sizeof(args)); /* ok */
	syscall(coverage_nr("getxattrat"), AT_FDCWD, NOPATH, 0, "user.ior", &args,
		sizeof(args)); /* ENOENT */

	syscall(SYS_flistxattr, 0, buf, sizeof(buf));				    /* ok */
	syscall(SYS_flistxattr, -1, buf, sizeof(buf));				    /* EBADF */
	syscall(SYS_listxattr, file, buf, sizeof(buf));				    /* ok */
	syscall(SYS_listxattr, NOPATH, buf, sizeof(buf));			    /* ENOENT */
	syscall(SYS_llistxattr, file, buf, sizeof(buf));			    /* ok */
	syscall(SYS_llistxattr, NOPATH, buf, sizeof(buf));			    /* ENOENT */
	syscall(coverage_nr("listxattrat"), AT_FDCWD, file, 0, buf, sizeof(buf));   /* ok */
	syscall(coverage_nr("listxattrat"), AT_FDCWD, NOPATH, 0, buf, sizeof(buf)); /* ENOENT */

	syscall(SYS_fremovexattr, 0, "user.ior"); /* ok */
	syscall(SYS_fremovexattr, 0, "user.ior"); /* ENODATA: gone */
	syscall(SYS_lsetxattr, file, "user.ior", "1", 1L, 0);
	syscall(SYS_lremovexattr, file, "user.ior"); /* ok */
	syscall(SYS_lremovexattr, file, "user.ior"); /* ENODATA: gone */
}

/* file_getattr, file_setattr: read the inode flags and write them back */
static void fileattr_calls(const char *file)
{
	struct cov_file_attr fa;

	memset(&fa, 0, sizeof(fa));
	syscall(coverage_nr("file_getattr"), AT_FDCWD, file, &fa, sizeof(fa), 0);   /* ok */
	syscall(coverage_nr("file_getattr"), AT_FDCWD, NOPATH, &fa, sizeof(fa), 0); /* ENOENT */
	syscall(coverage_nr("file_setattr"), AT_FDCWD, file, &fa, sizeof(fa), 0);   /* ok */
	syscall(coverage_nr("file_setattr"), AT_FDCWD, NOPATH, &fa, sizeof(fa), 0); /* ENOENT */
}

/* listmount: the mounts under the root of our mount namespace */
static void listmount_calls(void)
{
	struct cov_mnt_id_req req = { sizeof(req), 0, COV_LSMT_ROOT, 0 };
	uint64_t ids[16];

	syscall(coverage_nr("listmount"), &req, ids, 16L, 0);  /* ok */
	syscall(coverage_nr("listmount"), &req, ids, 16L, -1); /* EINVAL: flags */
}

/* Mounts, in a grandchild with a private mount namespace: nothing it mounts
 * is seen outside, and it all goes away when the grandchild exits. */
static void mount_ns(const char *mnt)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
	int fsfd, mfd;

	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return;

	/* mount, then chroot into it */
	syscall(SYS_mount, "none", mnt, "tmpfs", 0, "size=64k");    /* ok */
	syscall(SYS_mount, "none", NOPATH, "tmpfs", 0, "size=64k"); /* ENOENT */
	umount2(mnt, 0);

	/* the new mount API: fsopen, fsconfig, fsmount, move_mount */
	fsfd = (int)syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC);		     /* ok */
	syscall(SYS_fsopen, "ior-no-such-fs", FSOPEN_CLOEXEC);			     /* ENODEV */
	syscall(SYS_fsconfig, fsfd, FSCONFIG_SET_STRING, "size", "64k", 0);	     /* ok */
	syscall(SYS_fsconfig, fsfd, FSCONFIG_SET_STRING, "ior-no-such-opt", "1", 0); /* EINVAL */
	syscall(SYS_fsconfig, fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0);
	mfd = (int)syscall(SYS_fsmount, fsfd, FSMOUNT_CLOEXEC, 0);		     /* ok */
	syscall(SYS_fsmount, -1, FSMOUNT_CLOEXEC, 0);				     /* EBADF */
	syscall(SYS_move_mount, mfd, "", AT_FDCWD, mnt, MOVE_MOUNT_F_EMPTY_PATH);    /* ok */
	syscall(SYS_move_mount, mfd, "", AT_FDCWD, NOPATH, MOVE_MOUNT_F_EMPTY_PATH); /* ENOENT */
	syscall(SYS_close, mfd);
	syscall(SYS_close, fsfd);

	/* fspick, mount_setattr on that mount */
	fsfd = (int)syscall(SYS_fspick, AT_FDCWD, mnt, FSPICK_CLOEXEC); /* ok */
	syscall(SYS_fspick, AT_FDCWD, NOPATH, FSPICK_CLOEXEC);		/* ENOENT */
	syscall(SYS_close, fsfd);
	syscall(SYS_mount_setattr, AT_FDCWD, mnt, 0, &attr, sizeof(attr));    /* ok */
	syscall(SYS_mount_setattr, AT_FDCWD, NOPATH, 0, &attr, sizeof(attr)); /* ENOENT */

	listmount_calls();

	syscall(SYS_chroot, mnt);    /* ok */
	syscall(SYS_chroot, NOPATH); /* ENOENT */
}

static void mount_calls(const char *dir)
{
	char mnt[4096];
	pid_t pid;

	coverage_path(mnt, sizeof(mnt), dir, "fs1-mnt");
	if (mkdir(mnt, 0700))
		return;
	pid = fork();
	if (pid == 0) {
		mount_ns(mnt);
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
	rmdir(mnt);
}

void coverage_fs1(const char *dir)
{
	char file[4096];
	int fd;

	coverage_path(file, sizeof(file), dir, "fs1-file");
	fd = open(file, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	close(fd);

	access_calls(dir);
	mode_owner_calls(file);
	create_calls(dir, file);
	fd_calls();
	file_calls(dir, file);
	dirent_calls(dir);
	xattr_calls(file);
	fileattr_calls(file);
	mount_calls(dir);
	cwd_calls(dir);

	unlink(file);
}
