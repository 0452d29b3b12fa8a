/* libtermkey behind canonical key names and mouse events. */
#include "tui/input.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termkey.h>
#include <time.h>

#include "core/xalloc.h"

struct input {
	TermKey *tk;
	/* The last press of button 1, for double clicks. */
	int last_line, last_col;
	long long last_press_ms;
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int input_open(struct input **out, int fd, struct ior_err *err)
{
	struct input *in = xcalloc(1, sizeof(*in));

	/* CTRLC: Ctrl-C is a key here (it quits), not a SIGINT to the reader. */
	if (fd >= 0)
		in->tk = termkey_new(fd, TERMKEY_FLAG_CTRLC | TERMKEY_FLAG_SPACESYMBOL);
	else
		in->tk = termkey_new_abstract(getenv("TERM") ? getenv("TERM") : "xterm",
					      TERMKEY_FLAG_SPACESYMBOL | TERMKEY_FLAG_UTF8);
	if (!in->tk) {
		free(in);
		return ior_err_set(err, -EIO, "cannot read the terminal (libtermkey)");
	}
	in->last_press_ms = -1000;
	*out = in;
	return 0;
}

void input_close(struct input *in)
{
	if (!in)
		return;
	termkey_destroy(in->tk);
	free(in);
}

void input_suspend(struct input *in)
{
	termkey_stop(in->tk);
}

void input_resume(struct input *in)
{
	termkey_start(in->tk);
}

int input_fd(const struct input *in)
{
	return termkey_get_fd(in->tk);
}

void input_push(struct input *in, const char *bytes, size_t len)
{
	termkey_push_bytes(in->tk, bytes, len);
}

static const char *mod_prefix(int mods)
{
	static const char *const names[8] = {
		"", "S-", "M-", "M-S-", "C-", "C-S-", "C-M-", "C-M-S-"
	};

	return names[mods & 7];
}

static void fill_mouse(struct input *in, const TermKeyKey *key, struct input_event *ev)
{
	TermKeyMouseEvent kind;
	int button = 0, line = 0, col = 0;

	termkey_interpret_mouse(in->tk, key, &kind, &button, &line, &col);
	ev->kind = INPUT_MOUSE;
	ev->line = line - 1;
	ev->col = col - 1;
	ev->button = button;
	snprintf(ev->name, sizeof(ev->name), "Mouse");
	switch (kind) {
	case TERMKEY_MOUSE_PRESS:
		if (button == 4 || button == 5) {
			ev->mouse = button == 4 ? INPUT_MOUSE_WHEEL_UP : INPUT_MOUSE_WHEEL_DOWN;
			return;
		}
		ev->mouse = INPUT_MOUSE_PRESS;
		if (button == 1) {
			long long t = now_ms();

			ev->double_click = t - in->last_press_ms < 400 &&
					   in->last_line == ev->line && in->last_col == ev->col;
			in->last_press_ms = ev->double_click ? -1000 : t;
			in->last_line = ev->line;
			in->last_col = ev->col;
		}
		return;
	case TERMKEY_MOUSE_DRAG:
		ev->mouse = INPUT_MOUSE_DRAG;
		return;
	default:
		ev->mouse = INPUT_MOUSE_RELEASE;
		return;
	}
}

/* 1 when key became an event. */
static int translate(struct input *in, const TermKeyKey *key, struct input_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	switch (key->type) {
	case TERMKEY_TYPE_UNICODE:
		if (key->modifiers & (TERMKEY_KEYMOD_CTRL | TERMKEY_KEYMOD_ALT)) {
			ev->kind = INPUT_KEY;
			snprintf(ev->name, sizeof(ev->name), "%s%s",
				 mod_prefix(key->modifiers & ~TERMKEY_KEYMOD_SHIFT), key->utf8);
		} else {
			ev->kind = INPUT_TEXT;
			snprintf(ev->name, sizeof(ev->name), "%s", key->utf8);
		}
		return 1;
	case TERMKEY_TYPE_FUNCTION:
		ev->kind = INPUT_KEY;
		snprintf(ev->name, sizeof(ev->name), "%sF%d", mod_prefix(key->modifiers),
			 key->code.number);
		return 1;
	case TERMKEY_TYPE_KEYSYM: {
		const char *name = termkey_get_keyname(in->tk, key->code.sym);

		if (!name)
			return 0;
		/* VT220's Find and Select sit where Home and End are (screen and
		 * tmux send them for Home and End). */
		if (!strcmp(name, "Find"))
			name = "Home";
		else if (!strcmp(name, "Select"))
			name = "End";
		ev->kind = INPUT_KEY;
		snprintf(ev->name, sizeof(ev->name), "%s%s", mod_prefix(key->modifiers), name);
		return 1;
	}
	case TERMKEY_TYPE_MOUSE:
		fill_mouse(in, key, ev);
		return 1;
	default:
		return 0;
	}
}

void input_feed(struct input *in)
{
	termkey_advisereadable(in->tk);
}

int input_next(struct input *in, struct input_event *ev)
{
	TermKeyKey key;

	while (termkey_getkey(in->tk, &key) == TERMKEY_RES_KEY)
		if (translate(in, &key, ev))
			return 1;
	return 0;
}

int input_wait_ms(const struct input *in)
{
	TermKeyKey key;

	/* AGAIN from a getkey means a partial sequence waits: let the caller
	 * time out on it (getkey is idempotent here: nothing was consumed). */
	return termkey_getkey(in->tk, &key) == TERMKEY_RES_AGAIN ? termkey_get_waittime(in->tk)
								 : -1;
}

int input_flush(struct input *in, struct input_event *ev)
{
	TermKeyKey key;

	while (termkey_getkey_force(in->tk, &key) == TERMKEY_RES_KEY)
		if (translate(in, &key, ev))
			return 1;
	return 0;
}
