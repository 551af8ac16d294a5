/* Built with: clang-19 -g -O2 -target bpf -c kinds.c -o kinds.o. Every BTF kind bpftool dumps, bitfields,
 * ENUM64, signed and top-bit-set unsigned enumerators, type and decl tags. */
enum e64 { BIG = 0xffffffffffffff00ULL, SMALL = 1 };
enum sen { NEG = -5, POS = 3 };
enum u32e { TOP = 0xfffffff0u };
struct bits { int a:3; unsigned b:13; long c; float f; double d; _Bool ok; char ch; };
union u { int x; struct bits b; };
int __attribute__((btf_decl_tag("tagged"))) g;
struct tt { int __attribute__((btf_type_tag("user"))) *p; };
struct fwdonly; union fwdu;
struct holder { struct fwdonly *s; union fwdu *uu; enum e64 e; enum sen s2; enum u32e u3; union u un; struct tt t; volatile const int * restrict r; };
struct holder h __attribute__((section(".data"), used));
int __attribute__((section("socket"), used)) prog(void *ctx) { return h.e == BIG; }
char _license[] __attribute__((section("license"), used)) = "GPL";
