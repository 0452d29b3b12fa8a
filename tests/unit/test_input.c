/* Terminal bytes become the key names the key table uses. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "tui/input.h"

static struct input *in;

static void setup(void)
{
	struct ior_err err = { 0 };

	setenv("TERM", "xterm", 1);
	cr_assert_eq(input_open(&in, -1, &err), 0, "%s", err.msg);
}

static void teardown(void)
{
	input_close(in);
}

static struct input_event push(const char *bytes)
{
	struct input_event ev;

	input_push(in, bytes, strlen(bytes));
	if (!input_next(in, &ev))
		cr_assert(input_flush(in, &ev), "no event for %s", bytes);
	return ev;
}

TestSuite(input, .init = setup, .fini = teardown);

Test(input, keys_have_canonical_names)
{
	static const struct {
		const char *bytes, *name;
	} want[] = {
		{ "\033OP", "F1" },    { "\033[21~", "F10" }, { "\t", "Tab" },
		{ "\033[Z", "S-Tab" }, { "\r", "Enter" },     { "\x7f", "Backspace" },
		{ "\x0c", "C-l" },     { "\033[A", "Up" },    { "\033[6~", "PageDown" },
		{ " ", "Space" },      { "\033", "Escape" },
	};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct input_event ev = push(want[i].bytes);

		cr_assert_str_eq(ev.name, want[i].name, "bytes #%zu", i);
		cr_assert_eq(ev.kind, INPUT_KEY);
	}
}

Test(input, printable_characters_are_text)
{
	struct input_event ev = push("q");

	cr_assert_eq(ev.kind, INPUT_TEXT);
	cr_assert_str_eq(ev.name, "q");
	ev = push("\xc3\xa9"); /* é */
	cr_assert_eq(ev.kind, INPUT_TEXT);
	cr_assert_str_eq(ev.name, "\xc3\xa9");
}

Test(input, mouse_press_wheel_and_double_click)
{
	/* The classic encoding: button + 32, column + 33, line + 33. */
	struct input_event ev = push("\033[M *%");

	cr_assert_eq(ev.kind, INPUT_MOUSE);
	cr_assert_eq(ev.mouse, INPUT_MOUSE_PRESS);
	cr_assert_eq(ev.button, 1);
	cr_assert_eq(ev.line, 4);
	cr_assert_eq(ev.col, 9);
	cr_assert(!ev.double_click);
	push("\033[M#*%");
	ev = push("\033[M *%");
	cr_assert(ev.double_click);
	ev = push("\033[Ma##");
	cr_assert_eq(ev.mouse, INPUT_MOUSE_WHEEL_DOWN);
}
