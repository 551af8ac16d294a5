// SPDX-License-Identifier: GPL-2.0
/* Records what libbpf hands to the kernel while it loads one object, as JSON on stdout.
 *
 * The program defines syscall() itself: libbpf.so reaches the kernel through libc's
 * syscall(), and the executable's definition wins symbol lookup, so every bpf() call passes
 * here before going on to the real one (found with dlsym(RTLD_NEXT)). It loads the object
 * twice: the first load fills libbpf's process-wide feature cache (its probe maps and
 * programs are not part of the object), the second is recorded. Recorded: BPF_MAP_CREATE,
 * BPF_MAP_UPDATE_ELEM (initial data, prog_array and map-in-map slots) and BPF_PROG_LOAD,
 * with file descriptors replaced by the names of the maps and programs they belong to.
 * Unnamed maps and programs are libbpf's own probes and are left out.
 * Programs named after the object are left out (autoload off), e.g. those the kernel
 * refuses, so the rest of the object can still be captured.
 * Usage: capture OBJECT [SKIPPED_PROGRAM...]  (schema in testdata/README.md) */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include <bpf/libbpf.h>

#define MAX_FDS 4096

struct fd_info {
	char kind; /* 'm' map, 'p' program, 0 unknown */
	char name[BPF_OBJ_NAME_LEN];
	unsigned int key_size, value_size;
};

static struct fd_info fds[MAX_FDS];
static int recording;
static FILE *out;
static int maps_written, updates_written, progs_written;
static char *maps_json, *updates_json, *progs_json;
static size_t maps_len, updates_len, progs_len;
static FILE *maps_f, *updates_f, *progs_f;

static void hex(FILE *f, const void *p, size_t n)
{
	const unsigned char *b = p;

	fputc('"', f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", b[i]);
	fputc('"', f);
}

static void json_string(FILE *f, const char *s, size_t max)
{
	fputc('"', f);
	for (size_t i = 0; i < max && s[i]; i++) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static const char *fd_name(int fd)
{
	return fd >= 0 && fd < MAX_FDS && fds[fd].kind ? fds[fd].name : "?";
}

static void record_map_create(const union bpf_attr *a, long fd)
{
	if (!a->map_name[0])
		return;
	if (fd >= 0 && fd < MAX_FDS) {
		fds[fd].kind = 'm';
		memcpy(fds[fd].name, a->map_name, BPF_OBJ_NAME_LEN);
		fds[fd].key_size = a->key_size;
		fds[fd].value_size = a->value_size;
	}
	if (!recording)
		return;
	fprintf(maps_f, "%s\n    {\"name\": ", maps_written++ ? "," : "");
	json_string(maps_f, a->map_name, BPF_OBJ_NAME_LEN);
	fprintf(maps_f, ", \"type\": %u, \"key_size\": %u, \"value_size\": %u, \"max_entries\": %u, "
			"\"map_flags\": %u, \"map_extra\": %llu, \"inner_map\": ",
		a->map_type, a->key_size, a->value_size, a->max_entries, a->map_flags,
		(unsigned long long)a->map_extra);
	if (a->inner_map_fd)
		json_string(maps_f, fd_name(a->inner_map_fd), BPF_OBJ_NAME_LEN);
	else
		fputs("null", maps_f);
	fprintf(maps_f, ", \"btf_key_type_id\": %u, \"btf_value_type_id\": %u, \"result\": %s}",
		a->btf_key_type_id, a->btf_value_type_id, fd >= 0 ? "\"ok\"" : "\"error\"");
}

static void record_map_update(const union bpf_attr *a, long ret)
{
	int fd = a->map_fd;
	struct fd_info *m = fd >= 0 && fd < MAX_FDS ? &fds[fd] : NULL;

	if (!recording || !m || m->kind != 'm')
		return;
	fprintf(updates_f, "%s\n    {\"map\": ", updates_written++ ? "," : "");
	json_string(updates_f, m->name, BPF_OBJ_NAME_LEN);
	fputs(", \"key\": ", updates_f);
	hex(updates_f, (const void *)(unsigned long)a->key, m->key_size);
	if (m->value_size == 4 && m->key_size == 4 && (a->flags == 0 || a->flags == BPF_ANY)) {
		/* prog_array and map-in-map slots hold descriptors: name what they point to */
		int v = *(const int *)(unsigned long)a->value;

		if (v >= 0 && v < MAX_FDS && fds[v].kind && (fds[v].kind == 'p' || fds[v].kind == 'm')) {
			fputs(", \"value_fd_of\": ", updates_f);
			json_string(updates_f, fds[v].name, BPF_OBJ_NAME_LEN);
			fprintf(updates_f, ", \"value\": null, \"flags\": %llu, \"result\": %ld}",
				(unsigned long long)a->flags, ret);
			return;
		}
	}
	fputs(", \"value\": ", updates_f);
	hex(updates_f, (const void *)(unsigned long)a->value, m->value_size);
	fprintf(updates_f, ", \"flags\": %llu, \"result\": %ld}", (unsigned long long)a->flags, ret);
}

static void record_prog_load(const union bpf_attr *a, long fd)
{
	const struct bpf_insn *insn = (const void *)(unsigned long)a->insns;
	int refs = 0;

	if (!a->prog_name[0])
		return;
	if (fd >= 0 && fd < MAX_FDS) {
		fds[fd].kind = 'p';
		memcpy(fds[fd].name, a->prog_name, BPF_OBJ_NAME_LEN);
	}
	if (!recording)
		return;
	fprintf(progs_f, "%s\n    {\"name\": ", progs_written++ ? "," : "");
	json_string(progs_f, a->prog_name, BPF_OBJ_NAME_LEN);
	fprintf(progs_f, ", \"type\": %u, \"expected_attach_type\": %u, \"license\": ", a->prog_type,
		a->expected_attach_type);
	json_string(progs_f, (const char *)(unsigned long)a->license, 128);
	fprintf(progs_f, ", \"kern_version\": %u, \"prog_flags\": %u, \"func_info_cnt\": %u, \"line_info_cnt\": %u, "
			 "\"attach_btf_id\": %u, \"result\": %s,\n     \"insns\": [",
		a->kern_version, a->prog_flags, a->func_info_cnt, a->line_info_cnt, a->attach_btf_id,
		fd >= 0 ? "\"ok\"" : "\"error\"");
	for (unsigned int i = 0; i < a->insn_cnt; i++) {
		struct bpf_insn w = insn[i];

		/* descriptors differ from run to run: zero them here, name them in map_refs */
		if (w.code == (BPF_LD | BPF_IMM | BPF_DW) &&
		    (w.src_reg == BPF_PSEUDO_MAP_FD || w.src_reg == BPF_PSEUDO_MAP_VALUE))
			w.imm = 0;
		fputs(i == 0 ? "\n       " : i % 4 == 0 ? ",\n       " : ", ", progs_f);
		hex(progs_f, &w, sizeof(w));
	}
	fputs("],\n     \"map_refs\": [", progs_f);
	for (unsigned int i = 0; i + 1 < a->insn_cnt; i++) {
		const struct bpf_insn *w = &insn[i];

		if (w->code != (BPF_LD | BPF_IMM | BPF_DW))
			continue;
		if (w->src_reg == BPF_PSEUDO_MAP_FD || w->src_reg == BPF_PSEUDO_MAP_VALUE) {
			fprintf(progs_f, "%s{\"insn\": %u, \"src_reg\": %u, \"map\": ", refs++ ? ", " : "", i,
				w->src_reg);
			json_string(progs_f, fd_name(w->imm), BPF_OBJ_NAME_LEN);
			fprintf(progs_f, ", \"offset\": %d}", w[1].imm);
		}
		i++;
	}
	fputs("]}", progs_f);
}

long syscall(long number, ...)
{
	static long (*real)(long, ...);
	va_list ap;
	long a1, a2, a3, a4, a5, a6, ret;

	va_start(ap, number);
	a1 = va_arg(ap, long);
	a2 = va_arg(ap, long);
	a3 = va_arg(ap, long);
	a4 = va_arg(ap, long);
	a5 = va_arg(ap, long);
	a6 = va_arg(ap, long);
	va_end(ap);
	if (!real)
		real = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
	ret = real(number, a1, a2, a3, a4, a5, a6);
	if (number == __NR_bpf) {
		const union bpf_attr *attr = (const void *)a2;

		switch (a1) {
		case BPF_MAP_CREATE:
			record_map_create(attr, ret);
			break;
		case BPF_MAP_UPDATE_ELEM:
			record_map_update(attr, ret);
			break;
		case BPF_PROG_LOAD:
			record_prog_load(attr, ret);
			break;
		}
	}
	return ret;
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

static char **skipped;
static int skipped_count;

static int load(const char *path)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bpf_program *p;
	int err;

	if (!obj)
		return -1;
	bpf_object__for_each_program(p, obj)
		for (int i = 0; i < skipped_count; i++)
			if (strcmp(bpf_program__name(p), skipped[i]) == 0)
				bpf_program__set_autoload(p, false);
	err = bpf_object__load(obj);
	bpf_object__close(obj);
	return err;
}

int main(int argc, char **argv)
{
	const char *base;
	int err;

	if (argc < 2) {
		fprintf(stderr, "usage: %s OBJECT [SKIPPED_PROGRAM...]\n", argv[0]);
		return 2;
	}
	skipped = argv + 2;
	skipped_count = argc - 2;
	libbpf_set_print(quiet);
	base = strrchr(argv[1], '/') ? strrchr(argv[1], '/') + 1 : argv[1];
	if (load(argv[1]))
		return 3;
	memset(fds, 0, sizeof(fds));
	maps_f = open_memstream(&maps_json, &maps_len);
	updates_f = open_memstream(&updates_json, &updates_len);
	progs_f = open_memstream(&progs_json, &progs_len);
	recording = 1;
	err = load(argv[1]);
	recording = 0;
	fclose(maps_f);
	fclose(updates_f);
	fclose(progs_f);
	if (err)
		return 3;
	out = stdout;
	fprintf(out, "{\n  \"object\": ");
	json_string(out, base, strlen(base));
	fprintf(out, ",\n  \"libbpf\": \"%u.%u\",\n  \"skipped_programs\": [", libbpf_major_version(),
		libbpf_minor_version());
	for (int i = 0; i < skipped_count; i++) {
		fputs(i ? ", " : "", out);
		json_string(out, skipped[i], strlen(skipped[i]));
	}
	fprintf(out, "],\n  \"maps\": [%s\n  ],\n  \"map_updates\": [%s\n  ],\n  \"programs\": [%s\n  ]\n}\n",
		maps_json, updates_json, progs_json);
	return 0;
}
