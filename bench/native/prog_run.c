// SPDX-License-Identifier: Apache-2.0
/* The kernel side of run-interp-vs-kernel.sh: loads ONE program of an object with libbpf 1.1
 * (the others get autoload off, so programs the verifier refuses elsewhere in the object do not
 * matter; pinned maps go under a private directory in /sys/fs/bpf, removed at exit) and times it
 * with BPF_PROG_TEST_RUN. The kernel JIT is always on here, so this is JIT'ed code.
 *
 *   xdp:     data_in = INPUT; 50 calls (after 5 warm-up calls) with repeat = ITERATIONS/50; the
 *            kernel times each call's runs itself (test.duration: mean ns per run around its own
 *            loop, so syscall and copy costs stay outside). Prints the mean and the median of
 *            the 50 durations.
 *   syscall: the kernel takes no repeat and reports no duration for BPF_PROG_TYPE_SYSCALL, so
 *            ITERATIONS test runs are timed one by one from user space, alternating with runs
 *            of an empty sleepable syscall program ("r0 = 0; exit"; libbpf loads SEC("syscall")
 *            sleepable too); ns per run = program - empty, for the means and for the medians.
 *
 * Usage: prog_run OBJECT PROGRAM xdp|syscall INPUT ITERATIONS
 * Prints "retval R mean_ns M median_ns D" and, for syscall, the raw figures of both programs. */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int quiet(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_WARN)
		return vfprintf(stderr, fmt, args);
	return 0;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int run_once(int fd, __u32 *retval)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	int err = bpf_prog_test_run_opts(fd, &opts);

	*retval = opts.retval;
	return err;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static double mean_of(const long long *v, long n)
{
	double sum = 0;
	long i;

	for (i = 0; i < n; i++)
		sum += v[i];
	return sum / n;
}

/* sorts v */
static double median_of(long long *v, long n)
{
	qsort(v, n, sizeof(*v), cmp_ll);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

static void time_syscall(int fd, long iterations)
{
	const struct bpf_insn empty[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, lopts, .prog_flags = BPF_F_SLEEPABLE);
	long long *prog_ns = calloc(iterations, sizeof(long long));
	long long *empty_ns = calloc(iterations, sizeof(long long));
	__u32 retval = 0, ignored;
	long i;
	int efd = bpf_prog_load(BPF_PROG_TYPE_SYSCALL, "bench_empty", "GPL", empty, 2, &lopts);
	double pm, em;

	if (efd < 0 || !prog_ns || !empty_ns) {
		perror("loading the empty syscall program");
		exit(1);
	}
	for (i = 0; i < iterations / 10; i++)
		if (run_once(fd, &retval) || run_once(efd, &ignored)) {
			perror("BPF_PROG_TEST_RUN");
			exit(1);
		}
	/* alternating, one call at a time: both see the same load; medians shrug off preemption */
	for (i = 0; i < iterations; i++) {
		long long t0 = now_ns(), t1, t2;

		run_once(fd, &retval);
		t1 = now_ns();
		run_once(efd, &ignored);
		t2 = now_ns();
		prog_ns[i] = t1 - t0;
		empty_ns[i] = t2 - t1;
	}
	pm = mean_of(prog_ns, iterations);
	em = mean_of(empty_ns, iterations);
	printf("retval %u mean_ns %.1f median_ns %.1f raw_mean_ns %.1f empty_mean_ns %.1f raw_median_ns %.1f empty_median_ns %.1f\n",
	       retval, pm - em, median_of(prog_ns, iterations) - median_of(empty_ns, iterations), pm, em,
	       median_of(prog_ns, iterations), median_of(empty_ns, iterations));
	free(prog_ns);
	free(empty_ns);
	close(efd);
}

static void time_xdp(int fd, const char *input, long iterations)
{
	enum { BATCHES = 50 };
	static char data[4096];
	long long durations[BATCHES];
	long repeat = iterations / BATCHES > 0 ? iterations / BATCHES : 1;
	size_t len;
	__u32 retval = 0;
	FILE *f = fopen(input, "rb");
	double mean;
	int b;

	if (!f) {
		perror(input);
		exit(1);
	}
	len = fread(data, 1, sizeof(data), f);
	fclose(f);
	for (b = -5; b < BATCHES; b++) {
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = data, .data_size_in = len, .repeat = repeat);

		if (bpf_prog_test_run_opts(fd, &opts)) {
			perror("BPF_PROG_TEST_RUN");
			exit(1);
		}
		retval = opts.retval;
		if (b >= 0)
			durations[b] = opts.duration;
	}
	mean = mean_of(durations, BATCHES);
	printf("retval %u mean_ns %.1f median_ns %.1f\n", retval, mean, median_of(durations, BATCHES));
}

int main(int argc, char **argv)
{
	char pin_root[] = "/sys/fs/bpf/bpf4j-bench-XXXXXX";
	struct bpf_object *obj;
	struct bpf_program *prog, *target = NULL;
	long iterations;
	int err;

	if (argc != 6) {
		fprintf(stderr, "usage: %s OBJECT PROGRAM xdp|syscall INPUT ITERATIONS\n", argv[0]);
		return 2;
	}
	iterations = strtol(argv[5], NULL, 10);
	libbpf_set_strict_mode(LIBBPF_STRICT_ALL);
	libbpf_set_print(quiet);
	if (!mkdtemp(pin_root)) {
		perror(pin_root);
		return 1;
	}
	{
		LIBBPF_OPTS(bpf_object_open_opts, oopts, .pin_root_path = pin_root);

		obj = bpf_object__open_file(argv[1], &oopts);
	}
	if (libbpf_get_error(obj)) {
		fprintf(stderr, "%s: open failed\n", argv[1]);
		rmdir(pin_root);
		return 1;
	}
	bpf_object__for_each_program(prog, obj) {
		int mine = strcmp(bpf_program__name(prog), argv[2]) == 0;

		bpf_program__set_autoload(prog, mine);
		if (mine)
			target = prog;
	}
	if (!target) {
		fprintf(stderr, "%s: no program '%s'\n", argv[1], argv[2]);
		err = 1;
		goto out;
	}
	err = bpf_object__load(obj);
	if (err) {
		fprintf(stderr, "%s: load failed: %d\n", argv[1], err);
		goto out;
	}
	if (strcmp(argv[3], "xdp") == 0)
		time_xdp(bpf_program__fd(target), argv[4], iterations);
	else
		time_syscall(bpf_program__fd(target), iterations);
	bpf_object__unpin_maps(obj, NULL);
out:
	bpf_object__close(obj);
	rmdir(pin_root);
	return err ? 1 : 0;
}
