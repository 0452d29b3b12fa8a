/* Lexical path arithmetic. */
#include "core/path.h"

#include <string.h>

/* Append component c (len n) to out[0..*pos), folding "." and "..". */
static int push(char *out, size_t size, size_t *pos, const char *c, size_t n)
{
	if (n == 0 || (n == 1 && c[0] == '.'))
		return 0;
	if (n == 2 && c[0] == '.' && c[1] == '.') {
		if (*pos == 0 || out[0] != '/') {
			/* Relative result: drop the last component if any. */
			while (*pos > 0 && out[*pos - 1] != '/')
				(*pos)--;
			if (*pos > 0)
				(*pos)--;
			return 0;
		}
		/* ".." of "/" is "/". */
		while (*pos > 0 && out[*pos - 1] != '/')
			(*pos)--;
		if (*pos > 1)
			(*pos)--;
		else
			*pos = 1;
		return 0;
	}
	if (*pos > 1 || (*pos == 1 && out[0] != '/')) {
		if (*pos + 1 >= size)
			return -1;
		out[(*pos)++] = '/';
	}
	if (*pos + n >= size)
		return -1;
	memcpy(out + *pos, c, n);
	*pos += n;
	return 0;
}

static int push_all(char *out, size_t size, size_t *pos, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t j = i;

		while (j < len && s[j] != '/')
			j++;
		if (push(out, size, pos, s + i, j - i))
			return -1;
		i = j + 1;
	}
	return 0;
}

int path_resolve(const char *base, const char *rel, size_t rel_len, char *out, size_t size)
{
	size_t pos = 0;

	if (size < 2)
		return -1;
	if (rel_len > 0 && rel[0] == '/') {
		out[pos++] = '/';
	} else if (base && base[0] == '/') {
		out[pos++] = '/';
		if (push_all(out, size, &pos, base, strlen(base)))
			return -1;
	} else if (base) {
		if (push_all(out, size, &pos, base, strlen(base)))
			return -1;
	}
	if (push_all(out, size, &pos, rel, rel_len))
		return -1;
	if (pos == 0)
		out[pos++] = '.';
	out[pos] = '\0';
	return (int)pos;
}
