/*
 * Opens one BPF object with libbpf 1.5 (built from the kernel source package by
 * io.bpf4j.testdata.Libbpf15), describes it after open, loads it whole, attaches each created
 * struct_ops map (that is when libbpf hands the kernel the map's value) and detaches it again,
 * and runs every loaded syscall program once with no context. JSON lines go to
 * $BPF4J_CAPTURE_LOG, interleaved with the bpf(2) calls the shared interposer
 * (../libbpf-capture/interpose.c) records.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
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
		if (c == '"' || c == '\\' || c < 0x20 || c >= 0x7f)
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

static void describe(struct bpf_object *obj)
{
	struct bpf_program *p;
	struct bpf_map *m;

	bpf_object__for_each_program(p, obj) {
		fprintf(out, "{\"ev\":\"program\",\"name\":");
		str(bpf_program__name(p));
		fprintf(out, ",\"section\":");
		str(bpf_program__section_name(p));
		fprintf(out, ",\"type\":%d,\"expected_attach_type\":%d,\"autoload\":%s}\n", bpf_program__type(p),
			bpf_program__expected_attach_type(p), bpf_program__autoload(p) ? "true" : "false");
	}
	bpf_object__for_each_map(m, obj) {
		fprintf(out, "{\"ev\":\"map\",\"name\":");
		str(bpf_map__name(m));
		fprintf(out, ",\"type\":%d,\"key_size\":%u,\"value_size\":%u,\"max_entries\":%u,\"map_flags\":%u,"
			     "\"map_extra\":%llu,\"btf_value_type_id\":%u,\"autocreate\":%s",
			bpf_map__type(m), bpf_map__key_size(m), bpf_map__value_size(m), bpf_map__max_entries(m),
			bpf_map__map_flags(m), (unsigned long long)bpf_map__map_extra(m), bpf_map__btf_value_type_id(m),
			bpf_map__autocreate(m) ? "true" : "false");
		size_t sz = 0;
		const unsigned char *init = bpf_map__initial_value(m, &sz);
		/* a struct_ops map's initial value holds libbpf's program pointers: not comparable */
		if (init && bpf_map__type(m) != BPF_MAP_TYPE_STRUCT_OPS) {
			fprintf(out, ",\"initial_value\":\"");
			for (size_t i = 0; i < sz; i++)
				fprintf(out, "%02x", init[i]);
			fputc('"', out);
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
	libbpf_set_print(print_fn);

	fprintf(out, "{\"ev\":\"session\",\"phase\":\"open\"}\n");
	fflush(out);
	struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
	long err = libbpf_get_error(obj);
	if (err) {
		fprintf(out, "{\"ev\":\"open_failed\",\"err\":%ld}\n", err);
		return 0;
	}
	describe(obj);
	fprintf(out, "{\"ev\":\"session\",\"phase\":\"load\"}\n");
	fflush(out);
	err = bpf_object__load(obj);
	fprintf(out, "{\"ev\":\"load_result\",\"err\":%ld}\n", err);
	fflush(out);
	if (!err) {
		struct bpf_map *m;
		bpf_object__for_each_map(m, obj) {
			if (bpf_map__type(m) != BPF_MAP_TYPE_STRUCT_OPS || !bpf_map__autocreate(m))
				continue;
			fprintf(out, "{\"ev\":\"attach\",\"map\":");
			str(bpf_map__name(m));
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
			str(bpf_program__name(p));
			fprintf(out, ",\"err\":%d,\"retval\":%u}\n", r, opts.retval);
			fflush(out);
		}
	}
	bpf_object__close(obj);
	return 0;
}
