/*
 * LD_PRELOAD interposer for syscall(): records what libbpf hands to the kernel through
 * bpf(2) (BPF_MAP_CREATE, BPF_MAP_UPDATE_ELEM, BPF_MAP_FREEZE, BPF_PROG_LOAD) as JSON lines
 * appended to the file named by $BPF4J_CAPTURE_LOG, then forwards the call unchanged.
 * libbpf 1.1 issues every bpf command through syscall(__NR_bpf, ...), so this sees them all.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <linux/bpf.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_FDS 4096

static uint32_t key_size_of[MAX_FDS];
static uint32_t value_size_of[MAX_FDS];

static FILE *out(void)
{
	static FILE *f;
	if (!f) {
		const char *path = getenv("BPF4J_CAPTURE_LOG");
		f = fopen(path ? path : "/dev/null", "a");
		setvbuf(f, NULL, _IOLBF, 0);
	}
	return f;
}

static void hex(FILE *f, const void *p, size_t n)
{
	const unsigned char *b = p;
	fputc('"', f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", b[i]);
	fputc('"', f);
}

static void str(FILE *f, const char *s, size_t max)
{
	fputc('"', f);
	for (size_t i = 0; s && i < max && s[i]; i++) {
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

static void record(long cmd, union bpf_attr *a, long ret, int err)
{
	FILE *f = out();
	switch (cmd) {
	case BPF_MAP_CREATE:
		fprintf(f, "{\"ev\":\"map_create\",\"ret\":%ld,\"errno\":%d,\"name\":", ret, ret < 0 ? err : 0);
		str(f, a->map_name, sizeof(a->map_name));
		fprintf(f, ",\"type\":%u,\"key_size\":%u,\"value_size\":%u,\"max_entries\":%u,\"map_flags\":%u,"
			   "\"inner_map_fd\":%u,\"numa_node\":%u,\"btf_key_type_id\":%u,\"btf_value_type_id\":%u,"
			   "\"map_extra\":%llu}\n",
			a->map_type, a->key_size, a->value_size, a->max_entries, a->map_flags, a->inner_map_fd,
			a->numa_node, a->btf_key_type_id, a->btf_value_type_id, (unsigned long long)a->map_extra);
		if (ret >= 0 && ret < MAX_FDS) {
			key_size_of[ret] = a->key_size;
			value_size_of[ret] = a->value_size;
		}
		break;
	case BPF_MAP_UPDATE_ELEM: {
		uint32_t fd = a->map_fd;
		uint32_t ks = fd < MAX_FDS ? key_size_of[fd] : 0, vs = fd < MAX_FDS ? value_size_of[fd] : 0;
		fprintf(f, "{\"ev\":\"map_update\",\"ret\":%ld,\"fd\":%u,\"flags\":%llu,\"key\":", ret, fd,
			(unsigned long long)a->flags);
		hex(f, (void *)(uintptr_t)a->key, ks);
		fprintf(f, ",\"value\":");
		hex(f, (void *)(uintptr_t)a->value, vs);
		fprintf(f, "}\n");
		break;
	}
	case BPF_MAP_FREEZE:
		fprintf(f, "{\"ev\":\"map_freeze\",\"ret\":%ld,\"fd\":%u}\n", ret, a->map_fd);
		break;
	case BPF_PROG_LOAD: {
		fprintf(f, "{\"ev\":\"prog_load\",\"ret\":%ld,\"errno\":%d,\"name\":", ret, ret < 0 ? err : 0);
		str(f, a->prog_name, sizeof(a->prog_name));
		fprintf(f, ",\"type\":%u,\"expected_attach_type\":%u,\"prog_flags\":%u,\"kern_version\":%u,"
			   "\"attach_btf_id\":%u,\"prog_btf_fd\":%u,\"license\":",
			a->prog_type, a->expected_attach_type, a->prog_flags, a->kern_version, a->attach_btf_id,
			a->prog_btf_fd);
		str(f, (const char *)(uintptr_t)a->license, 128);
		fprintf(f, ",\"insns\":[");
		const unsigned char *insns = (const void *)(uintptr_t)a->insns;
		for (uint32_t i = 0; i < a->insn_cnt; i++) {
			if (i)
				fputc(',', f);
			hex(f, insns + 8 * i, 8);
		}
		fprintf(f, "],\"func_info_rec_size\":%u,\"func_info\":[", a->func_info_rec_size);
		const uint32_t *fi = (const void *)(uintptr_t)a->func_info;
		for (uint32_t i = 0; fi && i < a->func_info_cnt; i++) {
			const uint32_t *r = (const uint32_t *)((const char *)fi + i * a->func_info_rec_size);
			fprintf(f, "%s[%u,%u]", i ? "," : "", r[0], r[1]);
		}
		fprintf(f, "],\"line_info_rec_size\":%u,\"line_info\":[", a->line_info_rec_size);
		const uint32_t *li = (const void *)(uintptr_t)a->line_info;
		for (uint32_t i = 0; li && i < a->line_info_cnt; i++) {
			const uint32_t *r = (const uint32_t *)((const char *)li + i * a->line_info_rec_size);
			fprintf(f, "%s[%u,%u,%u,%u]", i ? "," : "", r[0], r[1], r[2], r[3]);
		}
		fprintf(f, "]}\n");
		break;
	}
	default:
		break;
	}
}

long syscall(long nr, ...)
{
	static long (*real)(long, ...);
	va_list ap;
	long a[6];

	va_start(ap, nr);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (!real)
		real = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
	long ret = real(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	int err = errno;
	if (nr == __NR_bpf)
		record(a[0], (union bpf_attr *)a[1], ret, err);
	errno = err;
	return ret;
}
