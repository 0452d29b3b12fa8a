/* Checks and ownership for the files ior writes (sessions, exports, the
 * launched command's output), before any costly work starts. */
#ifndef IOR_CORE_OUTPUT_H
#define IOR_CORE_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/stat.h>

#include "core/err.h"

/* Could path be created by store_create_file(path, force)? Cheap (no
 * write): refuses "-", a symlink, an existing file without force, anything
 * that is not a regular file (--force cannot replace a directory or a
 * device), the file being read (input: its stat, NULL if none; the same
 * device and inode however reached), and a directory that is missing or
 * not writable. 0 or a negative errno with err set. Any thread. */
int output_check(const char *path, bool force, const struct stat *input, struct ior_err *err);

/* Under sudo (euid 0 with SUDO_UID/SUDO_GID set), give the open file fd to
 * the invoking user, so that the user who ran the command can read what it
 * wrote (the mode stays 0600). Best effort; no-op otherwise. */
void output_give_to_sudo_user(int fd);

/* The same for the file at path (never through a symlink; opens nothing,
 * so it is safe on a file SQLite holds locks on); a missing file is no
 * error. */
void output_give_path_to_sudo_user(const char *path);

/* Flush out and say whether any write to it failed (now or earlier: a full
 * disk, /dev/full, a closed pipe): 0, or the positive errno (EIO when the
 * cause is no longer known). */
int output_flush_error(FILE *out);

#endif
