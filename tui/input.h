/* Keyboard and mouse input through libtermkey: the only file that knows
 * termkey. Keys come out as canonical names ("q", "C-l", "F1", "S-Tab",
 * "Enter", "PageDown", "Space") that the key table matches. UI thread. */
#ifndef IOR_TUI_INPUT_H
#define IOR_TUI_INPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

enum input_kind {
	INPUT_KEY,
	INPUT_TEXT, /* a printable character; name holds it as UTF-8 too */
	INPUT_MOUSE,
};

enum input_mouse {
	INPUT_MOUSE_PRESS,
	INPUT_MOUSE_RELEASE,
	INPUT_MOUSE_DRAG,
	INPUT_MOUSE_WHEEL_UP,
	INPUT_MOUSE_WHEEL_DOWN,
};

struct input_event {
	enum input_kind kind;
	char name[32]; /* canonical key name; for INPUT_TEXT the character itself */
	/* INPUT_MOUSE: 0-based screen cell, button 1..3, and the kind. */
	int line, col, button;
	enum input_mouse mouse;
	bool double_click; /* a second press of button 1 on the same cell within 400 ms */
};

struct input;

/* Read keys from fd (a terminal); takes it into raw mode. */
int input_open(struct input **out, int fd, struct ior_err *err);
/* Give the terminal back (also before a suspend); input_resume takes it again. */
void input_close(struct input *in);
void input_suspend(struct input *in);
void input_resume(struct input *in);
/* The fd to poll for input. */
int input_fd(const struct input *in);
/* Read what the terminal has (once, after poll said the fd is readable). */
void input_feed(struct input *in);
/* Take the next complete event: 1 when ev was filled, 0 when nothing (more)
 * is ready. Never blocks. */
int input_next(struct input *in, struct input_event *ev);
/* Milliseconds to wait before input_flush when an incomplete sequence (a
 * lone Escape) waits; -1 when none. */
int input_wait_ms(const struct input *in);
/* Take a pending incomplete sequence as keys (after input_wait_ms). */
int input_flush(struct input *in, struct input_event *ev);
/* Feed bytes instead of the terminal (tests: an abstract instance, fd -1). */
void input_push(struct input *in, const char *bytes, size_t len);

#endif
