/* Traced strings made safe and cut to a number of display columns; bars
 * and sparklines in eighth blocks or ASCII. */
#include "tui/text.h"

#include <ctype.h>
#include <langinfo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "core/escape.h"
#include "core/xalloc.h"

/* The one process-wide switch: set once at start-up by the UI thread. */
static bool ascii_mode;

void text_init(void)
{
	const char *codeset = nl_langinfo(CODESET);

	ascii_mode = !(codeset && (!strcasecmp(codeset, "UTF-8") || !strcasecmp(codeset, "UTF8")));
}

void text_set_ascii(bool ascii)
{
	ascii_mode = ascii;
}

bool text_is_ascii(void)
{
	return ascii_mode;
}

/* Decode the UTF-8 sequence at s into *cp; returns its length, or 0 when it
 * is not valid (then the caller treats one byte on its own). */
static size_t utf8_decode(const unsigned char *s, unsigned int *cp)
{
	size_t n;
	unsigned int c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0)
		n = 2, c = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, c = s[0] & 0x0f;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 4, c = s[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	*cp = c;
	return n;
}

/* Code points that reorder or break what surrounds them on a terminal (the
 * "Trojan Source" controls, CVE-2021-42574) and line separators. */
static bool dangerous(unsigned int cp)
{
	return cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/* One thing that is cut as a whole: an escape, or a character with its
 * combining marks. */
struct unit {
	size_t off; /* into the safe string */
	size_t len; /* bytes */
	int width;  /* columns */
};

struct safe {
	char *s; /* the safe string, NUL-terminated */
	size_t len;
	struct unit *units;
	size_t n;
	int width; /* of all units */
};

static void safe_push(struct safe *sf, const char *bytes, size_t len, int width, bool glue)
{
	memcpy(sf->s + sf->len, bytes, len);
	if (glue && sf->n) {
		sf->units[sf->n - 1].len += len;
	} else {
		sf->units[sf->n].off = sf->len;
		sf->units[sf->n].len = len;
		sf->units[sf->n].width = width;
		sf->n++;
	}
	sf->len += len;
	sf->width += width;
}

/* The length of the escape at s (\n \t \r \\ \xHH \uHHHH \UHHHHHHHH, as
 * escape_bytes and safe_init write them), or 0. */
static size_t escape_len(const char *s)
{
	size_t digits;

	if (s[0] != '\\' || !s[1])
		return 0;
	if (strchr("ntr\\", s[1]))
		return 2;
	digits = s[1] == 'x' ? 2 : s[1] == 'u' ? 4 : s[1] == 'U' ? 8 : 0;
	for (size_t i = 0; i < digits; i++)
		if (!isxdigit((unsigned char)s[2 + i]))
			return 0;
	return digits ? 2 + digits : 0;
}

/* Split s into units, escaping it first when escape is set (raw traced
 * bytes); free with safe_fini. Already-escaped text passes through, but
 * anything unsafe left in it is escaped all the same. */
static void safe_init(struct safe *sf, const char *s, bool escape)
{
	size_t raw_len = strlen(s);
	/* escape_bytes writes at most 4 bytes per input byte and wants 4 spare;
	 * converting its output grows it at most 4 times more (a byte of it as
	 * \xNN in ASCII mode; a 2-byte code point as \u061c). */
	char *esc = NULL;
	bool last_is_char = false;

	if (escape) {
		size_t esc_size = 4 * raw_len + 5;

		esc = xmalloc(esc_size);
		escape_bytes(s, raw_len, esc, esc_size);
		s = esc;
	}
	size_t esc_len = strlen(s);
	sf->s = xmalloc(4 * esc_len + 1);
	sf->units = xmalloc((esc_len + 1) * sizeof(*sf->units));
	sf->len = sf->n = 0;
	sf->width = 0;

	for (size_t i = 0; i < esc_len;) {
		const unsigned char *u = (const unsigned char *)s + i;
		unsigned int cp;
		size_t n = escape_len(s + i);
		char tmp[16];

		if (n) {
			safe_push(sf, s + i, n, (int)n, false);
			last_is_char = false;
			i += n;
			continue;
		}
		n = utf8_decode(u, &cp);
		if (n == 0 || (n == 1 && (cp < 0x20 || cp == 0x7f))) {
			/* Invalid or a control: escape_bytes let none through,
			 * but text given as safe may hold them. */
			snprintf(tmp, sizeof(tmp), "\\x%02x", u[0]);
			safe_push(sf, tmp, 4, 4, false);
			last_is_char = false;
			i++;
			continue;
		}
		if (n == 1) {
			safe_push(sf, s + i, 1, 1, false);
			last_is_char = true;
			i++;
			continue;
		}
		int w = ascii_mode || dangerous(cp) ? -1 : wcwidth((wchar_t)cp);
		if (ascii_mode) {
			for (size_t k = 0; k < n; k++) {
				snprintf(tmp, sizeof(tmp), "\\x%02x", u[k]);
				safe_push(sf, tmp, 4, 4, false);
			}
			last_is_char = false;
		} else if (w < 0 || (w == 0 && !last_is_char)) {
			/* Unprintable here, or a combining mark with no character
			 * of ours to sit on (it would join the cell before). */
			int len =
				snprintf(tmp, sizeof(tmp), cp > 0xffff ? "\\U%08x" : "\\u%04x", cp);
			safe_push(sf, tmp, (size_t)len, len, false);
			last_is_char = false;
		} else {
			safe_push(sf, s + i, n, w, w == 0);
			last_is_char = true;
		}
		i += n;
	}
	sf->s[sf->len] = '\0';
	free(esc);
}

static void safe_fini(struct safe *sf)
{
	free(sf->s);
	free(sf->units);
}

/* Units [from, to) as a width and a byte count. */
static void span(const struct safe *sf, size_t from, size_t to, int *width, size_t *bytes)
{
	*width = 0;
	*bytes = 0;
	for (size_t i = from; i < to; i++) {
		*width += sf->units[i].width;
		*bytes += sf->units[i].len;
	}
}

/* How many units from the start fit in width and bytes. */
static size_t fit_head(const struct safe *sf, size_t limit, int width, size_t bytes)
{
	size_t h = 0;

	while (h < limit && sf->units[h].width <= width && sf->units[h].len <= bytes) {
		width -= sf->units[h].width;
		bytes -= sf->units[h].len;
		h++;
	}
	return h;
}

/* The first unit of the longest tail ending at the end that fits. */
static size_t fit_tail(const struct safe *sf, size_t limit, int width, size_t bytes)
{
	size_t t = sf->n;

	while (t > limit && sf->units[t - 1].width <= width && sf->units[t - 1].len <= bytes) {
		width -= sf->units[t - 1].width;
		bytes -= sf->units[t - 1].len;
		t--;
	}
	return t;
}

/* The unit where a path's last component starts (its '/'), or n. */
static size_t name_start(const struct safe *sf)
{
	/* A trailing '/' belongs to the last component: "/a/b/" keeps "/b/". */
	for (size_t i = sf->n > 1 ? sf->n - 1 : 0; i-- > 0;) {
		const struct unit *u = &sf->units[i];

		if (u->len == 1 && sf->s[u->off] == '/')
			return i;
	}
	return sf->n;
}

static int fit(char *out, size_t size, const char *raw, int cols, enum text_cut cut, bool escape)
{
	const char *ell = ascii_mode ? "..." : "\u2026";
	int ell_width = ascii_mode ? 3 : 1;
	size_t ell_len = strlen(ell);
	struct safe sf;
	size_t h, t;
	int width, head_width, tail_width;
	size_t head_bytes, tail_bytes;

	if (!size)
		return 0;
	out[0] = '\0';
	if (cols <= 0)
		return 0;
	safe_init(&sf, raw ? raw : "", escape);
	if (sf.width <= cols && sf.len < size) {
		memcpy(out, sf.s, sf.len + 1);
		width = sf.width;
		goto out;
	}
	if (cols < ell_width || size - 1 < ell_len) {
		/* Room for part of the ellipsis at most: ASCII dots. */
		size_t dots = (size_t)cols < size - 1 ? (size_t)cols : size - 1;

		dots = dots < 3 ? dots : 3;
		memset(out, '.', dots);
		out[dots] = '\0';
		width = (int)dots;
		goto out;
	}

	int avail = cols - ell_width;
	size_t avail_bytes = size - 1 - ell_len;

	if (cut == TEXT_CUT_END) {
		h = fit_head(&sf, sf.n, avail, avail_bytes);
		t = sf.n;
	} else {
		size_t name = name_start(&sf);

		span(&sf, name, sf.n, &tail_width, &tail_bytes);
		if (name == sf.n) {
			/* No path: keep both ends, the start first. */
			h = fit_head(&sf, sf.n, (avail + 1) / 2, avail_bytes);
			span(&sf, 0, h, &head_width, &head_bytes);
			t = fit_tail(&sf, h, avail - head_width, avail_bytes - head_bytes);
		} else if (tail_width <= avail && tail_bytes <= avail_bytes) {
			/* The whole name, and as much of the start as fits. */
			t = name;
			h = fit_head(&sf, name, avail - tail_width, avail_bytes - tail_bytes);
		} else {
			/* Not even the name: its end. */
			h = 0;
			t = fit_tail(&sf, 0, avail, avail_bytes);
		}
	}
	span(&sf, 0, h, &head_width, &head_bytes);
	span(&sf, t, sf.n, &tail_width, &tail_bytes);
	memcpy(out, sf.s, head_bytes);
	memcpy(out + head_bytes, ell, ell_len);
	memcpy(out + head_bytes + ell_len, sf.s + (t < sf.n ? sf.units[t].off : sf.len),
	       tail_bytes);
	out[head_bytes + ell_len + tail_bytes] = '\0';
	width = head_width + ell_width + tail_width;
out:
	safe_fini(&sf);
	return width;
}

int text_fit(char *out, size_t size, const char *raw, int cols, enum text_cut cut)
{
	return fit(out, size, raw, cols, cut, true);
}

int text_fit_safe(char *out, size_t size, const char *safe, int cols, enum text_cut cut)
{
	return fit(out, size, safe, cols, cut, false);
}

int text_width(const char *utf8)
{
	const unsigned char *u = (const unsigned char *)utf8;
	int width = 0;

	while (*u) {
		unsigned int cp;
		size_t n = utf8_decode(u, &cp);

		if (n == 0) {
			width++;
			u++;
			continue;
		}
		int w = n == 1 ? 1 : wcwidth((wchar_t)cp);

		width += w < 0 ? 1 : w;
		u += n;
	}
	return width;
}

/* Eighth blocks, thinnest first: U+258F down to U+2588. */
static const char *const eighths[8] = {
	"\u258f", "\u258e", "\u258d", "\u258c", "\u258b", "\u258a", "\u2589", "\u2588",
};

int text_bar(char *out, size_t size, double fraction, int cols)
{
	size_t pos = 0;
	int width = 0;

	if (!size)
		return 0;
	if (!(fraction > 0) || cols <= 0) { /* also NaN */
		out[0] = '\0';
		return 0;
	}
	if (fraction > 1)
		fraction = 1;
	if (ascii_mode) {
		long n = lround(fraction * cols);

		n = n < 1 ? 1 : n;
		while (width < n && pos + 1 < size) {
			out[pos++] = '#';
			width++;
		}
		out[pos] = '\0';
		return width;
	}
	long marks = lround(fraction * cols * 8);

	marks = marks < 1 ? 1 : marks;
	while (marks > 0 && pos + 3 < size) {
		int part = marks >= 8 ? 8 : (int)marks;

		memcpy(out + pos, eighths[part - 1], 3);
		pos += 3;
		marks -= part;
		width++;
	}
	out[pos] = '\0';
	return width;
}

void text_spark(char *out, size_t size, const uint64_t *vals, size_t n)
{
	static const char ascii_levels[] = " .:-=+*#";
	uint64_t max = 0;
	size_t pos = 0, each = ascii_mode ? 1 : 3;

	if (!size)
		return;
	for (size_t i = 0; i < n; i++)
		max = vals[i] > max ? vals[i] : max;
	for (size_t i = 0; i < n && pos + each < size; i++) {
		int level = 0;

		if (vals[i]) {
			level = (int)lround((double)vals[i] / (double)max * 7);
			level = level < 1 ? 1 : level;
		}
		if (ascii_mode) {
			out[pos++] = ascii_levels[level];
		} else {
			/* U+2581 + level: E2 96 81..88. */
			out[pos++] = '\xe2';
			out[pos++] = '\x96';
			out[pos++] = (char)(0x81 + level);
		}
	}
	out[pos] = '\0';
}
