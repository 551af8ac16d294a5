/*
 * LD_PRELOAD interposer for syscall(): for BPF_PROG_LOAD of a program named in
 * $BPF4J_FAKE_PROGS (comma-separated, as the kernel sees names: 15 characters at most) it
 * records the instructions libbpf hands over as a JSON line on $BPF4J_CORE_LOG and returns a
 * descriptor of /dev/null instead of loading, so that programs the kernel would reject (CO-RE
 * against another kernel's BTF, poisoned instructions) still show what libbpf relocated.
 * Every other call (libbpf's feature probes, BTF and map creation) goes to the kernel.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

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

long syscall(long number, ...)
{
	va_list ap;
	long a[6];
	va_start(ap, number);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (number == __NR_bpf && a[0] == BPF_PROG_LOAD) {
		union bpf_attr *attr = (union bpf_attr *)a[1];
		if (faked(attr->prog_name)) {
			const char *path = getenv("BPF4J_CORE_LOG");
			FILE *f = fopen(path ? path : "/dev/null", "a");
			fprintf(f, "{\"ev\":\"prog_load\",\"name\":\"%.*s\",\"insns\":[", BPF_OBJ_NAME_LEN, attr->prog_name);
			const unsigned char *insns = (const void *)(uintptr_t)attr->insns;
			for (uint32_t i = 0; i < attr->insn_cnt; i++) {
				fprintf(f, "%s\"", i ? "," : "");
				for (int b = 0; b < 8; b++)
					fprintf(f, "%02x", insns[8 * i + b]);
				fputc('"', f);
			}
			fprintf(f, "]}\n");
			fclose(f);
			return open("/dev/null", O_RDONLY | O_CLOEXEC);
		}
	}
	long (*real)(long, ...) = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
	return real(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}
