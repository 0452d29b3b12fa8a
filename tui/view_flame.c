/* Screen: Flame (being built). */
#include <stdlib.h>

#include "core/xalloc.h"
#include "tui/view.h"
#include "tui/view_util.h"

static void *create(void)
{
	return xcalloc(1, 1);
}

static void destroy(void *state)
{
	free(state);
}

static void build(void *state, const struct view_ctx *ctx)
{
	(void)state;
	(void)ctx;
}

static void draw(void *state, const struct view_ctx *ctx, int y, int x, int h, int w)
{
	(void)state;
	(void)ctx;
	view_draw_message(y, x, h, w, "Flame: being built");
}

const struct view_ops view_flame_ops = {
	.name = "Flame",
	.title = "Flame",
	.create = create,
	.destroy = destroy,
	.build = build,
	.draw = draw,
};
