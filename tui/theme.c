/* Themes: parse the INI-like theme files (docs/themes.md), find them among
 * the user's and the built-in ones, and turn them into curses attributes. */
#include "tui/theme.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/escape.h"
#include "core/xalloc.h"

static const char *const role_names[THEME_ROLE_COUNT] = {
	[THEME_NORMAL] = "normal",
	[THEME_DIM] = "dim",
	[THEME_HEADER] = "header",
	[THEME_TAB] = "tab",
	[THEME_TAB_ACTIVE] = "tab_active",
	[THEME_TABLE_HEADER] = "table_header",
	[THEME_SORT_COLUMN] = "sort_column",
	[THEME_SELECTED] = "selected",
	[THEME_ERROR] = "error",
	[THEME_WARNING] = "warning",
	[THEME_OK] = "ok",
	[THEME_ACCENT] = "accent",
	[THEME_MATCH] = "match",
	[THEME_BAR] = "bar",
	[THEME_BAR_CURSOR] = "bar_cursor",
	[THEME_KEY] = "key",
	[THEME_KEY_LABEL] = "key_label",
	[THEME_GRAPH] = "graph",
	[THEME_FLAME_1] = "flame_1",
	[THEME_FLAME_2] = "flame_2",
	[THEME_FLAME_3] = "flame_3",
	[THEME_FLAME_4] = "flame_4",
	[THEME_PANEL] = "panel",
	[THEME_PANEL_BORDER] = "panel_border",
};

static const struct {
	const char *name;
	unsigned attr;
} attr_names[] = {
	{ "bold", THEME_A_BOLD },	{ "underline", THEME_A_UNDERLINE },
	{ "reverse", THEME_A_REVERSE }, { "dim", THEME_A_DIM },
	{ "italic", THEME_A_ITALIC },
};

/* Colours 0..7 by name; bright-NAME is NAME + 8. */
static const char *const color_names[8] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

/* Where a theme's text came from, for loop detection: "builtin/NAME.theme"
 * or the user file's path. */
struct chain {
	const char *ids[THEME_DEPTH + 1];
	int len;
};

static int parse_text(struct theme *t, const char *text, size_t len, const char *origin,
		      bool builtin, struct chain *chain, struct ior_err *err);

const char *theme_role_name(int role)
{
	if (role < 0 || role >= THEME_ROLE_COUNT)
		return NULL;
	return role_names[role];
}

static const struct theme_builtin *builtin_find(const char *name)
{
	for (size_t i = 0; i < theme_builtins_len; i++)
		if (strcmp(theme_builtins[i].name, name) == 0)
			return &theme_builtins[i];
	return NULL;
}

/* The base under the built-in default: plain text, with the selection and
 * the current tab still visible should default.theme ever fail to parse. */
static void theme_base(struct theme *t)
{
	memset(t, 0, sizeof(*t));
	for (int r = 0; r < THEME_ROLE_COUNT; r++)
		t->role[r] = (struct theme_style){ .fg = -1, .bg = -1 };
	t->role[THEME_SELECTED].attrs = THEME_A_REVERSE;
	t->role[THEME_TAB_ACTIVE].attrs = THEME_A_REVERSE;
	t->role[THEME_BAR_CURSOR].attrs = THEME_A_REVERSE;
	t->role[THEME_ERROR].attrs = THEME_A_BOLD | THEME_A_UNDERLINE;
	t->role[THEME_WARNING].attrs = THEME_A_BOLD | THEME_A_REVERSE;
}

/* Parse built-in NAME over the base; the unit tests keep every built-in
 * free of errors, so failure leaves the base. */
static void builtin_load(struct theme *t, const char *name)
{
	const struct theme_builtin *b = builtin_find(name);
	struct chain chain = { .len = 0 };
	char origin[96];

	theme_base(t);
	snprintf(t->name, sizeof(t->name), "%s", name);
	if (!b)
		return;
	snprintf(origin, sizeof(origin), "builtin/%s.theme", name);
	chain.ids[chain.len++] = origin;
	parse_text(t, b->text, b->len, origin, true, &chain, NULL);
}

void theme_default(struct theme *t)
{
	builtin_load(t, "default");
}

/* A theme name: letters, digits, '-', '_', '.'; not a path. */
static bool name_valid(const char *s, size_t n)
{
	if (n == 0 || n >= sizeof(((struct theme *)0)->name) || s[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
			return false;
	return true;
}

/* $XDG_CONFIG_HOME/ior/themes/NAME.theme, ~/.config/... when unset or not
 * absolute (XDG Base Directory spec); false when neither is known. */
static bool user_path(const char *name, char *path, size_t size)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	int n;

	if (xdg && xdg[0] == '/')
		n = snprintf(path, size, "%s/ior/themes/%s.theme", xdg, name);
	else if (home && home[0] == '/')
		n = snprintf(path, size, "%s/.config/ior/themes/%s.theme", home, name);
	else
		return false;
	return n > 0 && (size_t)n < size;
}

/* Read a whole regular file of at most THEME_FILE_MAX bytes into *text
 * (caller frees; NUL-terminated). O_NONBLOCK so that a FIFO cannot hang us. */
static int read_file(const char *path, char **text, size_t *len, struct ior_err *err)
{
	char *buf = NULL;
	struct stat st;
	size_t got = 0;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return ior_err_set(err, -errno, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0) {
		rc = ior_err_set(err, -errno, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = ior_err_set(err, -EINVAL, "%s: not a regular file", path);
		goto out;
	}
	buf = xmalloc(THEME_FILE_MAX + 2);
	for (;;) {
		ssize_t n = read(fd, buf + got, THEME_FILE_MAX + 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = ior_err_set(err, -errno, "%s: %s", path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		got += (size_t)n;
		if (got > THEME_FILE_MAX) {
			rc = ior_err_set(err, -EFBIG, "%s: larger than %d bytes", path,
					 THEME_FILE_MAX);
			goto out;
		}
	}
	buf[got] = '\0';
	*text = buf;
	*len = got;
	buf = NULL;
	rc = 0;
out:
	free(buf);
	close(fd);
	return rc;
}

static bool in_chain(const struct chain *chain, const char *id)
{
	for (int i = 0; i < chain->len; i++)
		if (strcmp(chain->ids[i], id) == 0)
			return true;
	return false;
}

/* Load theme NAME into t for `inherit = NAME` at origin:line: the user's
 * NAME.theme unless we are in a built-in or that file is already being
 * read (so a user's default.theme may inherit the built-in default), then
 * the built-in NAME unless it is already being read. */
static int inherit_load(struct theme *t, const char *name, bool builtin, struct chain *chain,
			const char *origin, unsigned line, struct ior_err *err)
{
	const struct theme_builtin *b;
	char path[PATH_MAX], id[96];
	bool loop = false;
	size_t len;
	char *text;
	int rc;

	if (chain->len >= THEME_DEPTH)
		return ior_err_set(err, -ELOOP, "%s:%u: inherit goes more than %d themes deep",
				   origin, line, THEME_DEPTH);
	if (!builtin && user_path(name, path, sizeof(path))) {
		if (in_chain(chain, path)) {
			loop = true;
		} else {
			rc = read_file(path, &text, &len, err);
			if (rc == 0) {
				chain->ids[chain->len++] = path;
				rc = parse_text(t, text, len, path, false, chain, err);
				chain->len--;
				free(text);
				return rc;
			}
			if (rc != -ENOENT)
				return rc;
		}
	}
	b = builtin_find(name);
	snprintf(id, sizeof(id), "builtin/%s.theme", name);
	if (b && in_chain(chain, id))
		loop = true;
	else if (b) {
		chain->ids[chain->len++] = id;
		rc = parse_text(t, b->text, b->len, id, true, chain, err);
		chain->len--;
		return rc;
	}
	if (loop)
		return ior_err_set(err, -ELOOP, "%s:%u: inherit loop through '%s'", origin, line,
				   name);
	return ior_err_set(err, -ENOENT, "%s:%u: no theme named '%s'", origin, line, name);
}

/* A token for an error message: escaped, cut short. */
static const char *shown(const char *s, size_t n, char *out, size_t size)
{
	return escape_bytes(s, n, out, size);
}

static bool word_eq(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && strncasecmp(s, word, n) == 0;
}

/* default, black..white, bright-black..bright-white, 0..255 -> -1..255;
 * -2 when the word is no colour. */
static int color_parse(const char *s, size_t n)
{
	int v = 0;

	if (word_eq(s, n, "default"))
		return -1;
	if (n > 0 && n <= 3 && isdigit((unsigned char)s[0])) {
		for (size_t i = 0; i < n; i++) {
			if (!isdigit((unsigned char)s[i]))
				return -2;
			v = v * 10 + (s[i] - '0');
		}
		return v <= 255 ? v : -2;
	}
	for (int c = 0; c < 8; c++) {
		if (word_eq(s, n, color_names[c]))
			return c;
		if (n > 7 && strncasecmp(s, "bright-", 7) == 0 &&
		    word_eq(s + 7, n - 7, color_names[c]))
			return c + 8;
	}
	return -2;
}

static int role_find(const char *s, size_t n)
{
	char key[32];

	if (n >= sizeof(key))
		return -1;
	for (size_t i = 0; i < n; i++)
		key[i] = s[i] == '-' ? '_' : (char)tolower((unsigned char)s[i]);
	key[n] = '\0';
	for (int r = 0; r < THEME_ROLE_COUNT; r++)
		if (strcmp(role_names[r], key) == 0)
			return r;
	return -1;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Next whitespace-separated word of [*p, end): sets *w and *wn; false at end. */
static bool next_word(const char **p, const char *end, const char **w, size_t *wn)
{
	const char *s = *p;

	while (s < end && is_space(*s))
		s++;
	if (s == end)
		return false;
	*w = s;
	while (s < end && !is_space(*s))
		s++;
	*wn = (size_t)(s - *w);
	*p = s;
	return true;
}

/* VALUE of `ROLE = VALUE`: [FG] [on BG] [attributes...], in that order. */
static int style_parse(struct theme_style *style, const char *s, const char *end,
		       const char *origin, unsigned line, struct ior_err *err)
{
	struct theme_style out = { .fg = -1, .bg = -1, .attrs = 0 };
	bool seen_fg = false, seen_bg = false, seen_attr = false, any = false;
	char buf[48];
	const char *w;
	size_t wn;
	int c;

	while (next_word(&s, end, &w, &wn)) {
		unsigned attr = 0;

		any = true;
		for (size_t i = 0; i < sizeof(attr_names) / sizeof(attr_names[0]); i++)
			if (word_eq(w, wn, attr_names[i].name))
				attr = attr_names[i].attr;
		if (attr) {
			out.attrs |= attr;
			seen_attr = true;
			continue;
		}
		if (word_eq(w, wn, "on")) {
			if (seen_bg || seen_attr)
				return ior_err_set(err, -EINVAL,
						   "%s:%u: 'on' must follow the foreground, "
						   "before the attributes",
						   origin, line);
			if (!next_word(&s, end, &w, &wn))
				return ior_err_set(err, -EINVAL, "%s:%u: 'on' wants a colour",
						   origin, line);
			c = color_parse(w, wn);
			if (c == -2)
				return ior_err_set(err, -EINVAL, "%s:%u: bad colour '%s'", origin,
						   line, shown(w, wn, buf, sizeof(buf)));
			out.bg = (short)c;
			seen_bg = true;
			continue;
		}
		c = color_parse(w, wn);
		if (c == -2)
			return ior_err_set(err, -EINVAL, "%s:%u: bad colour or attribute '%s'",
					   origin, line, shown(w, wn, buf, sizeof(buf)));
		if (seen_fg || seen_bg || seen_attr)
			return ior_err_set(err, -EINVAL,
					   "%s:%u: colour '%s' out of place (FG [on BG] "
					   "[attributes])",
					   origin, line, shown(w, wn, buf, sizeof(buf)));
		out.fg = (short)c;
		seen_fg = true;
	}
	if (!any)
		return ior_err_set(err, -EINVAL, "%s:%u: no colour or attribute after '='", origin,
				   line);
	*style = out;
	return 0;
}

static int parse_text(struct theme *t, const char *text, size_t len, const char *origin,
		      bool builtin, struct chain *chain, struct ior_err *err)
{
	unsigned set_on[THEME_ROLE_COUNT] = { 0 };
	const char *p = text, *end = text + len;
	bool any_role = false, inherited = false;
	struct theme work = *t;
	unsigned line = 0;
	char buf[48];
	int rc;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *s = p, *e = eol ? eol : end, *eq, *k, *ke, *w;
		size_t wn;
		int role;

		p = eol ? eol + 1 : end;
		line++;
		if (e > s && e[-1] == '\r')
			e--;
		if ((size_t)(e - s) > THEME_LINE_MAX)
			return ior_err_set(err, -EINVAL, "%s:%u: line longer than %d bytes", origin,
					   line, THEME_LINE_MAX);
		for (const char *q = s; q < e; q++) {
			unsigned char byte = (unsigned char)*q;

			if ((byte < 0x20 && byte != '\t') || byte == 0x7f)
				return ior_err_set(err, -EINVAL, "%s:%u: control byte 0x%02x",
						   origin, line, byte);
		}
		/* '#' to the end of the line is a comment; no word contains one. */
		eq = memchr(s, '#', (size_t)(e - s));
		if (eq)
			e = eq;
		while (s < e && is_space(*s))
			s++;
		while (e > s && is_space(e[-1]))
			e--;
		if (s == e)
			continue;
		eq = memchr(s, '=', (size_t)(e - s));
		if (!eq)
			return ior_err_set(err, -EINVAL, "%s:%u: missing '=' (ROLE = COLOURS)",
					   origin, line);
		k = s;
		ke = eq;
		while (ke > k && is_space(ke[-1]))
			ke--;
		if (k == ke)
			return ior_err_set(err, -EINVAL, "%s:%u: missing role before '='", origin,
					   line);
		if (word_eq(k, (size_t)(ke - k), "inherit")) {
			const char *v = eq + 1;
			char name[sizeof(t->name)];

			if (inherited)
				return ior_err_set(err, -EINVAL, "%s:%u: inherit given twice",
						   origin, line);
			if (any_role)
				return ior_err_set(err, -EINVAL,
						   "%s:%u: inherit must come before the roles",
						   origin, line);
			if (!next_word(&v, e, &w, &wn))
				return ior_err_set(err, -EINVAL,
						   "%s:%u: inherit wants a theme name", origin,
						   line);
			if (!name_valid(w, wn) || v != e)
				return ior_err_set(err, -EINVAL, "%s:%u: bad theme name '%s'",
						   origin, line,
						   shown(w, (size_t)(e - w), buf, sizeof(buf)));
			memcpy(name, w, wn);
			name[wn] = '\0';
			rc = inherit_load(&work, name, builtin, chain, origin, line, err);
			if (rc < 0)
				return rc;
			inherited = true;
			continue;
		}
		role = role_find(k, (size_t)(ke - k));
		if (role < 0)
			return ior_err_set(err, -EINVAL, "%s:%u: unknown role '%s'", origin, line,
					   shown(k, (size_t)(ke - k), buf, sizeof(buf)));
		if (set_on[role])
			return ior_err_set(err, -EINVAL, "%s:%u: %s set twice (first on line %u)",
					   origin, line, role_names[role], set_on[role]);
		rc = style_parse(&work.role[role], eq + 1, e, origin, line, err);
		if (rc < 0)
			return rc;
		set_on[role] = line;
		any_role = true;
	}
	memcpy(work.name, t->name, sizeof(work.name));
	*t = work;
	return 0;
}

int theme_parse(struct theme *t, const char *text, size_t len, const char *origin,
		struct ior_err *err)
{
	struct chain chain = { .len = 0 };

	if (!text)
		len = 0;
	chain.ids[chain.len++] = origin;
	return parse_text(t, text ? text : "", len, origin, false, &chain, err);
}

static bool is_file(const char *s)
{
	size_t n = strlen(s);

	return strchr(s, '/') || (n >= 6 && strcmp(s + n - 6, ".theme") == 0);
}

int theme_load(struct theme *t, const char *name_or_file, struct ior_err *err)
{
	const char *arg = name_or_file ? name_or_file : "default";
	char path[PATH_MAX], buf[48];
	struct chain chain = { .len = 0 };
	const struct theme_builtin *b;
	const char *base;
	size_t len;
	char *text;
	int rc;

	theme_default(t);
	if (is_file(arg)) {
		snprintf(path, sizeof(path), "%s", arg);
	} else {
		if (!name_valid(arg, strlen(arg)))
			return ior_err_set(err, -EINVAL, "bad theme name '%s'",
					   shown(arg, strlen(arg), buf, sizeof(buf)));
		if (!user_path(arg, path, sizeof(path)))
			path[0] = '\0';
		if (!path[0] || access(path, F_OK) < 0) {
			b = builtin_find(arg);
			if (!b)
				return ior_err_set(err, -ENOENT,
						   "no theme named '%s' (not built in%s%s)", arg,
						   path[0] ? ", no " : "", path);
			builtin_load(t, arg);
			return 0;
		}
	}
	rc = read_file(path, &text, &len, err);
	if (rc < 0)
		return rc;
	chain.ids[chain.len++] = path;
	rc = parse_text(t, text, len, path, false, &chain, err);
	free(text);
	if (rc < 0) {
		theme_default(t);
		return rc;
	}
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	len = strlen(base);
	if (len > 6 && strcmp(base + len - 6, ".theme") == 0)
		len -= 6;
	snprintf(t->name, sizeof(t->name), "%.*s", (int)len, base);
	return 0;
}

/* xterm's default palette for 0..15, then the 6x6x6 cube and grey ramp. */
static void color_rgb(int c, int *r, int *g, int *b)
{
	static const unsigned char base[16][3] = {
		{ 0, 0, 0 },	   { 205, 0, 0 },   { 0, 205, 0 },   { 205, 205, 0 },
		{ 0, 0, 238 },	   { 205, 0, 205 }, { 0, 205, 205 }, { 229, 229, 229 },
		{ 127, 127, 127 }, { 255, 0, 0 },   { 0, 255, 0 },   { 255, 255, 0 },
		{ 92, 92, 255 },   { 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 255 },
	};
	static const unsigned char level[6] = { 0, 95, 135, 175, 215, 255 };

	if (c < 16) {
		*r = base[c][0];
		*g = base[c][1];
		*b = base[c][2];
	} else if (c < 232) {
		c -= 16;
		*r = level[c / 36];
		*g = level[c / 6 % 6];
		*b = level[c % 6];
	} else {
		*r = *g = *b = 8 + 10 * (c - 232);
	}
}

/* 256 -> 16 by what the colour is rather than by distance, so that a dark
 * blue stays blue, not black: greys by lightness; otherwise the channels
 * above the midpoint of the strongest and weakest name the colour, and a
 * strongest channel at full strength makes it bright. */
static int color_to16(int c)
{
	int r, g, b, hi, lo, mid;

	if (c < 16)
		return c;
	color_rgb(c, &r, &g, &b);
	hi = r > g ? (r > b ? r : b) : (g > b ? g : b);
	lo = r < g ? (r < b ? r : b) : (g < b ? g : b);
	if (hi - lo < 40) {
		int light = (r + g + b) / 3;

		return light < 50 ? 0 : light < 145 ? 8 : light < 215 ? 7 : 15;
	}
	mid = (hi + lo) / 2;
	return (r > mid ? 1 : 0) | (g > mid ? 2 : 0) | (b > mid ? 4 : 0) | (hi == 255 ? 8 : 0);
}

int theme_color_map(int color, int colors)
{
	int r, g, b;

	if (color < 0 || color > 255 || colors < 8)
		return -1;
	if (colors > 256) {
		/* Direct colour (xterm-direct): 0..7 are the palette, the rest RGB. */
		if (color < 8)
			return color;
		color_rgb(color, &r, &g, &b);
		return r << 16 | g << 8 | b;
	}
	if (colors >= 256)
		return color;
	if (colors >= 16)
		return color_to16(color);
	return color_to16(color) & 7;
}

/* Which 0..15 colours want dark text on them. */
static bool color_light(int c)
{
	return c == 2 || c == 3 || c == 6 || c == 7 || c == 10 || c == 11 || c == 14 || c == 15;
}

static attr_t curses_attrs(unsigned attrs)
{
	attr_t a = A_NORMAL;

	if (attrs & THEME_A_BOLD)
		a |= A_BOLD;
	if (attrs & THEME_A_UNDERLINE)
		a |= A_UNDERLINE;
	if (attrs & THEME_A_REVERSE)
		a |= A_REVERSE;
	if (attrs & THEME_A_DIM)
		a |= A_DIM;
#ifdef A_ITALIC
	if (attrs & THEME_A_ITALIC)
		a |= A_ITALIC;
#endif
	return a;
}

/* The curses attributes per role. Module state because curses' colour pairs
 * are: one theme is applied at a time, by the UI thread. */
static attr_t role_attrs[THEME_ROLE_COUNT];

void theme_apply(const struct theme *t, bool no_color)
{
	int colors = has_colors() ? COLORS : 0;
	bool color = !no_color && colors >= 8 && COLOR_PAIRS > 1;
	bool defaults = color && use_default_colors() == OK;
	struct theme mono;

	if (!color)
		builtin_load(&mono, "monochrome");
	for (int r = 0; r < THEME_ROLE_COUNT; r++) {
		const struct theme_style *s = &t->role[r];
		attr_t a = curses_attrs(s->attrs);
		int fg, bg;

		if (!color) {
			/* Meaning carried by colour falls back on monochrome's. */
			if (s->fg >= 0 || s->bg >= 0)
				a = curses_attrs(mono.role[r].attrs);
			role_attrs[r] = a;
			continue;
		}
		fg = theme_color_map(s->fg, colors);
		bg = theme_color_map(s->bg, colors);
		/* 8 colours: a bright foreground is its dark twin in bold, which
		 * most terminals show bright (the Linux console always). */
		if (colors < 16 && s->fg >= 0 && color_to16(s->fg) >= 8)
			a |= A_BOLD;
		if (!defaults) {
			fg = fg < 0 ? COLOR_WHITE : fg;
			bg = bg < 0 ? COLOR_BLACK : bg;
		}
		/* Two colours that fewer colours merged: keep the text legible. */
		if (fg == bg && fg >= 0 && s->fg != s->bg)
			fg = colors <= 256 && color_light(fg) ? COLOR_BLACK : COLOR_WHITE;
		if (r + 1 < COLOR_PAIRS) {
#ifdef NCURSES_EXT_COLORS
			init_extended_pair(r + 1, fg, bg);
#else
			init_pair((short)(r + 1), (short)fg, (short)bg);
#endif
			a |= COLOR_PAIR(r + 1);
		}
		role_attrs[r] = a;
	}
}

attr_t theme_attr(int role)
{
	if (role < 0 || role >= THEME_ROLE_COUNT)
		return A_NORMAL;
	return role_attrs[role];
}
