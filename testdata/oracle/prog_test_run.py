#!/usr/bin/env python3
"""BPF_PROG_TEST_RUN with a context only, for the program types bpftool cannot run
(it always passes ctx_out, which syscall and raw tracepoint programs refuse).

usage: prog_test_run.py PINNED_PROG CTX_HEX FLAGS CPU
prints: "<retval> <errno> <ctx_in after the run, hex>" (errno 0 on success)
"""
import ctypes
import struct
import sys

SYS_BPF = 321  # x86-64
BPF_OBJ_GET = 7
BPF_PROG_TEST_RUN = 10
ATTR_SIZE = 160

libc = ctypes.CDLL(None, use_errno=True)


def bpf(cmd, attr):
    buf = ctypes.create_string_buffer(attr.ljust(ATTR_SIZE, b"\0"), ATTR_SIZE)
    ret = libc.syscall(SYS_BPF, cmd, buf, ATTR_SIZE)
    return ret, (ctypes.get_errno() if ret < 0 else 0), buf.raw


def main():
    path, ctx_hex, flags, cpu = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    name = ctypes.create_string_buffer(path.encode() + b"\0")
    fd, err, _ = bpf(BPF_OBJ_GET, struct.pack("<QII", ctypes.addressof(name), 0, 0))
    if fd < 0:
        sys.exit("BPF_OBJ_GET %s: errno %d" % (path, err))
    ctx = bytes.fromhex(ctx_hex)
    ctx_buf = ctypes.create_string_buffer(ctx, max(1, len(ctx)))
    ctx_ptr = ctypes.addressof(ctx_buf) if ctx else 0
    # union bpf_attr.test: prog_fd, retval, data_size_in, data_size_out, data_in, data_out, repeat,
    # duration, ctx_size_in, ctx_size_out, ctx_in, ctx_out, flags, cpu, batch_size
    attr = struct.pack("<IIIIQQIIIIQQIII", fd, 0, 0, 0, 0, 0, 0, 0, len(ctx), 0, ctx_ptr, 0, flags, cpu, 0)
    ret, err, out = bpf(BPF_PROG_TEST_RUN, attr)
    retval = struct.unpack_from("<I", out, 4)[0]
    print(retval, err, ctx_buf.raw[:len(ctx)].hex())


if __name__ == "__main__":
    main()
