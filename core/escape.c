/* Escaping of traced bytes for display. */
#include "core/escape.h"

#include <stdio.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t avail)
{
	size_t n;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0)
		n = 2, cp = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, cp = s[0] & 0x0f;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n > avail)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates, beyond U+10FFFF, and C1 controls. */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff || (cp >= 0x80 && cp < 0xa0))
		return 0;
	return n;
}

const char *escape_bytes(const char *s, size_t len, char *out, size_t size)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t pos = 0, i = 0;

	if (!size)
		return out;
	while (i < len) {
		char tmp[8];
		size_t n = utf8_len(u + i, len - i), tlen;

		if (n == 1 && (u[i] < 0x20 || u[i] == 0x7f || u[i] == '\\')) {
			switch (u[i]) {
			case '\n':
				memcpy(tmp, "\\n", 3);
				break;
			case '\t':
				memcpy(tmp, "\\t", 3);
				break;
			case '\r':
				memcpy(tmp, "\\r", 3);
				break;
			case '\\':
				memcpy(tmp, "\\\\", 3);
				break;
			default:
				snprintf(tmp, sizeof(tmp), "\\x%02x", u[i]);
			}
			tlen = strlen(tmp);
		} else if (n == 0) {
			snprintf(tmp, sizeof(tmp), "\\x%02x", u[i]);
			tlen = 4;
			n = 1;
		} else {
			memcpy(tmp, s + i, n);
			tlen = n;
		}
		if (pos + tlen + 4 > size) {
			if (size >= 4) {
				pos = pos + 4 > size ? size - 4 : pos;
				memcpy(out + pos, "...", 3);
				pos += 3;
			}
			break;
		}
		memcpy(out + pos, tmp, tlen);
		pos += tlen;
		i += n;
	}
	out[pos < size ? pos : size - 1] = '\0';
	return out;
}

bool escape_is_plain(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0, n; i < len; i += n) {
		n = utf8_len(u + i, len - i);
		if (!n || (n == 1 && (u[i] < 0x20 || u[i] == 0x7f)))
			return false;
	}
	return true;
}

/* Append s[0..n) to out at *pos if it fits with room for closing, else
 * mark the word as cut. */
static void put(char *out, size_t size, size_t *pos, const char *s, size_t n, bool *cut)
{
	if (*cut || *pos + n + 3 > size) {
		*cut = true;
		return;
	}
	memcpy(out + *pos, s, n);
	*pos += n;
}

size_t escape_shell_word(const char *s, char *out, size_t size)
{
	static const char safe[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				   "0123456789_@%+=:,./-";
	const unsigned char *u = (const unsigned char *)s;
	size_t len = strlen(s), pos = 0;
	bool cut = false, dollar;

	if (size < 4) {
		if (size)
			out[0] = '\0';
		return 0;
	}
	if (len && strspn(s, safe) == len) {
		put(out, size, &pos, s, len, &cut);
		out[pos] = '\0';
		return pos;
	}
	dollar = !escape_is_plain(s, len);
	put(out, size, &pos, dollar ? "$'" : "'", dollar ? 2 : 1, &cut);
	for (size_t i = 0, n; i < len && !cut; i += n) {
		char tmp[8];

		n = utf8_len(u + i, len - i);
		if (!dollar) {
			if (u[i] == '\'')
				put(out, size, &pos, "'\\''", 4, &cut);
			else
				put(out, size, &pos, s + i, 1, &cut);
			n = 1;
			continue;
		}
		if (n > 1) {
			put(out, size, &pos, s + i, n, &cut);
			continue;
		}
		n = 1;
		switch (u[i]) {
		case '\n':
			put(out, size, &pos, "\\n", 2, &cut);
			break;
		case '\t':
			put(out, size, &pos, "\\t", 2, &cut);
			break;
		case '\r':
			put(out, size, &pos, "\\r", 2, &cut);
			break;
		case '\\':
		case '\'':
			tmp[0] = '\\';
			tmp[1] = (char)u[i];
			put(out, size, &pos, tmp, 2, &cut);
			break;
		default:
			if (u[i] < 0x20 || u[i] >= 0x7f) {
				snprintf(tmp, sizeof(tmp), "\\x%02x", u[i]);
				put(out, size, &pos, tmp, 4, &cut);
			} else {
				put(out, size, &pos, s + i, 1, &cut);
			}
		}
	}
	/* put() keeps room for the closing quote and the NUL. */
	out[pos++] = '\'';
	out[pos] = '\0';
	return pos;
}
