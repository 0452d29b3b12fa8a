/* The key table: complete, unambiguous, SPEC's keys where SPEC puts them. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/keymap.h"

Test(keymap, every_action_has_a_row)
{
	for (int a = ACT_NONE + 1; a < ACT_COUNT; a++)
		cr_assert_not_null(keymap_entry((enum action)a), "action %d has no key", a);
}

Test(keymap, no_key_is_bound_twice)
{
	for (size_t i = 0; i < keymap_len; i++) {
		char keys[128], *save = NULL;

		snprintf(keys, sizeof(keys), "%s", keymap[i].keys);
		for (char *k = strtok_r(keys, " ", &save); k; k = strtok_r(NULL, " ", &save))
			cr_assert_eq(keymap_lookup(k), keymap[i].action, "%s is bound twice", k);
	}
}

/* Every F-key has a letter (or symbol) alias, as SPEC asks. */
Test(keymap, every_function_key_has_an_alias)
{
	for (size_t i = 0; i < keymap_len; i++) {
		if (keymap[i].keys[0] != 'F')
			continue;
		cr_assert(strchr(keymap[i].keys, ' '), "%s has no alias", keymap[i].keys);
	}
}

Test(keymap, spec_keys)
{
	static const struct {
		const char *key;
		enum action a;
	} want[] = {
		{ "F1", ACT_HELP },	    { "h", ACT_HELP },
		{ "?", ACT_HELP },	    { "F2", ACT_SCREENS },
		{ "Tab", ACT_NEXT_SCREEN }, { "S-Tab", ACT_PREV_SCREEN },
		{ "1", ACT_SCREEN_1 },	    { "8", ACT_SCREEN_8 },
		{ "Up", ACT_UP },	    { "k", ACT_UP },
		{ "j", ACT_DOWN },	    { "PageDown", ACT_PAGE_DOWN },
		{ "g", ACT_HOME },	    { "G", ACT_END },
		{ "Enter", ACT_DRILL },	    { "Backspace", ACT_BACK },
		{ "Escape", ACT_BACK },	    { "d", ACT_STREAM_OF },
		{ "F3", ACT_SEARCH },	    { "/", ACT_SEARCH },
		{ "n", ACT_SEARCH_NEXT },   { "N", ACT_SEARCH_PREV },
		{ "F4", ACT_FILTER },	    { "\\", ACT_FILTER },
		{ "c", ACT_CLEAR },	    { "f", ACT_FAMILIES },
		{ "[", ACT_FAMILY_PREV },   { "]", ACT_FAMILY_NEXT },
		{ "F6", ACT_SORT_NEXT_F6 }, { "<", ACT_SORT_PREV },
		{ ">", ACT_SORT_NEXT_F6 },  { "I", ACT_SORT_INVERT },
		{ "F5", ACT_TREE },	    { "Space", ACT_PAUSE },
		{ "t", ACT_STEP_TICK },	    { "T", ACT_STEP_TICK_BACK },
		{ ".", ACT_STEP_EVENT },    { ",", ACT_STEP_EVENT_BACK },
		{ "+", ACT_FASTER },	    { "-", ACT_SLOWER },
		{ "=", ACT_SPEED_RESET },   { "b", ACT_JUMP },
		{ "r", ACT_TO_START },	    { "Z", ACT_TO_END },
		{ "m", ACT_MARK },	    { "'", ACT_TO_MARK },
		{ "R", ACT_RECORD },	    { "e", ACT_EXPORT },
		{ "p", ACT_PICKER },	    { "C-l", ACT_REDRAW },
		{ "F10", ACT_QUIT },	    { "q", ACT_QUIT },
	};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		cr_assert_eq(keymap_lookup(want[i].key), want[i].a, "key %s", want[i].key);
	cr_assert_eq(keymap_lookup("F12"), ACT_NONE);
	cr_assert_eq(keymap_lookup(""), ACT_NONE);
}

Test(keymap, first_key_and_help)
{
	char buf[16];

	cr_assert_str_eq(keymap_first_key(keymap_entry(ACT_HELP), buf, sizeof(buf)), "F1");
	for (size_t i = 0; i < keymap_len; i++)
		cr_assert(keymap[i].help && *keymap[i].help, "%s has no help", keymap[i].keys);
}

/* man/ior.1 lists every row of the key table, keys and help, as troff
 * writes them ('-' as "\-", '\' as "\e"): the page cannot drift. */
Test(keymap, man_page_lists_every_key)
{
	const char *src = getenv("IOR_SRCDIR");
	char path[4096], *page;
	FILE *f;
	long len;

	snprintf(path, sizeof(path), "%s/man/ior.1", src ? src : ".");
	f = fopen(path, "r");
	cr_assert_not_null(f, "%s", path);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	page = calloc(1, (size_t)len + 1);
	cr_assert_eq(fread(page, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	for (size_t i = 0; i < keymap_len; i++) {
		char want[256];
		size_t o = 0;

		o += (size_t)snprintf(want, sizeof(want), ".B ");
		for (const char *k = keymap[i].keys; *k && o + 3 < sizeof(want); k++) {
			if (*k == '-')
				want[o++] = '\\';
			if (*k == '\\') {
				want[o++] = '\\';
				want[o++] = 'e';
				continue;
			}
			want[o++] = *k;
		}
		want[o] = '\0';
		cr_assert(strstr(page, want), "man/ior.1 lacks the keys '%s'", want);
	}
	free(page);
}
