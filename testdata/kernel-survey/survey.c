// SPDX-License-Identifier: GPL-2.0
/* Loads each program of one BPF object on its own through libbpf (every other program's
 * autoload switched off) and prints one line per program:
 *   <object> <section> <program> accepted
 *   <object> <section> <program> rejected: <reason>
 * The reason is the last meaningful line of the verifier log (statistics lines such as
 * "processed N insns" are skipped), or libbpf's last error line when the kernel never saw
 * the program, or the errno when both are empty (lockdown refuses fentry that way).
 * With a third argument "run", every accepted syscall program is also run once
 * (BPF_PROG_TEST_RUN, 96 zero bytes of context) and every accepted xdp program once on a
 * 64-byte zero packet; calculon_run additionally on the talk's three expressions:
 *   <object> <program> <input> retval <n>
 * Usage: survey OBJECT PIN_ROOT [run]   (PIN_ROOT: a directory on bpffs for pinned maps) */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

static char *captured;
static size_t captured_len, captured_cap;

static int capture(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	va_list copy;
	int n;

	if (level == LIBBPF_DEBUG)
		return 0;
	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return 0;
	if (captured_len + n + 1 > captured_cap) {
		captured_cap = (captured_len + n + 1) * 2;
		captured = realloc(captured, captured_cap);
		if (!captured)
			abort();
	}
	vsnprintf(captured + captured_len, n + 1, fmt, ap);
	captured_len += n;
	return n;
}

static int is_statistics(const char *line)
{
	static const char *prefixes[] = { "processed ", "verification time", "stack depth",
					  "-- END PROG LOAD LOG", "Warning: ", "SCC exit", NULL };

	for (int i = 0; prefixes[i]; i++)
		if (strncmp(line, prefixes[i], strlen(prefixes[i])) == 0)
			return 1;
	return 0;
}

/* The reason a load failed, from what libbpf printed (verifier log first). */
static void reason(char *out, size_t size, int err)
{
	char *log = captured ? strstr(captured, "-- BEGIN PROG LOAD LOG --") : NULL;
	char *end, *line, *best = NULL;
	size_t best_len = 0;

	out[0] = 0;
	if (log) {
		log = strchr(log, '\n');
		end = log ? strstr(log, "-- END PROG LOAD LOG --") : NULL;
		for (line = log ? log + 1 : NULL; line && line < end;) {
			char *nl = memchr(line, '\n', end - line);
			size_t len = nl ? (size_t)(nl - line) : (size_t)(end - line);

			if (len > 0 && !is_statistics(line)) {
				best = line;
				best_len = len;
			}
			line = nl ? nl + 1 : NULL;
		}
	}
	if (!best && captured) {
		/* libbpf's own last line, e.g. "libbpf: prog 'x': failed to load: -1" */
		for (line = captured; *line;) {
			char *nl = strchr(line, '\n');
			size_t len = nl ? (size_t)(nl - line) : strlen(line);

			if (len > 0 && strstr(line, "libbpf: ") == line && !strstr(line, "failed to load object")) {
				if (!(strncmp(line, "libbpf: prog '", 14) == 0 && strstr(line, "failed to load: ") &&
				      best))
					best = line, best_len = len;
			}
			line = nl ? nl + 1 : line + len;
		}
	}
	if (best && best_len > 0) {
		/* a log cut short by the instruction limit runs its last line into the message */
		char *limit = memmem(best, best_len, "BPF program is too large", 24);

		if (limit) {
			best_len -= limit - best;
			best = limit;
		}
		snprintf(out, size, "%.*s", (int)best_len, best);
	}
	else
		snprintf(out, size, "%s (empty log)", strerror(-err));
}

/* Mirrors struct calculon_ctx in src/include/calculon.h. */
struct calculon_ctx {
	unsigned int len;
	unsigned int status;
	unsigned long long result;
	char expr[64];
};

static void run_one(const char *base, struct bpf_program *prog, const char *input, void *ctx, size_t ctx_size,
		    void *data, size_t data_size)
{
	LIBBPF_OPTS(bpf_test_run_opts, topts);
	int err;

	topts.ctx_in = ctx;
	topts.ctx_size_in = ctx_size;
	topts.data_in = data;
	topts.data_size_in = data_size;
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &topts);
	if (err)
		printf("%s %s %s error %d\n", base, bpf_program__name(prog), input, err);
	else
		printf("%s %s %s retval %d\n", base, bpf_program__name(prog), input, (int)topts.retval);
}

static void run(const char *base, struct bpf_program *prog)
{
	static const char *exprs[] = { "1234567++++++", "2222222*****",
				       "34+6522*321+*+*+*222**16+39-41+4321+*+*+*+-3+", NULL };
	unsigned char zero[96] = { 0 };
	unsigned char packet[64] = { 0 };

	if (bpf_program__type(prog) == BPF_PROG_TYPE_SYSCALL) {
		run_one(base, prog, "zero-ctx", zero, sizeof(zero), NULL, 0);
		if (strcmp(bpf_program__name(prog), "calculon_run") == 0) {
			for (int i = 0; exprs[i]; i++) {
				struct calculon_ctx c = { .len = strlen(exprs[i]) };
				char label[96];

				memcpy(c.expr, exprs[i], c.len);
				run_one(base, prog, exprs[i], &c, sizeof(c), NULL, 0);
				snprintf(label, sizeof(label), "%s result", exprs[i]);
				printf("%s %s %s %llu status %u\n", base, bpf_program__name(prog), label, c.result,
				       c.status);
			}
		}
	} else if (bpf_program__type(prog) == BPF_PROG_TYPE_XDP) {
		run_one(base, prog, "zero-packet-64", NULL, 0, packet, sizeof(packet));
	}
}

int main(int argc, char **argv)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts);
	struct bpf_object *probe, *obj;
	struct bpf_program *prog, *p;
	const char *base;
	char why[512];
	int err;

	int runs;

	if (argc != 3 && !(argc == 4 && strcmp(argv[3], "run") == 0)) {
		fprintf(stderr, "usage: %s OBJECT PIN_ROOT [run]\n", argv[0]);
		return 2;
	}
	runs = argc == 4;
	base = strrchr(argv[1], '/') ? strrchr(argv[1], '/') + 1 : argv[1];
	opts.pin_root_path = argv[2];
	libbpf_set_print(capture);

	probe = bpf_object__open_file(argv[1], &opts);
	if (!probe) {
		/* the caller lists the programs from the symbol table and gives each this reason */
		if (!runs) {
			reason(why, sizeof(why), -errno);
			printf("%s\n", why);
		}
		return 3;
	}
	/* Programs may need each other (prog_array .values name programs of the object): when
	 * the whole object loads, every program is accepted; otherwise try them one by one. */
	if (bpf_object__load(probe) == 0) {
		bpf_object__for_each_program(prog, probe) {
			if (runs)
				run(base, prog);
			else
				printf("%s %s %s accepted\n", base, bpf_program__section_name(prog),
				       bpf_program__name(prog));
		}
		bpf_object__close(probe);
		return 0;
	}
	bpf_object__for_each_program(prog, probe) {
		captured_len = 0;
		if (captured)
			captured[0] = 0;
		obj = bpf_object__open_file(argv[1], &opts);
		if (!obj)
			return 3;
		bpf_object__for_each_program(p, obj)
			bpf_program__set_autoload(p, strcmp(bpf_program__name(p), bpf_program__name(prog)) == 0);
		err = bpf_object__load(obj);
		if (err == 0 && runs) {
			bpf_object__for_each_program(p, obj)
				if (bpf_program__autoload(p))
					run(base, p);
		} else if (runs) {
			/* not loaded: nothing to run */
		} else if (err == 0) {
			printf("%s %s %s accepted\n", base, bpf_program__section_name(prog), bpf_program__name(prog));
		} else {
			reason(why, sizeof(why), err);
			printf("%s %s %s rejected: %s\n", base, bpf_program__section_name(prog),
			       bpf_program__name(prog), why);
		}
		bpf_object__close(obj);
	}
	bpf_object__close(probe);
	return 0;
}
