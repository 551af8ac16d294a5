/* CO-RE relocation forms the testdata corpus lacks, for llvm-objdump's "CO-RE" lines:
 * array subscripts, nested anonymous unions and structs, typedef'd and const roots,
 * pointer and int roots, enum64 and signed/unsigned enumerators, type ids, type_matches,
 * bitfields. Built by build.sh; not loaded anywhere. */
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct inner {
	int a;
	int b;
};

struct outer {
	long head;
	struct inner arr[4];
	union {
		struct {
			int x;
			int y;
		};
		long both;
	};
	struct inner matrix[2][3];
	unsigned int flags : 3;
	int level : 5;
	const volatile int cv;
} __attribute__((preserve_access_index));

typedef struct outer outer_t;
typedef struct inner inner_alias;

union choice {
	int i;
	struct inner in;
} __attribute__((preserve_access_index));

enum small_signed { SS_NEG = -5, SS_POS = 7 };
enum small_unsigned { SU_ZERO, SU_MAX = 0xffffffffu };
enum wide { W_LOW = 1, W_HIGH = 0x123456789aULL, W_TOP = 0xfffffffffffffff0ULL };
enum wide_signed { WS_NEG = -0x100000000LL, WS_POS = 3 };
typedef enum wide wide_t;

struct only_declared;

char LICENSE[] SEC("license") = "GPL";

__u64 sink;
/* Only here so the BTF has a TYPE_TAG for mutate.py to point a record at. */
int __attribute__((btf_type_tag("user"))) *tagged;

SEC("tp/core_forms")
int forms(void *ctx)
{
	struct outer *o = ctx;
	outer_t *t = ctx;
	union choice *c = ctx;
	const struct outer *k = ctx;
	__u64 acc = 0;

	acc += BPF_CORE_READ(o, arr[2].b);
	acc += BPF_CORE_READ(o, y);
	acc += BPF_CORE_READ(o, both);
	acc += BPF_CORE_READ(o, matrix[1][2].a);
	acc += BPF_CORE_READ(t, head);
	acc += BPF_CORE_READ(c, in.b);
	acc += BPF_CORE_READ(k, cv);
	acc += BPF_CORE_READ_BITFIELD_PROBED(o, flags);
	acc += BPF_CORE_READ_BITFIELD_PROBED(o, level);
	acc += bpf_core_field_exists(o[1].arr[3]);
	acc += bpf_core_field_size(o->matrix[1]);
	acc += bpf_core_field_offset(o->matrix[1][0]);
	acc += bpf_core_type_id_local(struct outer);
	acc += bpf_core_type_id_kernel(outer_t);
	acc += bpf_core_type_id_local(inner_alias);
	acc += bpf_core_type_id_local(int);
	acc += bpf_core_type_id_local(struct inner *);
	acc += bpf_core_type_id_local(const volatile struct inner);
	acc += bpf_core_type_exists(union choice);
	acc += bpf_core_type_exists(struct only_declared);
	acc += bpf_core_type_matches(struct inner);
	acc += bpf_core_type_matches(outer_t);
	acc += bpf_core_type_size(enum wide);
	acc += bpf_core_enum_value_exists(enum small_signed, SS_NEG);
	acc += bpf_core_enum_value(enum small_signed, SS_NEG);
	acc += bpf_core_enum_value(enum small_unsigned, SU_MAX);
	acc += bpf_core_enum_value(enum wide, W_HIGH);
	acc += bpf_core_enum_value(enum wide, W_TOP);
	acc += bpf_core_enum_value(wide_t, W_LOW);
	acc += bpf_core_enum_value(enum wide_signed, WS_NEG);
	acc += bpf_core_enum_value_exists(enum wide_signed, WS_POS);
	sink = acc;
	return 0;
}
