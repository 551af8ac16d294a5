/*
 * The libbpf driver of the capture harness: opens one BPF object with the libbpf it is linked
 * against (Debian's libbpf 1.1, or libbpf 1.5 built by io.bpf4j.testdata.Libbpf15), describes it
 * as libbpf sees it after open and loads it in one of four ways, writing JSON lines to
 * $BPF4J_CAPTURE_LOG (json.h). The interposer (interpose.c, LD_PRELOAD) adds the bpf(2) calls
 * to the same file, in order; assemble.py turns the lines into a golden.
 *
 *   capture object.o                     once per entry program, only that program autoloaded
 *                                        (a program the kernel rejects does not hide the others)
 *   capture --whole object.o             the whole object once, then every created struct_ops map
 *                                        attached and detached (that is when libbpf hands the
 *                                        kernel its value), every syscall program run once
 *   capture --core target-btf object.o   opened with btf_custom_path = target-btf (raw or ELF);
 *                                        every program's load faked by the interposer
 *                                        ($BPF4J_FAKE_PROGS), libbpf's debug messages (its CO-RE
 *                                        trace) recorded too
 *   capture --twice object.o [skip...]   loaded twice with the named programs not autoloaded: the
 *                                        first load fills libbpf's process-wide feature cache, so
 *                                        the second (after the "load" session marker) makes no
 *                                        probes
 *
 * Session markers ({"ev":"session","phase":...}) separate the open from each load. Pinned maps
 * go under $BPF4J_PIN_ROOT when set.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

#define MAX_PROGS 256

static FILE *out;
static bool debug_log;

static int print_fn(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char buf[8192];
	if (level == LIBBPF_DEBUG && !debug_log)
		return 0;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	size_t n = strlen(buf);
	while (n && buf[n - 1] == '\n')
		buf[--n] = 0;
	fprintf(out, "{\"ev\":\"libbpf_log\",\"level\":\"%s\",\"text\":",
		level == LIBBPF_WARN ? "warn" : level == LIBBPF_INFO ? "info" : "debug");
	json_string(out, buf, sizeof(buf));
	fprintf(out, "}\n");
	fflush(out);
	return 0;
}

static void session(const char *phase, const char *program)
{
	fprintf(out, "{\"ev\":\"session\",\"phase\":\"%s\",\"libbpf\":\"%u.%u\"", phase, libbpf_major_version(),
		libbpf_minor_version());
	if (program) {
		fprintf(out, ",\"program\":");
		json_string(out, program, (size_t)-1);
	}
	fprintf(out, "}\n");
	fflush(out);
}

static struct bpf_object *open_obj(const char *path, const char *btf_custom_path)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = getenv("BPF4J_PIN_ROOT"),
		    .btf_custom_path = btf_custom_path);
	struct bpf_object *obj = bpf_object__open_file(path, &opts);
	long err = libbpf_get_error(obj);
	if (err) {
		fprintf(out, "{\"ev\":\"open_failed\",\"err\":%ld}\n", err);
		fflush(out);
		return NULL;
	}
	return obj;
}

static void describe(struct bpf_object *obj)
{
	struct bpf_program *p;
	struct bpf_map *m;

	fprintf(out, "{\"ev\":\"object\",\"name\":");
	json_string(out, bpf_object__name(obj), (size_t)-1);
	fprintf(out, ",\"kern_version\":%u}\n", bpf_object__kversion(obj));
	bpf_object__for_each_program(p, obj) {
		fprintf(out, "{\"ev\":\"program\",\"name\":");
		json_string(out, bpf_program__name(p), (size_t)-1);
		fprintf(out, ",\"section\":");
		json_string(out, bpf_program__section_name(p), (size_t)-1);
		fprintf(out, ",\"type\":%d,\"expected_attach_type\":%d,\"autoload\":%s,\"insn_cnt\":%zu}\n",
			bpf_program__type(p), bpf_program__expected_attach_type(p),
			bpf_program__autoload(p) ? "true" : "false", bpf_program__insn_cnt(p));
	}
	bpf_object__for_each_map(m, obj) {
		size_t sz = 0;
		const unsigned char *init = bpf_map__initial_value(m, &sz);
		struct bpf_map *inner = bpf_map__inner_map(m);
		fprintf(out, "{\"ev\":\"map\",\"name\":");
		json_string(out, bpf_map__name(m), (size_t)-1);
		fprintf(out, ",\"type\":%d,\"key_size\":%u,\"value_size\":%u,\"max_entries\":%u,\"map_flags\":%u,"
			     "\"numa_node\":%u,\"map_extra\":%llu,\"btf_key_type_id\":%u,\"btf_value_type_id\":%u,"
			     "\"autocreate\":%s,\"pin_path\":",
			bpf_map__type(m), bpf_map__key_size(m), bpf_map__value_size(m), bpf_map__max_entries(m),
			bpf_map__map_flags(m), bpf_map__numa_node(m), (unsigned long long)bpf_map__map_extra(m),
			bpf_map__btf_key_type_id(m), bpf_map__btf_value_type_id(m),
			bpf_map__autocreate(m) ? "true" : "false");
		json_string_or_null(out, bpf_map__pin_path(m));
		fprintf(out, ",\"inner_map\":");
		json_string_or_null(out, inner ? bpf_map__name(inner) : NULL);
		fprintf(out, ",\"initial_value\":");
		/* libbpf 1.5 keeps its program pointers in a struct_ops map's initial value: not comparable */
		if (init && bpf_map__type(m) != BPF_MAP_TYPE_STRUCT_OPS)
			json_hex(out, init, sz);
		else
			fprintf(out, "null");
		fprintf(out, "}\n");
	}
	fflush(out);
}

static void load_result(int err)
{
	fprintf(out, "{\"ev\":\"load_result\",\"err\":%d}\n", err);
	fflush(out);
}

/* one load per entry program, only that program autoloaded */
static void load_each(const char *path, struct bpf_object *obj)
{
	static char names[MAX_PROGS][128];
	struct bpf_program *p;
	int n = 0;

	bpf_object__for_each_program(p, obj) {
		if (n < MAX_PROGS)
			snprintf(names[n++], sizeof(names[0]), "%s", bpf_program__name(p));
	}
	bpf_object__close(obj);
	for (int i = 0; i < (n ? n : 1); i++) {
		session("load", n ? names[i] : NULL);
		obj = open_obj(path, NULL);
		if (!obj)
			return;
		bpf_object__for_each_program(p, obj)
			bpf_program__set_autoload(p, n && strcmp(bpf_program__name(p), names[i]) == 0);
		load_result(bpf_object__load(obj));
		bpf_object__unpin_maps(obj, NULL);
		bpf_object__close(obj);
	}
}

/* the whole object, then struct_ops attached and syscall programs run */
static void load_whole(struct bpf_object *obj)
{
	session("load", NULL);
	int err = bpf_object__load(obj);
	load_result(err);
	if (err)
		return;
	struct bpf_map *m;
	bpf_object__for_each_map(m, obj) {
		if (bpf_map__type(m) != BPF_MAP_TYPE_STRUCT_OPS || !bpf_map__autocreate(m))
			continue;
		fprintf(out, "{\"ev\":\"attach\",\"map\":");
		json_string(out, bpf_map__name(m), (size_t)-1);
		fprintf(out, "}\n");
		fflush(out);
		struct bpf_link *link = bpf_map__attach_struct_ops(m);
		fprintf(out, "{\"ev\":\"attach_result\",\"err\":%ld}\n", libbpf_get_error(link));
		fflush(out);
		if (!libbpf_get_error(link))
			bpf_link__destroy(link);
	}
	struct bpf_program *p;
	bpf_object__for_each_program(p, obj) {
		if (bpf_program__type(p) != BPF_PROG_TYPE_SYSCALL || bpf_program__fd(p) < 0)
			continue;
		LIBBPF_OPTS(bpf_test_run_opts, opts);
		int r = bpf_prog_test_run_opts(bpf_program__fd(p), &opts);
		fprintf(out, "{\"ev\":\"test_run\",\"program\":");
		json_string(out, bpf_program__name(p), (size_t)-1);
		fprintf(out, ",\"err\":%d,\"retval\":%u}\n", r, opts.retval);
		fflush(out);
	}
}

/* every program's BPF_PROG_LOAD faked by the interposer */
static void load_faked(struct bpf_object *obj)
{
	char fake[4096] = "";
	struct bpf_program *p;
	bpf_object__for_each_program(p, obj) {
		size_t room = sizeof(fake) - strlen(fake) - 1;
		if (fake[0] && room)
			strncat(fake, ",", room--);
		strncat(fake, bpf_program__name(p), room < 15 ? room : 15); /* the kernel's name */
	}
	setenv("BPF4J_FAKE_PROGS", fake, 1);
	session("load", NULL);
	load_result(bpf_object__load(obj));
}

/* with programs skipped; returns the load's error */
static int load_skipping(const char *path, char **skip, int skipped)
{
	struct bpf_object *obj = open_obj(path, NULL);
	struct bpf_program *p;
	if (!obj)
		return -1;
	bpf_object__for_each_program(p, obj)
		for (int i = 0; i < skipped; i++)
			if (strcmp(bpf_program__name(p), skip[i]) == 0)
				bpf_program__set_autoload(p, false);
	int err = bpf_object__load(obj);
	load_result(err);
	bpf_object__close(obj);
	return err;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 && strncmp(argv[1], "--", 2) == 0 ? argv[1] : "";
	int first = *mode ? 2 : 1;
	const char *target = NULL;
	if (strcmp(mode, "--core") == 0)
		target = argc > first ? argv[first++] : NULL;
	if (argc <= first || (*mode && strcmp(mode, "--whole") && strcmp(mode, "--core") && strcmp(mode, "--twice")) ||
	    (strcmp(mode, "--twice") && argc != first + 1)) {
		fprintf(stderr, "usage: %s [--whole | --core target-btf | --twice] object.o [skipped-program...]\n", argv[0]);
		return 2;
	}
	const char *path = argv[first];
	const char *log = getenv("BPF4J_CAPTURE_LOG");
	out = fopen(log ? log : "/dev/stdout", "a");
	debug_log = target != NULL;
	libbpf_set_print(print_fn);

	session("open", NULL);
	if (strcmp(mode, "--twice") == 0) {
		if (load_skipping(path, argv + first + 1, argc - first - 1) == 0) {
			session("load", NULL);
			load_skipping(path, argv + first + 1, argc - first - 1);
		}
		return 0;
	}
	struct bpf_object *obj = open_obj(path, target);
	if (!obj)
		return 0;
	describe(obj);
	if (strcmp(mode, "--whole") == 0)
		load_whole(obj);
	else if (target)
		load_faked(obj);
	else
		load_each(path, obj); /* closes obj */
	if (*mode)
		bpf_object__close(obj);
	return 0;
}
