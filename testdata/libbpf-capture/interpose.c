/*
 * LD_PRELOAD interposer for syscall(), the one every libbpf capture runs under (capture.c,
 * linked against Debian's libbpf 1.1 or a libbpf 1.5 built from the kernel source): records
 * what libbpf hands to the kernel through bpf(2) (BPF_MAP_CREATE, BPF_MAP_UPDATE_ELEM,
 * BPF_MAP_FREEZE, BPF_PROG_LOAD) as JSON lines appended to the file named by
 * $BPF4J_CAPTURE_LOG, then forwards the call unchanged. Both libbpf versions issue every bpf
 * command through syscall(__NR_bpf, ...), so this sees them all. Every event carries the
 * returned value and errno; fields a libbpf version does not set are read as 0.
 *
 * Option: $BPF4J_FAKE_PROGS, a comma-separated list of program names as the kernel sees them
 * (15 characters at most). A BPF_PROG_LOAD of such a program is recorded (with "faked":true)
 * but not made: it returns a descriptor of /dev/null, so that what libbpf relocated is
 * recorded even for programs the kernel would reject (CO-RE against another kernel's BTF,
 * poisoned instructions). Every other call still goes to the kernel.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "json.h"

#define MAX_FDS 4096

/* BPF_MAP_CREATE's attributes up to map_extra, spelled out: the uapi header of the build host
 * (6.1 on Debian 12) may lack fields libbpf 1.5 sets (btf_vmlinux_value_type_id for struct_ops) */
struct map_create_attr {
	uint32_t map_type, key_size, value_size, max_entries, map_flags, inner_map_fd, numa_node;
	char map_name[16];
	uint32_t map_ifindex, btf_fd, btf_key_type_id, btf_value_type_id, btf_vmlinux_value_type_id;
	uint64_t map_extra;
};

static uint32_t key_size_of[MAX_FDS];
static uint32_t value_size_of[MAX_FDS];
static long (*real_syscall)(long, ...);

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

/* libbpf's feature probes hand the kernel deliberately bad pointers; read through
 * process_vm_readv so a bad pointer gives an error instead of a crash. */
static int safe_read(void *dst, const void *src, size_t n)
{
	struct iovec local = { dst, n }, remote = { (void *)src, n };
	return src && process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == (ssize_t)n ? 0 : -1;
}

static void hex(FILE *f, const void *p, size_t n)
{
	unsigned char b[256];
	fputc('"', f);
	for (size_t off = 0; off < n; off += sizeof(b)) {
		size_t k = n - off < sizeof(b) ? n - off : sizeof(b);
		if (safe_read(b, (const char *)p + off, k))
			break;
		json_hex_digits(f, b, k);
	}
	fputc('"', f);
}

/* whether name (a prog_name of BPF_PROG_LOAD) is listed in $BPF4J_FAKE_PROGS */
static int faked(const char *name)
{
	const char *list = getenv("BPF4J_FAKE_PROGS");
	size_t n = strnlen(name, BPF_OBJ_NAME_LEN);
	while (list && *list) {
		const char *end = strchr(list, ',');
		size_t len = end ? (size_t)(end - list) : strlen(list);
		if (len == n && n > 0 && strncmp(list, name, n) == 0)
			return 1;
		list = end ? end + 1 : NULL;
	}
	return 0;
}

/* Key and value size of a map fd, asked from the kernel: libbpf 1.5 moves each new map fd onto
 * a placeholder fd made at open, so the fd BPF_MAP_CREATE returned is not the one updated.
 * Falls back to the sizes recorded at BPF_MAP_CREATE. */
static void sizes_of(uint32_t fd, uint32_t *ks, uint32_t *vs)
{
	uint32_t info[4] = {0}; /* struct bpf_map_info: type, id, key_size, value_size */
	union bpf_attr q;
	memset(&q, 0, sizeof(q));
	q.info.bpf_fd = fd;
	q.info.info_len = sizeof(info);
	q.info.info = (uintptr_t)info;
	if (real_syscall(__NR_bpf, BPF_OBJ_GET_INFO_BY_FD, &q, sizeof(q)) == 0) {
		*ks = info[2];
		*vs = info[3];
	} else {
		*ks = fd < MAX_FDS ? key_size_of[fd] : 0;
		*vs = fd < MAX_FDS ? value_size_of[fd] : 0;
	}
}

static void record(long cmd, union bpf_attr *a, long ret, int err, int fake)
{
	FILE *f = out();
	switch (cmd) {
	case BPF_MAP_CREATE: {
		struct map_create_attr m;
		if (safe_read(&m, a, sizeof(m)))
			break;
		fprintf(f, "{\"ev\":\"map_create\",\"ret\":%ld,\"errno\":%d,\"name\":", ret, ret < 0 ? err : 0);
		json_string(f, m.map_name, sizeof(m.map_name));
		fprintf(f, ",\"type\":%u,\"key_size\":%u,\"value_size\":%u,\"max_entries\":%u,\"map_flags\":%u,"
			   "\"inner_map_fd\":%u,\"numa_node\":%u,\"btf_key_type_id\":%u,\"btf_value_type_id\":%u,"
			   "\"btf_vmlinux_value_type_id\":%u,\"map_extra\":%llu}\n",
			m.map_type, m.key_size, m.value_size, m.max_entries, m.map_flags, m.inner_map_fd, m.numa_node,
			m.btf_key_type_id, m.btf_value_type_id, m.btf_vmlinux_value_type_id,
			(unsigned long long)m.map_extra);
		if (ret >= 0 && ret < MAX_FDS) {
			key_size_of[ret] = m.key_size;
			value_size_of[ret] = m.value_size;
		}
		break;
	}
	case BPF_MAP_UPDATE_ELEM: {
		uint32_t fd = a->map_fd, ks, vs;
		sizes_of(fd, &ks, &vs);
		fprintf(f, "{\"ev\":\"map_update\",\"ret\":%ld,\"errno\":%d,\"fd\":%u,\"flags\":%llu,\"key\":", ret,
			ret < 0 ? err : 0, fd, (unsigned long long)a->flags);
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
		json_string(f, a->prog_name, sizeof(a->prog_name));
		fprintf(f, ",\"type\":%u,\"expected_attach_type\":%u,\"prog_flags\":%u,\"kern_version\":%u,"
			   "\"attach_btf_id\":%u,\"prog_btf_fd\":%u,\"insn_cnt\":%u,\"license\":",
			a->prog_type, a->expected_attach_type, a->prog_flags, a->kern_version, a->attach_btf_id,
			a->prog_btf_fd, a->insn_cnt);
		char lic[128] = "";
		for (size_t i = 0; i + 1 < sizeof(lic) && !safe_read(lic + i, (const char *)(uintptr_t)a->license + i, 1) && lic[i]; i++)
			;
		lic[sizeof(lic) - 1] = 0;
		json_string(f, lic, sizeof(lic));
		fprintf(f, ",\"insns\":[");
		const unsigned char *insns = (const void *)(uintptr_t)a->insns;
		for (uint32_t i = 0; i < a->insn_cnt && i < 1000000; i++) {
			if (i)
				fputc(',', f);
			hex(f, insns + 8 * i, 8);
		}
		fprintf(f, "],\"func_info_rec_size\":%u,\"func_info\":[", a->func_info_rec_size);
		const char *fi = (const void *)(uintptr_t)a->func_info;
		for (uint32_t i = 0, r[2]; a->func_info_rec_size >= 8 && i < a->func_info_cnt && i < 65536 && !safe_read(r, fi + (size_t)i * a->func_info_rec_size, 8); i++)
			fprintf(f, "%s[%u,%u]", i ? "," : "", r[0], r[1]);
		fprintf(f, "],\"line_info_rec_size\":%u,\"line_info\":[", a->line_info_rec_size);
		const char *li = (const void *)(uintptr_t)a->line_info;
		for (uint32_t i = 0, r[4]; a->line_info_rec_size >= 16 && i < a->line_info_cnt && i < 65536 && !safe_read(r, li + (size_t)i * a->line_info_rec_size, 16); i++)
			fprintf(f, "%s[%u,%u,%u,%u]", i ? "," : "", r[0], r[1], r[2], r[3]);
		fprintf(f, "]%s}\n", fake ? ",\"faked\":true" : "");
		break;
	}
	default:
		break;
	}
}

long syscall(long nr, ...)
{
	va_list ap;
	long a[6];

	va_start(ap, nr);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (!real_syscall)
		real_syscall = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
	int fake = nr == __NR_bpf && a[0] == BPF_PROG_LOAD && faked(((union bpf_attr *)a[1])->prog_name);
	long ret = fake ? open("/dev/null", O_RDONLY | O_CLOEXEC) : real_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	int err = errno;
	if (nr == __NR_bpf)
		record(a[0], (union bpf_attr *)a[1], ret, err, fake);
	errno = err;
	return ret;
}
