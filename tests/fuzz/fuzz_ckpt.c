/* libFuzzer target: a hostile checkpoint of a session's statistics (the
 * stats column of table checkpoints). The input is tried as a whole blob,
 * and as a blob's inflated body (deflated here, with a good header), so the
 * fuzzer reaches the table parser past zlib's checks. A bad blob must be
 * refused with the statistics left empty, never a crash; a good one must
 * save again. make fuzz. */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/ckpt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void try_blob(const uint8_t *blob, size_t len)
{
	struct stats *s = calloc(1, sizeof(*s));
	struct ior_err err = { 0 };

	stats_init(s);
	s->files_max = 64; /* let loaded files fold when more come */
	if (ckpt_load(s, blob, len, &err) == 0) {
		size_t again;

		free(ckpt_save(s, &again));
	} else if (s->total.calls || s->files.count || s->procs.count || s->flames.n) {
		abort(); /* refused, yet not left empty */
	}
	stats_fini(s);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uLongf zlen = compressBound(size);
	unsigned char *blob = malloc(16 + zlen);
	uint32_t format = CKPT_FORMAT;
	uint64_t raw = size;

	try_blob(data, size);
	memcpy(blob, "IORK", 4);
	memcpy(blob + 4, &format, 4);
	memcpy(blob + 8, &raw, 8);
	if (compress2(blob + 16, &zlen, data, size, 1) == Z_OK)
		try_blob(blob, 16 + zlen);
	free(blob);
	return 0;
}
