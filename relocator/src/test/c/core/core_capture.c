/*
 * Opens a BPF object with libbpf, optionally with btf_custom_path = the target BTF (raw or
 * ELF), and loads it with every program faked by core_interpose.so, writing JSON lines to
 * $BPF4J_CORE_LOG: the object's programs, every libbpf message (debug included: the CO-RE
 * trace) and the load result. core_assemble.py turns them into a golden.
 */
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
	char buf[8192];
	vsnprintf(buf, sizeof(buf), fmt, ap);
	size_t n = strlen(buf);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = 0;
	out = fopen(getenv("BPF4J_CORE_LOG"), "a");
	fprintf(out, "{\"ev\":\"log\",\"level\":\"%s\",\"text\":",
		level == LIBBPF_WARN ? "warn" : level == LIBBPF_INFO ? "info" : "debug");
	str(buf);
	fprintf(out, "}\n");
	fclose(out);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s object.o [target-btf]\n", argv[0]);
		return 2;
	}
	libbpf_set_strict_mode(LIBBPF_STRICT_ALL);
	libbpf_set_print(print_fn);
	LIBBPF_OPTS(bpf_object_open_opts, opts, .btf_custom_path = argc == 3 ? argv[2] : NULL);
	struct bpf_object *obj = bpf_object__open_file(argv[1], &opts);
	long err = libbpf_get_error(obj);
	if (err) {
		out = fopen(getenv("BPF4J_CORE_LOG"), "a");
		fprintf(out, "{\"ev\":\"open_failed\",\"err\":%ld}\n", err);
		fclose(out);
		return 1;
	}
	char fake[4096] = "";
	struct bpf_program *p;
	bpf_object__for_each_program(p, obj) {
		out = fopen(getenv("BPF4J_CORE_LOG"), "a");
		fprintf(out, "{\"ev\":\"program\",\"name\":");
		str(bpf_program__name(p));
		fprintf(out, ",\"section\":");
		str(bpf_program__section_name(p));
		fprintf(out, "}\n");
		fclose(out);
		if (fake[0])
			strncat(fake, ",", sizeof(fake) - strlen(fake) - 1);
		strncat(fake, bpf_program__name(p), 15 < sizeof(fake) - strlen(fake) - 1 ? 15 : 0);
	}
	setenv("BPF4J_FAKE_PROGS", fake, 1);
	int rc = bpf_object__load(obj);
	out = fopen(getenv("BPF4J_CORE_LOG"), "a");
	fprintf(out, "{\"ev\":\"load_result\",\"err\":%d}\n", rc);
	fclose(out);
	bpf_object__close(obj);
	return 0;
}
