/* Built with: clang-19 -g -O2 -target bpf -c warnings.c -o warnings.o. A legacy "maps" section and two programs
 * written in assembly (no .BTF.ext func or line info) beside one in C: five distinct warnings. */
struct bpf_map_def { unsigned int type, key_size, value_size, max_entries, map_flags; };
struct bpf_map_def __attribute__((section("maps"), used)) legacy = { 2, 4, 8, 4, 0 };

__attribute__((section("socket"), used)) int c_prog(void *ctx) { return 1; }

asm(".pushsection socket_asm,\"ax\",@progbits\n"
    ".globl asm_prog\n"
    ".type asm_prog,@function\n"
    "asm_prog:\n"
    "  r0 = 0\n"
    "  exit\n"
    ".size asm_prog, .-asm_prog\n"
    ".popsection\n");
asm(".pushsection xdp_asm,\"ax\",@progbits\n"
    ".globl asm_xdp\n"
    ".type asm_xdp,@function\n"
    "asm_xdp:\n"
    "  r0 = 2\n"
    "  exit\n"
    ".size asm_xdp, .-asm_xdp\n"
    ".popsection\n");
char _license[] __attribute__((section("license"), used)) = "GPL";
