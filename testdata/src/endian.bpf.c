// SPDX-License-Identifier: GPL-2.0
/* Byte order: bpf_htons/htonl/cpu_to_be64 and friends become BPF_END to-be/to-le
 * instructions (a no-op direction on one byte order, a swap on the other), loads of
 * multi-byte globals whose bytes the loader must place in the object's byte order, and
 * byte-wise inspection of a known integer. Self-checking on either byte order.
 * bpf4j-cpu: v1 v2 v3 v4
 * bpf4j-endian: el eb */
#include "bpf4j_test.h"
#include <bpf/bpf_endian.h>

__u32 magic = 0x11223344;
__u64 magic64 = 0x0102030405060708ULL;
__u8 bytes[4] = { 0x11, 0x22, 0x33, 0x44 };

SEC("syscall")
int endian_check(void *ctx)
{
	__u32 v = OPAQUE(0x11223344u);
	__u8 *p = (__u8 *)&magic;

	CHECK(bpf_ntohl(bpf_htonl(v)) == v);
	CHECK(bpf_ntohs(bpf_htons((__u16)v)) == 0x3344);
	CHECK(bpf_be64_to_cpu(bpf_cpu_to_be64(magic64)) == magic64);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	CHECK(bpf_htonl(v) == 0x44332211);
	CHECK(p[OPAQUE(0)] == 0x44);
	CHECK(*(__u32 *)bytes == 0x44332211);
#else
	CHECK(bpf_htonl(v) == 0x11223344);
	CHECK(p[OPAQUE(0)] == 0x11);
	CHECK(*(__u32 *)bytes == 0x11223344);
#endif
	CHECK(__builtin_bswap32(v) == 0x44332211);
	CHECK(__builtin_bswap16((__u16)v) == 0x4433);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
