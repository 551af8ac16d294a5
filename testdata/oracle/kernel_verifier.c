// SPDX-License-Identifier: GPL-2.0
/* This machine's kernel verifier as an oracle for bpf4j's: loads a program (or every program
 * of an object, one at a time) with a verifier log and prints the kernel's verdict, errno and
 * log as JSON on stdout. KernelVerifier (testdata's Java side) compiles it with gcc at test
 * time; see the usage below. Needs root (CAP_BPF, CAP_SYS_ADMIN) and libbpf-dev.
 *
 *   kernel_verifier raw < SPEC
 *     SPEC is line-based:
 *       prog_type N | expected_attach_type N | log_level N | prog_flags N | attach_btf_id N
 *       license TEXT | name TEXT | kern_version N
 *       log_size N  (a fixed log buffer: no retry when the log does not fit, the kernel's ENOSPC is the answer)
 *       map TYPE KEY_SIZE VALUE_SIZE MAX_ENTRIES FLAGS MAP_EXTRA FROZEN [inner TYPE KEY VALUE MAX FLAGS EXTRA] [value HEX]
 *       insns HEX   (the instructions' bytes, host order)
 *     Maps are created in order; map i is what ld_imm64 src=BPF_PSEUDO_MAP_IDX[_VALUE] imm=i
 *     names (through fd_array), and src=BPF_PSEUDO_MAP_FD/MAP_VALUE imm=i is patched to map i's
 *     fd. "value" fills key 0 (a u32) before a frozen map is frozen.
 *     prints {"verdict":"accepted"|"rejected","errno":N,"log_true_size":N,"log":"..."}
 *     or {"verdict":"setup_error","errno":N,"stage":"..."} when a map cannot be made.
 *
 *   kernel_verifier object OBJECT [LOG_LEVEL [PROG_FLAGS [PROGRAM...]]]
 *     loads the object's autoloaded programs together through libbpf, each with its own log
 *     (a prog_array's initial slots need the programs they name); when that fails, and for
 *     programs not autoloaded (or named on the command line), opens the object once per
 *     program and loads only that one (autoload forced on, every other one off), so one
 *     rejection does not hide the rest (programs a prog_array's initial slots name are loaded
 *     with it, as libbpf cannot fill the slots otherwise). Maps pinned by name go to a private bpffs directory
 *     removed afterwards. prints
 *     {"file":"...","open_error":null|"...","programs":[{"name","section","prog_type",
 *      "expected_attach_type","autoload","verdict","errno","insns","log","libbpf"}...]}
 *     where "libbpf" holds libbpf's own warnings (why it refused before the kernel saw it).
 *     Run as a user other than root (the unprivileged runs), maps of types such a user cannot
 *     create are not created.

 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#define MAX_MAPS 64
#define FIRST_LOG (16u << 20)
#define MAX_LOG (1u << 30)
#define MAX_SLOT_PROGS 16

/* BPF_PROG_LOAD's attribute as 6.4+ kernels define it (log_true_size is newer than the
 * installed uapi header); the kernel zero-fills what a shorter size leaves out. */
struct prog_load_attr {
	uint32_t prog_type, insn_cnt;
	uint64_t insns, license;
	uint32_t log_level, log_size;
	uint64_t log_buf;
	uint32_t kern_version, prog_flags;
	char prog_name[16];
	uint32_t prog_ifindex, expected_attach_type, prog_btf_fd, func_info_rec_size;
	uint64_t func_info;
	uint32_t func_info_cnt, line_info_rec_size;
	uint64_t line_info;
	uint32_t line_info_cnt, attach_btf_id, attach_prog_fd, core_relo_cnt;
	uint64_t fd_array, core_relos;
	uint32_t core_relo_rec_size, log_true_size;
};

static void json_string(FILE *out, const char *s, size_t n)
{
	fputc('"', out);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void json_cstring(FILE *out, const char *s)
{
	if (s)
		json_string(out, s, strlen(s));
	else
		fputs("null", out);
}

static void json_hex(FILE *out, const void *p, size_t n)
{
	const unsigned char *b = p;

	fputc('"', out);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%02x", b[i]);
	fputc('"', out);
}

static size_t parse_hex(const char *hex, unsigned char **out)
{
	size_t len = strlen(hex), n = 0;
	unsigned char *b = calloc(len / 2 + 1, 1);
	int half = -1;

	if (!b)
		abort();
	for (size_t i = 0; i < len; i++) {
		int c = hex[i], v;

		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v = c - 'A' + 10;
		else
			continue; /* spaces between instructions */
		if (half < 0) {
			half = v;
		} else {
			b[n++] = (unsigned char)(half << 4 | v);
			half = -1;
		}
	}
	*out = b;
	return n;
}

static long sys_bpf(int cmd, void *attr, unsigned int size)
{
	return syscall(__NR_bpf, cmd, attr, size);
}

struct map_spec {
	uint32_t type, key_size, value_size, max_entries, flags;
	uint64_t map_extra;
	int frozen, has_inner;
	uint32_t inner[5];
	uint64_t inner_extra;
	unsigned char *value;
	size_t value_len;
};

static int create_map(uint32_t type, uint32_t key, uint32_t value, uint32_t max, uint32_t flags, uint64_t extra,
		      int inner_fd)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_type = type;
	a.key_size = key;
	a.value_size = value;
	a.max_entries = max;
	a.map_flags = flags;
	a.map_extra = extra;
	a.inner_map_fd = inner_fd > 0 ? inner_fd : 0;
	return sys_bpf(BPF_MAP_CREATE, &a, sizeof(a));
}

static int setup_error(const char *stage, int err)
{
	printf("{\"verdict\":\"setup_error\",\"errno\":%d,\"stage\":", err);
	json_cstring(stdout, stage);
	printf("}\n");
	return 1;
}

static int make_map(struct map_spec *m)
{
	int inner = -1, fd;

	if (m->has_inner) {
		inner = create_map(m->inner[0], m->inner[1], m->inner[2], m->inner[3], m->inner[4], m->inner_extra, -1);
		if (inner < 0)
			return -1;
	}
	fd = create_map(m->type, m->key_size, m->value_size, m->max_entries, m->flags, m->map_extra, inner);
	if (inner >= 0)
		close(inner);
	if (fd < 0)
		return -1;
	if (m->value_len) {
		union bpf_attr a;
		uint32_t zero = 0;
		unsigned char *v = calloc(1, m->value_size > m->value_len ? m->value_size : m->value_len);

		memcpy(v, m->value, m->value_len);
		memset(&a, 0, sizeof(a));
		a.map_fd = fd;
		a.key = (uint64_t)(uintptr_t)&zero;
		a.value = (uint64_t)(uintptr_t)v;
		if (sys_bpf(BPF_MAP_UPDATE_ELEM, &a, sizeof(a)) < 0)
			return -1;
		free(v);
	}
	if (m->frozen) {
		union bpf_attr a;

		memset(&a, 0, sizeof(a));
		a.map_fd = fd;
		if (sys_bpf(BPF_MAP_FREEZE, &a, sizeof(a)) < 0)
			return -1;
	}
	return fd;
}

static int raw_mode(void)
{
	struct prog_load_attr attr;
	static struct map_spec maps[MAX_MAPS];
	int fds[MAX_MAPS], nmaps = 0, fd, err;
	char *line = NULL, license[128] = "GPL", name[16] = "";
	size_t cap = 0, insn_len = 0;
	unsigned char *insns = NULL;
	uint32_t log_size = FIRST_LOG;
	int fixed_log_size = 0;
	char *log = NULL;

	memset(&attr, 0, sizeof(attr));
	attr.log_level = 1;
	while (getline(&line, &cap, stdin) > 0) {
		char key[32];
		int off = 0;

		line[strcspn(line, "\n")] = 0;
		if (sscanf(line, "%31s %n", key, &off) != 1)
			continue;
		char *rest = line + off;

		if (!strcmp(key, "prog_type"))
			attr.prog_type = strtoul(rest, NULL, 0);
		else if (!strcmp(key, "expected_attach_type"))
			attr.expected_attach_type = strtoul(rest, NULL, 0);
		else if (!strcmp(key, "log_level"))
			attr.log_level = strtoul(rest, NULL, 0);
		else if (!strcmp(key, "prog_flags"))
			attr.prog_flags = strtoul(rest, NULL, 0);
		else if (!strcmp(key, "attach_btf_id"))
			attr.attach_btf_id = strtoul(rest, NULL, 0);
		else if (!strcmp(key, "log_size")) {
			log_size = strtoul(rest, NULL, 0);
			fixed_log_size = 1;
		} else if (!strcmp(key, "kern_version"))
			attr.kern_version = strtoul(rest, NULL, 0);
		else if (!strcmp(key, "license"))
			snprintf(license, sizeof(license), "%s", rest);
		else if (!strcmp(key, "name"))
			snprintf(name, sizeof(name), "%s", rest);
		else if (!strcmp(key, "insns"))
			insn_len = parse_hex(rest, &insns);
		else if (!strcmp(key, "map") && nmaps < MAX_MAPS) {
			struct map_spec *m = &maps[nmaps++];
			unsigned long long extra = 0;
			char *p;
			int n = 0;

			if (sscanf(rest, "%u %u %u %u %u %llu %d %n", &m->type, &m->key_size, &m->value_size,
				   &m->max_entries, &m->flags, &extra, &m->frozen, &n) < 7)
				return setup_error("bad map line", EINVAL);
			m->map_extra = extra;
			p = rest + n;
			if (!strncmp(p, "inner ", 6)) {
				n = 0;
				if (sscanf(p + 6, "%u %u %u %u %u %llu %n", &m->inner[0], &m->inner[1], &m->inner[2],
					   &m->inner[3], &m->inner[4], &extra, &n) < 6)
					return setup_error("bad inner map", EINVAL);
				m->has_inner = 1;
				m->inner_extra = extra;
				p += 6 + n;
			}
			if (!strncmp(p, "value ", 6))
				m->value_len = parse_hex(p + 6, &m->value);
		}
	}
	for (int i = 0; i < nmaps; i++) {
		fds[i] = make_map(&maps[i]);
		if (fds[i] < 0) {
			char stage[64];

			snprintf(stage, sizeof(stage), "map %d", i);
			return setup_error(stage, errno);
		}
	}
	/* imm of the fd forms names a map by index too, so hand-assembled programs need no fds */
	for (size_t i = 0; i + 16 <= insn_len; i += 8) {
		struct bpf_insn *insn = (struct bpf_insn *)(insns + i);

		if (insn->code != (BPF_LD | BPF_IMM | BPF_DW))
			continue;
		if ((insn->src_reg == BPF_PSEUDO_MAP_FD || insn->src_reg == BPF_PSEUDO_MAP_VALUE) && insn->imm >= 0 &&
		    insn->imm < nmaps)
			insn->imm = fds[insn->imm];
		i += 8;
	}
	attr.insns = (uint64_t)(uintptr_t)insns;
	attr.insn_cnt = insn_len / 8;
	attr.license = (uint64_t)(uintptr_t)license;
	memcpy(attr.prog_name, name, sizeof(attr.prog_name));
	attr.fd_array = nmaps ? (uint64_t)(uintptr_t)fds : 0;
	for (;;) {
		free(log);
		log = calloc(1, log_size);
		if (!log)
			abort();
		attr.log_buf = attr.log_level ? (uint64_t)(uintptr_t)log : 0;
		attr.log_size = attr.log_level ? log_size : 0;
		attr.log_true_size = 0;
		fd = sys_bpf(BPF_PROG_LOAD, &attr, sizeof(attr));
		err = fd < 0 ? errno : 0;
		/* a log cut short makes even a good program fail with ENOSPC: retry with room for all of it */
		if (err == ENOSPC && !fixed_log_size && attr.log_true_size > log_size && attr.log_true_size < MAX_LOG) {
			log_size = attr.log_true_size + 1;
			continue;
		}
		break;
	}
	printf("{\"verdict\":\"%s\",\"errno\":%d,\"log_true_size\":%u,\"log\":", fd >= 0 ? "accepted" : "rejected", err,
	       attr.log_true_size);
	json_cstring(stdout, log);
	printf("}\n");
	return 0;
}

/* libbpf's warnings for the program being loaded (debug output left out) */
static char *libbpf_msgs;
static size_t libbpf_len, libbpf_cap;

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
	if (libbpf_len + n + 1 > libbpf_cap) {
		libbpf_cap = (libbpf_len + n + 1) * 2;
		libbpf_msgs = realloc(libbpf_msgs, libbpf_cap);
		if (!libbpf_msgs)
			abort();
	}
	vsnprintf(libbpf_msgs + libbpf_len, n + 1, fmt, ap);
	libbpf_len += n;
	return n;
}

static void remove_pins(const char *dir)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
}

static int wanted(const char *name, int argc, char **argv)
{
	if (argc == 0)
		return 1;
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], name))
			return 1;
	return 0;
}

static void print_program(FILE *out, struct bpf_program *prog, int autoload, int err, const char *log)
{
	fprintf(out, "{\"name\":");
	json_cstring(out, bpf_program__name(prog));
	fprintf(out, ",\"section\":");
	json_cstring(out, bpf_program__section_name(prog));
	fprintf(out, ",\"prog_type\":%d,\"expected_attach_type\":%d,\"autoload\":%s,\"verdict\":\"%s\",\"errno\":%d,",
		bpf_program__type(prog), bpf_program__expected_attach_type(prog), autoload ? "true" : "false",
		err ? "rejected" : "accepted", err < 0 ? -err : err);
	fprintf(out, "\"insns\":");
	json_hex(out, bpf_program__insns(prog), bpf_program__insn_cnt(prog) * sizeof(struct bpf_insn));
	fprintf(out, ",\"log\":");
	json_cstring(out, log);
	fprintf(out, ",\"libbpf\":");
	json_string(out, libbpf_msgs ? libbpf_msgs : "", libbpf_len);
	fprintf(out, "}");
}

/* Map types a user without capabilities may create (map_create's checks, as the selftests'
 * test_loader lists them); a hash map with BPF_F_ZERO_SEED needs CAP_BPF. */
static int unprivileged_map(struct bpf_map *map)
{
	switch (bpf_map__type(map)) {
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_HASH_OF_MAPS:
		return !(bpf_map__map_flags(map) & BPF_F_ZERO_SEED);
	case BPF_MAP_TYPE_ARRAY:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
	case BPF_MAP_TYPE_ARRAY_OF_MAPS:
	case BPF_MAP_TYPE_PROG_ARRAY:
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
	case BPF_MAP_TYPE_CGROUP_ARRAY:
	case BPF_MAP_TYPE_CGROUP_STORAGE:
	case BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE:
	case BPF_MAP_TYPE_RINGBUF:
	case BPF_MAP_TYPE_USER_RINGBUF:
		return 1;
	default:
		return 0;
	}
}

static struct bpf_object *open_object(const char *path, char *pins)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = pins[0] ? pins : NULL);
	struct bpf_object *obj;
	struct bpf_map *map;

	libbpf_len = 0;
	if (libbpf_msgs)
		libbpf_msgs[0] = 0;
	obj = bpf_object__open_file(path, &opts);
	/* run without capabilities (the @unpriv runs): maps only a privileged user may create are
	 * left out, as the selftests' test_loader does, instead of failing every program */
	if (obj && geteuid() != 0)
		bpf_object__for_each_map(map, obj)
			bpf_map__set_autocreate(map, unprivileged_map(map));
	return obj;
}

static void fresh_pins(char *pins)
{
	if (pins[0]) {
		remove_pins(pins);
		if (mkdir(pins, 0700) != 0)
			pins[0] = 0;
	}
}

/* Loads program number `index` of `path` alone and returns its JSON object. */
static char *load_one(const char *path, char *pins, int index, uint32_t log_level, uint32_t flags)
{
	size_t log_size = FIRST_LOG, len = 0;
	char *log = NULL, *json = NULL, *slot;
	FILE *out = open_memstream(&json, &len);
	/* programs a prog_array's initial slots name: libbpf fails the load unless they load too */
	char slot_progs[MAX_SLOT_PROGS][128];
	int nslot = 0;

	for (;;) {
		struct bpf_program *prog, *target = NULL;
		struct bpf_object *obj = open_object(path, pins);
		int i = 0, err, autoload;

		if (!obj) {
			fprintf(out, "{\"name\":null,\"verdict\":\"setup_error\",\"errno\":%d,\"libbpf\":", errno);
			json_string(out, libbpf_msgs ? libbpf_msgs : "", libbpf_len);
			fprintf(out, "}");
			break;
		}
		bpf_object__for_each_program(prog, obj) {
			int keep = 0;

			for (int k = 0; k < nslot; k++)
				keep |= !strcmp(slot_progs[k], bpf_program__name(prog));
			if (i++ == index)
				target = prog;
			else if (!keep)
				bpf_program__set_autoload(prog, false);
		}
		autoload = bpf_program__autoload(target);
		free(log);
		log = calloc(1, log_size);
		if (!log)
			abort();
		bpf_program__set_autoload(target, true);
		bpf_program__set_log_level(target, log_level);
		bpf_program__set_log_buf(target, log, log_size);
		if (flags)
			bpf_program__set_flags(target, bpf_program__flags(target) | flags);
		err = bpf_object__load(obj);
		/* libbpf keeps a caller's buffer as it is, and a full one fails even a good program */
		if (err == -ENOSPC && log_size < MAX_LOG && strlen(log) + 2 >= log_size) {
			log_size *= 4;
			bpf_object__close(obj);
			fresh_pins(pins);
			continue;
		}
		slot = libbpf_msgs ? strstr(libbpf_msgs, "failed to initialize slot [") : NULL;
		slot = slot ? strstr(slot, "to prog '") : NULL;
		if (err == -EBADF && slot && nslot < MAX_SLOT_PROGS) {
			char *end = strchr(slot + 9, '\'');

			snprintf(slot_progs[nslot++], sizeof(slot_progs[0]), "%.*s", end ? (int)(end - slot - 9) : 0, slot + 9);
			bpf_object__close(obj);
			fresh_pins(pins);
			continue;
		}
		print_program(out, target, autoload, err, log);
		bpf_object__close(obj);
		break;
	}
	fresh_pins(pins);
	free(log);
	fclose(out);
	return json;
}

/* Loads every autoloaded program of the object together, as libbpf users do (a prog_array's
 * initial slots need the programs they name); fills json[i] for each when that succeeds. */
static int load_all(const char *path, char *pins, int count, uint32_t log_level, uint32_t flags, char **json)
{
	struct bpf_object *obj = open_object(path, pins);
	struct bpf_program *prog;
	char **logs = calloc(count, sizeof(*logs));
	int *autoload = calloc(count, sizeof(*autoload));
	int i = 0, err;

	if (!obj)
		return -1;
	bpf_object__for_each_program(prog, obj) {
		autoload[i] = bpf_program__autoload(prog);
		logs[i] = calloc(1, FIRST_LOG);
		bpf_program__set_log_level(prog, log_level);
		bpf_program__set_log_buf(prog, logs[i], FIRST_LOG);
		if (flags)
			bpf_program__set_flags(prog, bpf_program__flags(prog) | flags);
		i++;
	}
	err = bpf_object__load(obj);
	i = 0;
	bpf_object__for_each_program(prog, obj) {
		if (!err && autoload[i]) {
			size_t len = 0;
			FILE *out = open_memstream(&json[i], &len);

			print_program(out, prog, 1, 0, logs[i]);
			fclose(out);
		}
		free(logs[i]);
		i++;
	}
	bpf_object__close(obj);
	fresh_pins(pins);
	free(logs);
	free(autoload);
	return err;
}

static int object_mode(int argc, char **argv)
{
	const char *path = argv[0];
	uint32_t log_level = argc > 1 ? strtoul(argv[1], NULL, 0) : 1;
	uint32_t flags = argc > 2 ? strtoul(argv[2], NULL, 0) : 0;
	char pins[] = "/sys/fs/bpf/bpf4j_kv_XXXXXX";
	struct bpf_object *obj;
	struct bpf_program *prog;
	int count = 0, first = 1;
	char **names, **json;

	libbpf_set_print(capture);
	if (!mkdtemp(pins))
		pins[0] = 0;
	printf("{\"file\":");
	json_cstring(stdout, path);
	obj = open_object(path, pins);
	if (!obj) {
		const char *why = libbpf_len ? libbpf_msgs : strerror(errno);

		printf(",\"open_error\":");
		json_string(stdout, why, strlen(why));
		printf(",\"programs\":[]}\n");
		if (pins[0])
			remove_pins(pins);
		return 0;
	}
	bpf_object__for_each_program(prog, obj)
		count++;
	names = calloc(count + 1, sizeof(*names));
	json = calloc(count + 1, sizeof(*json));
	count = 0;
	bpf_object__for_each_program(prog, obj)
		names[count++] = strdup(bpf_program__name(prog));
	bpf_object__close(obj);
	if (argc <= 3)
		load_all(path, pins, count, log_level, flags, json);
	printf(",\"open_error\":null,\"programs\":[");
	for (int i = 0; i < count; i++) {
		if (!wanted(names[i], argc > 3 ? argc - 3 : 0, argv + 3))
			continue;
		if (!json[i])
			json[i] = load_one(path, pins, i, log_level, flags);
		printf("%s\n%s", first ? "" : ",", json[i]);
		first = 0;
		fflush(stdout);
	}
	printf("\n]}\n");
	if (pins[0])
		remove_pins(pins);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "raw"))
		return raw_mode();
	if (argc >= 3 && !strcmp(argv[1], "object"))
		return object_mode(argc - 2, argv + 2);
	fprintf(stderr, "usage: %s raw < SPEC | %s object OBJECT [LOG_LEVEL [PROG_FLAGS [PROGRAM...]]]\n", argv[0],
		argv[0]);
	return 2;
}
