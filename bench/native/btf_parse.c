// SPDX-License-Identifier: Apache-2.0
/* libbpf 1.1's BTF parsing, timed for comparison with ParseBenchmark:
 *   raw FILE:  the file is read into memory once; btf__new() on those bytes (header, type
 *              records validated and indexed, strings left in place) + btf__free(), like
 *              ParseBenchmark.parseVmlinuxBtf (Btf.parse on bytes already in memory).
 *   elf FILE:  btf__parse_elf() reads the object file and parses .BTF and .BTF.ext (no
 *              symbols or relocations, unlike parseElfBtfAndExt, which also reads those).
 * Usage: btf_parse raw|elf FILE ITERATIONS
 * Prints "mean_ns M median_ns D" over 20 batches (after a warm-up batch). */
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void *data;
static size_t size;

static void once(int raw, const char *path)
{
	struct btf *btf, *ext_btf = NULL;
	struct btf_ext *ext = NULL;

	if (raw) {
		btf = btf__new(data, size);
	} else {
		btf = btf__parse_elf(path, &ext);
		(void)ext_btf;
	}
	if (libbpf_get_error(btf)) {
		fprintf(stderr, "%s: cannot parse BTF\n", path);
		exit(1);
	}
	btf_ext__free(ext);
	btf__free(btf);
}

int main(int argc, char **argv)
{
	enum { BATCHES = 20 };
	double per[BATCHES], sum = 0;
	long iterations, batch, i;
	int raw, b;

	if (argc != 4) {
		fprintf(stderr, "usage: %s raw|elf FILE ITERATIONS\n", argv[0]);
		return 2;
	}
	raw = strcmp(argv[1], "raw") == 0;
	iterations = strtol(argv[3], NULL, 10);
	batch = iterations / BATCHES > 0 ? iterations / BATCHES : 1;
	if (raw) {
		FILE *f = fopen(argv[2], "rb");
		size_t cap = 1 << 20, n;

		if (!f) {
			perror(argv[2]);
			return 1;
		}
		data = malloc(cap);
		while ((n = fread((char *)data + size, 1, cap - size, f)) > 0) {
			size += n;
			if (size == cap)
				data = realloc(data, cap *= 2);
		}
		fclose(f);
	}
	for (i = 0; i < batch; i++)
		once(raw, argv[2]);
	for (b = 0; b < BATCHES; b++) {
		long long start = now_ns();

		for (i = 0; i < batch; i++)
			once(raw, argv[2]);
		per[b] = (double)(now_ns() - start) / batch;
		sum += per[b];
	}
	qsort(per, BATCHES, sizeof(per[0]), cmp_d);
	printf("mean_ns %.0f median_ns %.0f\n", sum / BATCHES, (per[BATCHES / 2 - 1] + per[BATCHES / 2]) / 2);
	return 0;
}
