// SPDX-License-Identifier: Apache-2.0
/* libbpf's open phase, timed per object: bpf_object__open_file() then bpf_object__close(),
 * N times after a warm-up, as bpf4j's OpenBenchmark.open does for one object.
 *
 * libbpf 1.1's open reads the file, parses ELF, BTF and BTF.ext, collects programs, maps,
 * externs and relocation records (bpf_object__collect_relos). It applies no relocation: that
 * happens in bpf_object__load (bpf_object__relocate), together with kernel feature probes,
 * vmlinux BTF, map creation and program loading, so it cannot be timed apart from the kernel.
 *
 * Usage: open_bench ITERATIONS OBJECT...
 * Prints one line per object: "<file> <mean ns> <best-batch ns>" per open+close (five batches of
 * ITERATIONS/5 after a warm-up batch), or "<file> fail <libbpf's error text>".
 * Built by bench/run-open-vs-libbpf.sh. */
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int quiet(enum libbpf_print_level level, const char *fmt, va_list args)
{
	(void)level;
	(void)fmt;
	(void)args;
	return 0;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int open_close(const char *path)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	long err = libbpf_get_error(obj);

	if (err)
		return (int)err;
	bpf_object__close(obj);
	return 0;
}

int main(int argc, char **argv)
{
	long iterations;
	int i;

	if (argc < 3) {
		fprintf(stderr, "usage: %s ITERATIONS OBJECT...\n", argv[0]);
		return 2;
	}
	iterations = strtol(argv[1], NULL, 10);
	libbpf_set_strict_mode(LIBBPF_STRICT_ALL);
	libbpf_set_print(quiet);
	for (i = 2; i < argc; i++) {
		const char *path = argv[i];
		const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
		long batch = iterations / 5 > 0 ? iterations / 5 : 1;
		long long total = 0, best = -1;
		long n;
		int b, err = open_close(path);
		char msg[128];

		if (err) {
			libbpf_strerror(err, msg, sizeof(msg));
			printf("%s fail %s\n", base, msg);
			continue;
		}
		for (n = 0; n < batch; n++)
			open_close(path);
		for (b = 0; b < 5; b++) {
			long long start = now_ns(), t;

			for (n = 0; n < batch; n++)
				open_close(path);
			t = now_ns() - start;
			total += t;
			if (best < 0 || t < best)
				best = t;
		}
		printf("%s %.0f %.0f\n", base, (double)total / (5.0 * batch), (double)best / batch);
		fflush(stdout);
	}
	return 0;
}
