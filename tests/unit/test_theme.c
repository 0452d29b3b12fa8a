/* Unit tests for themes: the file format, lookup and inheritance, the
 * built-ins, colour reduction and the curses attributes. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tui/theme.h"

/* Each test that touches files gets its own XDG_CONFIG_HOME. */
static char tmp_dir[64];

static void tmp_setup(void)
{
	char path[128];

	snprintf(tmp_dir, sizeof(tmp_dir), "/tmp/ior-theme-XXXXXX");
	cr_assert_not_null(mkdtemp(tmp_dir));
	snprintf(path, sizeof(path), "%s/ior", tmp_dir);
	cr_assert_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/ior/themes", tmp_dir);
	cr_assert_eq(mkdir(path, 0700), 0);
	cr_assert_eq(setenv("XDG_CONFIG_HOME", tmp_dir, 1), 0);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void tmp_teardown(void)
{
	nftw(tmp_dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* Write $XDG_CONFIG_HOME/ior/themes/NAME.theme; returns its path (static). */
static const char *user_theme(const char *name, const char *text)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/ior/themes/%s.theme", tmp_dir, name);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static bool style_eq(struct theme_style a, struct theme_style b)
{
	return a.fg == b.fg && a.bg == b.bg && a.attrs == b.attrs;
}

static bool theme_eq(const struct theme *a, const struct theme *b)
{
	for (int r = 0; r < THEME_ROLE_COUNT; r++)
		if (!style_eq(a->role[r], b->role[r]))
			return false;
	return true;
}

static const struct theme_builtin *builtin(const char *name)
{
	for (size_t i = 0; i < theme_builtins_len; i++)
		if (strcmp(theme_builtins[i].name, name) == 0)
			return &theme_builtins[i];
	cr_assert_fail("no built-in %s", name);
	return NULL;
}

static void builtin_parse(struct theme *t, const char *name)
{
	const struct theme_builtin *b = builtin(name);
	struct ior_err err = { 0 };

	theme_default(t);
	cr_assert_eq(theme_parse(t, b->text, b->len, name, &err), 0, "%s", err.msg);
}

Test(theme, builtins_parse_and_set_every_role)
{
	static const char *const names[] = { "default", "light", "monochrome", "ansi16",
					     "colorblind" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		builtin(names[i]);
	for (size_t i = 0; i < theme_builtins_len; i++) {
		const struct theme_builtin *b = &theme_builtins[i];
		struct ior_err err = { 0 };
		struct theme t;

		/* A sentinel no file can write shows a role left out. */
		for (int r = 0; r < THEME_ROLE_COUNT; r++)
			t.role[r] = (struct theme_style){ .fg = -9, .bg = -9, .attrs = 0 };
		cr_assert_eq(theme_parse(&t, b->text, b->len, b->name, &err), 0, "%s", err.msg);
		cr_assert_eq(strlen(b->text), b->len);
		for (int r = 0; r < THEME_ROLE_COUNT; r++)
			cr_assert(t.role[r].fg != -9, "%s leaves out %s", b->name,
				  theme_role_name(r));
	}
}

Test(theme, builtins_equal_their_files)
{
	const char *src = getenv("IOR_SRCDIR");
	char dir[512], path[1024];
	struct dirent *de;
	size_t files = 0;
	DIR *d;

	cr_assert_not_null(src, "IOR_SRCDIR is unset");
	snprintf(dir, sizeof(dir), "%s/themes", src);
	d = opendir(dir);
	cr_assert_not_null(d, "%s", dir);
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		char name[256], *text;
		long len;
		FILE *f;

		if (n <= 6 || strcmp(de->d_name + n - 6, ".theme") != 0)
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(n - 6), de->d_name);
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		f = fopen(path, "rb");
		cr_assert_not_null(f, "%s", path);
		fseek(f, 0, SEEK_END);
		len = ftell(f);
		rewind(f);
		text = malloc((size_t)len + 1);
		cr_assert_eq(fread(text, 1, (size_t)len, f), (size_t)len);
		fclose(f);
		cr_assert_eq(builtin(name)->len, (size_t)len, "%s: rebuild (make)", name);
		cr_assert(memcmp(builtin(name)->text, text, (size_t)len) == 0, "%s differs", name);
		free(text);
		files++;
	}
	closedir(d);
	cr_assert_eq(files, theme_builtins_len);
}

Test(theme, role_names_round_trip)
{
	cr_assert_null(theme_role_name(-1));
	cr_assert_null(theme_role_name(THEME_ROLE_COUNT));
	cr_assert_str_eq(theme_role_name(THEME_TABLE_HEADER), "table_header");
	for (int r = 0; r < THEME_ROLE_COUNT; r++) {
		struct ior_err err = { 0 };
		struct theme t;
		char text[128];

		cr_assert_not_null(theme_role_name(r));
		for (int o = 0; o < r; o++)
			cr_assert_str_neq(theme_role_name(o), theme_role_name(r));
		theme_default(&t);
		snprintf(text, sizeof(text), "%s = %d on %d italic\n", theme_role_name(r), r + 1,
			 r + 100);
		cr_assert_eq(theme_parse(&t, text, strlen(text), "t", &err), 0, "%s", err.msg);
		cr_assert(style_eq(t.role[r],
				   (struct theme_style){ r + 1, r + 100, THEME_A_ITALIC }));
	}
}

Test(theme, colours_and_attributes)
{
	const char *text = "# comment\n"
			   "  normal = default   # trailing comment\r\n"
			   "\n"
			   "error = bright-red on black bold underline\n"
			   "WARNING = Yellow on bright-white reverse dim italic\n"
			   "selected = reverse\n"
			   "ok = 0 on 255\n"
			   "table-header = default on blue\n"
			   "\tdim\t=\t8";
	struct ior_err err = { 0 };
	struct theme t;

	theme_default(&t);
	cr_assert_eq(theme_parse(&t, text, strlen(text), "t", &err), 0, "%s", err.msg);
	cr_assert_str_eq(t.name, "default", "parse leaves the name");
	cr_assert(style_eq(t.role[THEME_NORMAL], (struct theme_style){ -1, -1, 0 }));
	cr_assert(style_eq(t.role[THEME_ERROR],
			   (struct theme_style){ 9, 0, THEME_A_BOLD | THEME_A_UNDERLINE }));
	cr_assert(style_eq(
		t.role[THEME_WARNING],
		(struct theme_style){ 3, 15, THEME_A_REVERSE | THEME_A_DIM | THEME_A_ITALIC }));
	cr_assert(
		style_eq(t.role[THEME_SELECTED], (struct theme_style){ -1, -1, THEME_A_REVERSE }));
	cr_assert(style_eq(t.role[THEME_OK], (struct theme_style){ 0, 255, 0 }));
	cr_assert(style_eq(t.role[THEME_TABLE_HEADER], (struct theme_style){ -1, 4, 0 }));
	cr_assert(style_eq(t.role[THEME_DIM], (struct theme_style){ 8, -1, 0 }));
}

Test(theme, bad_files_give_one_line_with_file_and_line, .init = tmp_setup, .fini = tmp_teardown)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "normal = red\nfoo = red\n", "x.theme:2: unknown role 'foo'" },
		{ "error = purple", "x.theme:1: bad colour or attribute 'purple'" },
		{ "error = 256", "x.theme:1: bad colour or attribute '256'" },
		{ "error = -1", "x.theme:1: bad colour or attribute '-1'" },
		{ "error red", "x.theme:1: missing '=' (ROLE = COLOURS)" },
		{ "error = red on", "x.theme:1: 'on' wants a colour" },
		{ "error = red on mauve", "x.theme:1: bad colour 'mauve'" },
		{ "error = red on blue on black",
		  "x.theme:1: 'on' must follow the foreground, before the attributes" },
		{ "error = bold red",
		  "x.theme:1: colour 'red' out of place (FG [on BG] [attributes])" },
		{ "error = red blue",
		  "x.theme:1: colour 'blue' out of place (FG [on BG] [attributes])" },
		{ "error =  # nothing", "x.theme:1: no colour or attribute after '='" },
		{ " = red", "x.theme:1: missing role before '='" },
		{ "# c\nerror = red\nerror = blue",
		  "x.theme:3: error set twice (first on line 2)" },
		{ "error = red\ninherit = default",
		  "x.theme:2: inherit must come before the roles" },
		{ "inherit = light\ninherit = light", "x.theme:2: inherit given twice" },
		{ "inherit =", "x.theme:1: inherit wants a theme name" },
		{ "inherit = ../up", "x.theme:1: bad theme name '../up'" },
		{ "inherit = a b", "x.theme:1: bad theme name 'a b'" },
		{ "inherit = nosuch", "x.theme:1: no theme named 'nosuch'" },
		{ "error = red\x01", "x.theme:1: control byte 0x01" },
		{ "\n\nerror = \x1b[31m", "x.theme:3: control byte 0x1b" },
		{ "er\xffror = red", "x.theme:1: unknown role 'er\\xffror'" },
	};
	struct theme t, before;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ior_err err = { 0 };

		theme_default(&t);
		before = t;
		cr_assert_lt(theme_parse(&t, cases[i].text, strlen(cases[i].text), "x.theme", &err),
			     0, "%s", cases[i].text);
		cr_assert_str_eq(err.msg, cases[i].msg);
		cr_assert(theme_eq(&t, &before), "a failed parse leaves the theme alone");
	}

	/* The longest line passes; one byte more does not. */
	{
		char line[THEME_LINE_MAX + 2];
		struct ior_err err = { 0 };

		memset(line, ' ', sizeof(line));
		memcpy(line, "error = red", 11);
		cr_assert_eq(theme_parse(&t, line, THEME_LINE_MAX, "x.theme", &err), 0, "%s",
			     err.msg);
		cr_assert_lt(theme_parse(&t, line, THEME_LINE_MAX + 1, "x.theme", &err), 0);
		cr_assert_str_eq(err.msg, "x.theme:1: line longer than 255 bytes");
	}
}

Test(theme, load_errors_leave_the_default, .init = tmp_setup, .fini = tmp_teardown)
{
	struct ior_err err = { 0 };
	struct theme t, def;
	char want[512];
	const char *path;

	theme_default(&def);
	path = user_theme("broken", "inherit = light\n\nerror = red on\n");
	cr_assert_eq(theme_load(&t, "broken", &err), -EINVAL);
	snprintf(want, sizeof(want), "%s:3: 'on' wants a colour", path);
	cr_assert_str_eq(err.msg, want);
	cr_assert(theme_eq(&t, &def));
	cr_assert_str_eq(t.name, "default");

	cr_assert_eq(theme_load(&t, path, &err), -EINVAL, "by path too");
	cr_assert_str_eq(err.msg, want);

	cr_assert_eq(theme_load(&t, "nosuch", &err), -ENOENT);
	snprintf(want, sizeof(want),
		 "no theme named 'nosuch' (not built in, no %s/ior/themes/nosuch.theme)", tmp_dir);
	cr_assert_str_eq(err.msg, want);
	cr_assert(theme_eq(&t, &def));

	cr_assert_eq(theme_load(&t, "/nonexistent/x.theme", &err), -ENOENT);
	cr_assert_str_eq(err.msg, "/nonexistent/x.theme: No such file or directory");
	cr_assert_eq(theme_load(&t, tmp_dir, &err), -EINVAL, "a directory");
	cr_assert_eq(theme_load(&t, "bad name!", &err), -EINVAL);
	cr_assert_str_eq(err.msg, "bad theme name 'bad name!'");
	cr_assert(theme_eq(&t, &def));
}

Test(theme, user_theme_overrides_builtin, .init = tmp_setup, .fini = tmp_teardown)
{
	struct ior_err err = { 0 };
	struct theme t, def, light;

	theme_default(&def);
	builtin_parse(&light, "light");
	cr_assert_eq(theme_load(&t, "light", &err), 0, "%s", err.msg);
	cr_assert(theme_eq(&t, &light));
	cr_assert_str_eq(t.name, "light");

	/* No inherit: roles left out come from the default, not from light. */
	user_theme("light", "error = 1 bold\n");
	cr_assert_eq(theme_load(&t, "light", &err), 0, "%s", err.msg);
	cr_assert_str_eq(t.name, "light");
	cr_assert(style_eq(t.role[THEME_ERROR], (struct theme_style){ 1, -1, THEME_A_BOLD }));
	cr_assert(style_eq(t.role[THEME_SELECTED], def.role[THEME_SELECTED]));

	/* XDG_CONFIG_HOME unset: ~/.config. */
	cr_assert_eq(unsetenv("XDG_CONFIG_HOME"), 0);
	cr_assert_eq(setenv("HOME", tmp_dir, 1), 0);
	{
		char dir[128];

		snprintf(dir, sizeof(dir), "%s/.config", tmp_dir);
		cr_assert_eq(symlink(".", dir), 0, "~/.config is the temp dir");
	}
	cr_assert_eq(theme_load(&t, "light", &err), 0, "%s", err.msg);
	cr_assert(style_eq(t.role[THEME_ERROR], (struct theme_style){ 1, -1, THEME_A_BOLD }));
}

Test(theme, inherit_and_loops, .init = tmp_setup, .fini = tmp_teardown)
{
	struct ior_err err = { 0 };
	struct theme t, light, def;
	char want[512];
	const char *path;

	builtin_parse(&light, "light");
	theme_default(&def);

	/* From a built-in, then from a user theme that inherits one. */
	user_theme("base", "inherit = light\nerror = 5\n");
	user_theme("child", "# mine\ninherit = base\nok = 6\n");
	cr_assert_eq(theme_load(&t, "child", &err), 0, "%s", err.msg);
	cr_assert_str_eq(t.name, "child");
	cr_assert(style_eq(t.role[THEME_ERROR], (struct theme_style){ 5, -1, 0 }));
	cr_assert(style_eq(t.role[THEME_OK], (struct theme_style){ 6, -1, 0 }));
	cr_assert(style_eq(t.role[THEME_SELECTED], light.role[THEME_SELECTED]));

	/* A user's default.theme extending the built-in default is no loop. */
	user_theme("default", "inherit = default\nerror = 2\n");
	cr_assert_eq(theme_load(&t, "default", &err), 0, "%s", err.msg);
	cr_assert(style_eq(t.role[THEME_ERROR], (struct theme_style){ 2, -1, 0 }));
	cr_assert(style_eq(t.role[THEME_SELECTED], def.role[THEME_SELECTED]));

	/* a -> b -> a. */
	user_theme("a", "inherit = b\n");
	path = user_theme("b", "\ninherit = a\n");
	cr_assert_eq(theme_load(&t, "a", &err), -ELOOP);
	snprintf(want, sizeof(want), "%s:2: inherit loop through 'a'", path);
	cr_assert_str_eq(err.msg, want);
	cr_assert(theme_eq(&t, &def));

	/* Itself. */
	path = user_theme("self", "inherit = self\n");
	cr_assert_eq(theme_load(&t, "self", &err), -ELOOP);
	snprintf(want, sizeof(want), "%s:1: inherit loop through 'self'", path);
	cr_assert_str_eq(err.msg, want);

	/* A long chain stops at THEME_DEPTH. */
	for (int i = 0; i < THEME_DEPTH + 2; i++) {
		char name[16], text[64];

		snprintf(name, sizeof(name), "c%d", i);
		snprintf(text, sizeof(text), "inherit = c%d\n", i + 1);
		user_theme(name, text);
	}
	cr_assert_eq(theme_load(&t, "c0", &err), -ELOOP);
	cr_assert(strstr(err.msg, "inherit goes more than 8 themes deep"), "%s", err.msg);
}

Test(theme, random_bytes_never_crash, .init = tmp_setup, .fini = tmp_teardown)
{
	static const char *const words[] = {
		"error",   "=",	    " ", "on", "red", "bright-", "255",	     "bold", "\n",   "#",
		"inherit", "light", "a", "\t", "\r",  "=",	 "selected", "999",  "\xff", "",
	};
	unsigned seed = 12345;
	char buf[1024];

	user_theme("a", "inherit = a\n");
	for (int i = 0; i < 20000; i++) {
		size_t len = (size_t)rand_r(&seed) % sizeof(buf), n = 0;
		struct ior_err err = { 0 };
		struct theme t;

		if (i % 2) {
			for (n = 0; n < len; n++)
				buf[n] = (char)rand_r(&seed);
		} else {
			while (n < len) {
				const char *w = words[(size_t)rand_r(&seed) %
						      (sizeof(words) / sizeof(words[0]))];
				size_t wn = strlen(w);

				if (n + wn > len)
					break;
				memcpy(buf + n, w, wn);
				n += wn;
			}
		}
		theme_default(&t);
		if (theme_parse(&t, buf, n, "r", &err) < 0) {
			cr_assert_eq(strncmp(err.msg, "r:", 2), 0, "%s", err.msg);
			for (const char *c = err.msg; *c; c++)
				cr_assert((unsigned char)*c >= 0x20 && *c != 0x7f,
					  "one printable line");
		}
		for (int r = 0; r < THEME_ROLE_COUNT; r++) {
			cr_assert(t.role[r].fg >= -1 && t.role[r].fg <= 255);
			cr_assert(t.role[r].bg >= -1 && t.role[r].bg <= 255);
		}
	}
}

Test(theme, monochrome_has_no_colour)
{
	struct theme t;

	builtin_parse(&t, "monochrome");
	for (int r = 0; r < THEME_ROLE_COUNT; r++)
		cr_assert(t.role[r].fg == -1 && t.role[r].bg == -1, "%s", theme_role_name(r));
	cr_assert_neq(t.role[THEME_ERROR].attrs, t.role[THEME_WARNING].attrs);
	cr_assert_neq(t.role[THEME_ERROR].attrs, t.role[THEME_SELECTED].attrs);
	cr_assert_neq(t.role[THEME_WARNING].attrs, t.role[THEME_SELECTED].attrs);
}

Test(theme, ansi16_keeps_to_the_palette)
{
	struct theme t;

	builtin_parse(&t, "ansi16");
	for (int r = 0; r < THEME_ROLE_COUNT; r++)
		cr_assert(t.role[r].fg <= 15 && t.role[r].bg <= 15, "%s", theme_role_name(r));
}

/* What a role looks like on a terminal of `colors` colours, as theme_apply
 * makes it (without the clash guard). */
static struct theme_style seen(struct theme_style s, int colors)
{
	struct theme_style out = { (short)theme_color_map(s.fg, colors),
				   (short)theme_color_map(s.bg, colors), s.attrs };

	if (colors == 8 && s.fg >= 0 && theme_color_map(s.fg, 16) >= 8)
		out.attrs |= THEME_A_BOLD;
	return out;
}

Test(theme, states_stay_distinct_at_every_colour_count)
{
	static const int roles[] = { THEME_ERROR, THEME_WARNING, THEME_SELECTED, THEME_OK,
				     THEME_NORMAL };
	static const int counts[] = { 256, 16, 8 };

	for (size_t i = 0; i < theme_builtins_len; i++) {
		struct theme t;

		builtin_parse(&t, theme_builtins[i].name);
		for (size_t c = 0; c < 3; c++)
			for (size_t a = 0; a < 5; a++)
				for (size_t b = 0; b < a; b++) {
					struct theme_style x = seen(t.role[roles[a]], counts[c]);
					struct theme_style y = seen(t.role[roles[b]], counts[c]);

					cr_assert(!style_eq(x, y),
						  "%s at %d colours: %s looks like %s",
						  theme_builtins[i].name, counts[c],
						  theme_role_name(roles[a]),
						  theme_role_name(roles[b]));
					cr_assert(x.fg != x.bg || x.fg < 0, "%s: %s invisible",
						  theme_builtins[i].name,
						  theme_role_name(roles[a]));
				}
	}
}

Test(theme, colour_map_256_16_8)
{
	cr_assert_eq(theme_color_map(-1, 256), -1);
	cr_assert_eq(theme_color_map(196, 256), 196);
	cr_assert_eq(theme_color_map(196, 4), -1, "no colour below 8");
	for (int c = 0; c < 16; c++) {
		cr_assert_eq(theme_color_map(c, 16), c);
		cr_assert_eq(theme_color_map(c, 8), c & 7);
	}
	/* Bright full-strength colours, dark ones, the deep blue of a selection. */
	cr_assert_eq(theme_color_map(196, 16), 9);
	cr_assert_eq(theme_color_map(160, 16), 1);
	cr_assert_eq(theme_color_map(21, 16), 12);
	cr_assert_eq(theme_color_map(26, 16), 4);
	cr_assert_eq(theme_color_map(18, 16), 4);
	cr_assert_eq(theme_color_map(81, 16), 14);
	cr_assert_eq(theme_color_map(214, 16), 11, "orange is yellow");
	cr_assert_eq(theme_color_map(202, 16), 9, "vermillion is red");
	cr_assert_eq(theme_color_map(114, 16), 2);
	cr_assert_eq(theme_color_map(201, 16), 13);
	/* Greys by lightness. */
	cr_assert_eq(theme_color_map(16, 16), 0);
	cr_assert_eq(theme_color_map(236, 16), 0);
	cr_assert_eq(theme_color_map(244, 16), 8);
	cr_assert_eq(theme_color_map(250, 16), 7);
	cr_assert_eq(theme_color_map(231, 16), 15);
	cr_assert_eq(theme_color_map(88, 88), theme_color_map(88, 16), "88 colours as 16");
	/* 8: the dark twin. */
	cr_assert_eq(theme_color_map(196, 8), 1);
	cr_assert_eq(theme_color_map(244, 8), 0);
	cr_assert_eq(theme_color_map(231, 8), 7);
	/* Direct colour: 0..7 the palette, the rest RGB. */
	cr_assert_eq(theme_color_map(3, 1 << 24), 3);
	cr_assert_eq(theme_color_map(196, 1 << 24), 0xff0000);
	cr_assert_eq(theme_color_map(244, 1 << 24), 0x808080);
	cr_assert_eq(theme_color_map(9, 1 << 24), 0xff0000);
	for (int c = 0; c < 256; c++) {
		cr_assert(theme_color_map(c, 16) >= 0 && theme_color_map(c, 16) < 16);
		cr_assert(theme_color_map(c, 8) >= 0 && theme_color_map(c, 8) < 8);
	}
}

/* A screen on /dev/null for terminal type term; the caller ends it. */
static SCREEN *screen_open(const char *term)
{
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	SCREEN *s;

	cr_assert(out && in);
	s = newterm(term, out, in);
	cr_assert_not_null(s, "newterm %s", term);
	if (has_colors())
		start_color();
	return s;
}

static void screen_close(SCREEN *s)
{
	endwin();
	delscreen(s);
}

static void pair_colours(attr_t a, int *fg, int *bg)
{
	cr_assert_eq(extended_pair_content(PAIR_NUMBER(a), fg, bg), OK);
}

Test(theme, apply_on_256_colours)
{
	SCREEN *s = screen_open("xterm-256color");
	struct theme t;
	int fg, bg;

	cr_assert_eq(COLORS, 256);
	theme_default(&t);
	theme_apply(&t, false);
	for (int r = 0; r < THEME_ROLE_COUNT; r++) {
		attr_t a = theme_attr(r);

		cr_assert_eq(PAIR_NUMBER(a), r + 1);
		pair_colours(a, &fg, &bg);
		cr_assert_eq(fg, t.role[r].fg, "%s", theme_role_name(r));
		cr_assert_eq(bg, t.role[r].bg, "%s", theme_role_name(r));
	}
	cr_assert(theme_attr(THEME_ERROR) & A_BOLD);
	cr_assert(theme_attr(THEME_SORT_COLUMN) & A_UNDERLINE);
	cr_assert_eq(theme_attr(THEME_ROLE_COUNT), A_NORMAL);
	cr_assert_eq(theme_attr(-1), A_NORMAL);
	screen_close(s);
}

Test(theme, apply_on_8_colours_maps_down_and_bolds_bright)
{
	SCREEN *s = screen_open("xterm");
	struct theme t;
	int fg, bg;

	cr_assert_eq(COLORS, 8);
	theme_default(&t); /* error = 203 bold, selected = 231 on 26 */
	theme_apply(&t, false);
	pair_colours(theme_attr(THEME_SELECTED), &fg, &bg);
	cr_assert_eq(fg, COLOR_WHITE);
	cr_assert_eq(bg, COLOR_BLUE);
	cr_assert(theme_attr(THEME_SELECTED) & A_BOLD, "bright white on 8 colours");
	pair_colours(theme_attr(THEME_ERROR), &fg, &bg);
	cr_assert_eq(fg, COLOR_RED);
	cr_assert_eq(bg, -1);

	/* Colours that merge on 8 keep the text legible. */
	{
		struct ior_err err = { 0 };

		cr_assert_eq(theme_parse(&t, "normal = 196 on 160", 19, "t", &err), 0);
	}
	theme_apply(&t, false);
	pair_colours(theme_attr(THEME_NORMAL), &fg, &bg);
	cr_assert_eq(bg, COLOR_RED);
	cr_assert_neq(fg, COLOR_RED);
	screen_close(s);
}

Test(theme, no_color_uses_attributes_only)
{
	SCREEN *s = screen_open("xterm-256color");
	struct theme t, mono;

	theme_default(&t);
	builtin_parse(&mono, "monochrome");
	theme_apply(&t, true);
	for (int r = 0; r < THEME_ROLE_COUNT; r++)
		cr_assert_eq(PAIR_NUMBER(theme_attr(r)), 0, "%s", theme_role_name(r));
	cr_assert_eq(theme_attr(THEME_ERROR), A_BOLD | A_UNDERLINE);
	cr_assert_eq(theme_attr(THEME_SELECTED), A_REVERSE);
	cr_assert_eq(theme_attr(THEME_WARNING), A_BOLD | A_REVERSE);
	cr_assert_eq(theme_attr(THEME_NORMAL), A_NORMAL);
	screen_close(s);

	/* A terminal without colours does the same. */
	s = screen_open("vt100");
	cr_assert(!has_colors());
	theme_apply(&t, false);
	cr_assert_eq(theme_attr(THEME_ERROR), A_BOLD | A_UNDERLINE);
	cr_assert_eq(theme_attr(THEME_SELECTED), A_REVERSE);
	screen_close(s);
}
