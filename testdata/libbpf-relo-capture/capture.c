/*
 * Opens one BPF object with libbpf and loads it once per entry program (only that program
 * autoloaded, so a program the kernel rejects does not hide the others), writing JSON lines
 * to $BPF4J_CAPTURE_LOG: what libbpf reports after open (programs, maps), libbpf's own
 * messages, and session markers. The interposer (../libbpf-capture/interpose.c, LD_PRELOAD)
 * adds the bpf(2) calls to the same file; assemble.py turns the lines into a golden.
 */
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static FILE *out;

static void str(const char *s)
{
	fputc('"', out);
	for (size_t i = 0; s && s[i]; i++) {
		unsigned char c = s[i];
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static int print_fn(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char buf[4096];
	if (level == LIBBPF_DEBUG)
		return 0;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	size_t n = strlen(buf);
	while (n && buf[n - 1] == '\n')
		buf[--n] = 0;
	fprintf(out, "{\"ev\":\"libbpf_log\",\"level\":\"%s\",\"text\":", level == LIBBPF_WARN ? "warn" : "info");
	str(buf);
	fprintf(out, "}\n");
	fflush(out);
	return 0;
}

static struct bpf_object *open_obj(const char *path)
{
	/* pinned maps go under a private root (capture.sh makes and removes it), so that no
	 * session reuses a map pinned by another run or leaves one behind */
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = getenv("BPF4J_PIN_ROOT"));
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
	str(bpf_object__name(obj));
	fprintf(out, ",\"kern_version\":%u}\n", bpf_object__kversion(obj));
	bpf_object__for_each_program(p, obj) {
		fprintf(out, "{\"ev\":\"program\",\"name\":");
		str(bpf_program__name(p));
		fprintf(out, ",\"section\":");
		str(bpf_program__section_name(p));
		fprintf(out, ",\"type\":%d,\"expected_attach_type\":%d,\"autoload\":%s,\"insn_cnt\":%zu}\n",
			bpf_program__type(p), bpf_program__expected_attach_type(p),
			bpf_program__autoload(p) ? "true" : "false", bpf_program__insn_cnt(p));
	}
	bpf_object__for_each_map(m, obj) {
		size_t sz = 0;
		const unsigned char *init = bpf_map__initial_value(m, &sz);
		struct bpf_map *inner = bpf_map__inner_map(m);
		fprintf(out, "{\"ev\":\"map\",\"name\":");
		str(bpf_map__name(m));
		fprintf(out, ",\"type\":%d,\"key_size\":%u,\"value_size\":%u,\"max_entries\":%u,\"map_flags\":%u,"
			     "\"numa_node\":%u,\"map_extra\":%llu,\"btf_key_type_id\":%u,\"btf_value_type_id\":%u,"
			     "\"autocreate\":%s,\"pin_path\":",
			bpf_map__type(m), bpf_map__key_size(m), bpf_map__value_size(m), bpf_map__max_entries(m),
			bpf_map__map_flags(m), bpf_map__numa_node(m), (unsigned long long)bpf_map__map_extra(m),
			bpf_map__btf_key_type_id(m), bpf_map__btf_value_type_id(m),
			bpf_map__autocreate(m) ? "true" : "false");
		if (bpf_map__pin_path(m))
			str(bpf_map__pin_path(m));
		else
			fprintf(out, "null");
		fprintf(out, ",\"inner_map\":");
		if (inner)
			str(bpf_map__name(inner));
		else
			fprintf(out, "null");
		fprintf(out, ",\"initial_value\":");
		if (init) {
			fputc('"', out);
			for (size_t i = 0; i < sz; i++)
				fprintf(out, "%02x", init[i]);
			fputc('"', out);
		} else {
			fprintf(out, "null");
		}
		fprintf(out, "}\n");
	}
	fflush(out);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s object.o\n", argv[0]);
		return 2;
	}
	const char *log = getenv("BPF4J_CAPTURE_LOG");
	out = fopen(log ? log : "/dev/stdout", "a");
	libbpf_set_strict_mode(LIBBPF_STRICT_ALL);
	libbpf_set_print(print_fn);

	fprintf(out, "{\"ev\":\"session\",\"phase\":\"open\"}\n");
	fflush(out);
	struct bpf_object *obj = open_obj(argv[1]);
	if (!obj)
		return 0;
	describe(obj);

	char names[256][128];
	int n = 0;
	struct bpf_program *p;
	bpf_object__for_each_program(p, obj) {
		if (n < 256)
			snprintf(names[n++], sizeof(names[0]), "%s", bpf_program__name(p));
	}
	bpf_object__close(obj);

	for (int i = 0; i < (n ? n : 1); i++) {
		fprintf(out, "{\"ev\":\"session\",\"phase\":\"load\",\"program\":");
		if (n)
			str(names[i]);
		else
			fprintf(out, "null");
		fprintf(out, "}\n");
		fflush(out);
		obj = open_obj(argv[1]);
		if (!obj)
			return 0;
		bpf_object__for_each_program(p, obj)
			bpf_program__set_autoload(p, n && strcmp(bpf_program__name(p), names[i]) == 0);
		int err = bpf_object__load(obj);
		fprintf(out, "{\"ev\":\"load_result\",\"err\":%d}\n", err);
		fflush(out);
		bpf_object__unpin_maps(obj, NULL);
		bpf_object__close(obj);
	}
	return 0;
}
