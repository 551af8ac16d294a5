/* BTF of the kinds the testdata corpus lacks: FLOAT, DECL_TAG (on a struct, a function and a
 * parameter), TYPE_TAG, ENUM64 (signed and unsigned), RESTRICT, extern FUNC/VAR, bitfields, FWD
 * union, __int128 and _Bool; plus CO-RE relocations of several kinds. Built by
 * elf/tools/gen_btf_kinds.sh; never loaded. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#define __tag(x) __attribute__((btf_decl_tag(x)))
#define __ttag(x) __attribute__((btf_type_tag(x)))

struct fwd_s;
union fwd_u;
struct bits { unsigned int a:3; int b:5; long long c; char d[4]; union { int x; float y; } u; struct fwd_s *fs; union fwd_u *fu; } __tag("struct_tag");
enum signed_e { NEG = -5, POS = 7 };
enum unsigned_e { UA = 1, UB = 0xffffffff };
enum big_e { BIG = 0x123456789abcdefULL, SMALL = 1 };
enum neg64 { N64 = -0x100000000LL };
typedef volatile const int cvi;
struct task_struct { int pid; int tgid; } __attribute__((preserve_access_index));

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, int);
	__type(value, struct bits);
} hmap SEC(".maps");

int global_data = 3;
static volatile int static_data = 4;
const volatile double ro_d = 1.5;
char buf[64];
long double ld;
int __ttag("user") *tagged_ptr;
extern int CONFIG_HZ __kconfig;
extern int bpf_ksym_fn(int) __ksym;
extern const void bpf_prog_active __ksym;
enum signed_e se; enum unsigned_e ue; enum big_e be; enum neg64 n64; cvi cv;
__int128 i128; _Bool bb; unsigned char uc; signed char sc; short sh;

static __noinline int helper(int *restrict p, int y __tag("param_tag")) { return *p + y + static_data; }
__noinline int global_fn(struct bits *b) __tag("fn_tag");
extern int varfn(int, ...) __ksym;
__noinline int global_fn(struct bits *b) { return b ? b->b : 0; }

SEC("xdp")
int prog(struct xdp_md *ctx)
{
	struct bits *b; int k = 0; int v = CONFIG_HZ;
	struct task_struct *t = (void *)ctx;
	b = bpf_map_lookup_elem(&hmap, &k);
	if (!b) return 0;
	v += BPF_CORE_READ(t, tgid);
	v += bpf_core_field_exists(t->pid) + bpf_core_type_exists(struct task_struct) + bpf_core_enum_value_exists(enum signed_e, NEG);
	v += bpf_core_type_size(struct task_struct) + bpf_core_field_size(t->tgid);
	buf[3] = 1; *(volatile long*)&ld = 0; *(volatile long *)&ro_d;
	return helper(&v, global_data) + global_fn(b) + (int)sizeof(ro_d) + se + ue + be + n64 + cv + (int)i128 + bb + uc + sc + sh + *tagged_ptr + bpf_ksym_fn(1) + (&varfn ? 1 : 0) + (long)&bpf_prog_active;
}
char _license[] SEC("license") = "GPL";
