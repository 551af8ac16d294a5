// SPDX-License-Identifier: Apache-2.0
/* The kernel verifier's own timing of each program: every program of each object is loaded on
 * its own (the object opened once per load, autoload on for that program only) with log level
 * BPF_LOG_STATS (4), whose log is the statistics lines alone:
 *   verification time N usec
 *   stack depth A+B
 *   processed N insns (limit 1000000) max_states_per_insn N total_states N peak_states N mark_read N
 * "verification time" is bpf_check()'s wall time, measured by the kernel itself, so the syscall,
 * libbpf's relocation and map creation are not in it. Each program is loaded REPEAT times after
 * one unmeasured load; the kernel keeps nothing between loads, so "warm" here means warm caches.
 *
 * Usage: verify_time REPEAT OBJECT...
 * Prints per program: "<file> <prog> ok <median usec> <min usec> <processed> <total_states>
 * <peak_states>", or "<file> <prog> rejected <errno>" / "<file> * open_failed <errno>".
 * Built by bench/run-verify-vs-kernel.sh. Needs root (CAP_BPF, CAP_SYS_ADMIN). */
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_SIZE 4096
#define MAX_REPEAT 1000

static int quiet(enum libbpf_print_level level, const char *fmt, va_list args)
{
	(void)level;
	(void)fmt;
	(void)args;
	return 0;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return x < y ? -1 : x > y;
}

/* Loads program @name of @path alone; fills @usec and the counts from the stats log. */
static int load_one(const char *path, const char *name, long *usec, long *processed, long *total, long *peak)
{
	static char log[LOG_SIZE];
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bpf_program *prog, *target = NULL;
	const char *p;
	long maxst, mark;
	int err;

	if (libbpf_get_error(obj))
		return -ENOENT;
	bpf_object__for_each_program(prog, obj) {
		if (strcmp(bpf_program__name(prog), name) == 0)
			target = prog;
		else
			bpf_program__set_autoload(prog, false);
	}
	if (!target) {
		bpf_object__close(obj);
		return -ENOENT;
	}
	bpf_program__set_autoload(target, true);
	log[0] = '\0';
	bpf_program__set_log_level(target, 4);
	bpf_program__set_log_buf(target, log, sizeof(log));
	err = bpf_object__load(obj);
	bpf_object__close(obj);
	if (err)
		return err;
	p = strstr(log, "verification time ");
	if (!p || sscanf(p, "verification time %ld usec", usec) != 1)
		return -EINVAL;
	p = strstr(log, "processed ");
	if (!p || sscanf(p, "processed %ld insns (limit %*d) max_states_per_insn %ld total_states %ld peak_states %ld mark_read %ld",
			 processed, &maxst, total, peak, &mark) != 5)
		return -EINVAL;
	return 0;
}

int main(int argc, char **argv)
{
	static long times[MAX_REPEAT];
	int repeat, i, j;

	if (argc < 3) {
		fprintf(stderr, "usage: %s REPEAT OBJECT...\n", argv[0]);
		return 2;
	}
	repeat = atoi(argv[1]);
	if (repeat < 1 || repeat > MAX_REPEAT) {
		fprintf(stderr, "REPEAT must be 1..%d\n", MAX_REPEAT);
		return 2;
	}
	libbpf_set_print(quiet);
	for (i = 2; i < argc; i++) {
		const char *file = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
		struct bpf_object *obj = bpf_object__open_file(argv[i], NULL);
		struct bpf_program *prog;
		char names[256][64];
		int n = 0;

		if (libbpf_get_error(obj)) {
			printf("%s * open_failed %ld\n", file, libbpf_get_error(obj));
			continue;
		}
		bpf_object__for_each_program(prog, obj) {
			if (n < 256)
				snprintf(names[n++], sizeof(names[0]), "%s", bpf_program__name(prog));
		}
		bpf_object__close(obj);
		for (j = 0; j < n; j++) {
			long usec, processed, total, peak;
			int err = load_one(argv[i], names[j], &usec, &processed, &total, &peak);
			int k;

			if (err) {
				printf("%s %s rejected %d\n", file, names[j], err);
				fflush(stdout);
				continue;
			}
			for (k = 0; k < repeat && !err; k++) {
				err = load_one(argv[i], names[j], &times[k], &processed, &total, &peak);
			}
			if (err) {
				printf("%s %s rejected %d\n", file, names[j], err);
				fflush(stdout);
				continue;
			}
			qsort(times, repeat, sizeof(times[0]), cmp_long);
			printf("%s %s ok %ld %ld %ld %ld %ld\n", file, names[j], times[repeat / 2], times[0], processed,
			       total, peak);
			fflush(stdout);
		}
	}
	return 0;
}
