/*
 * Loads raw BPF instructions as a socket filter with log_level 2 and prints the verifier log,
 * so tests can compare the kernel's register states with the Java scalar domain.
 * Input (stdin): one instruction per line as 16 hex digits, the 8 bytes in memory order.
 * Output (stdout): "ret=<fd or -1> errno=<n>\n" then the log.
 */
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_INSNS 4096
#define LOG_SIZE (16 * 1024 * 1024)

int main(void)
{
	static struct bpf_insn insns[MAX_INSNS];
	char line[256];
	int n = 0;

	while (fgets(line, sizeof(line), stdin) && n < MAX_INSNS) {
		unsigned char b[8];
		if (strlen(line) < 16)
			continue;
		for (int i = 0; i < 8; i++) {
			unsigned int v;
			if (sscanf(line + 2 * i, "%2x", &v) != 1)
				return 2;
			b[i] = (unsigned char)v;
		}
		memcpy(&insns[n++], b, 8);
	}
	char *log = calloc(1, LOG_SIZE);
	if (!log)
		return 3;
	union bpf_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr.insns = (unsigned long)insns;
	attr.insn_cnt = n;
	attr.license = (unsigned long)"GPL";
	attr.log_buf = (unsigned long)log;
	attr.log_size = LOG_SIZE;
	attr.log_level = 2;
	long fd = syscall(__NR_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
	int err = fd < 0 ? errno : 0;
	printf("ret=%ld errno=%d\n", fd, err);
	fputs(log, stdout);
	if (fd >= 0)
		close((int)fd);
	return 0;
}
