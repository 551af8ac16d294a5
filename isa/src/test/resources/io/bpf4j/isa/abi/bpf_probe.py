# Asks the running kernel about BPF programs through the bpf(2) system call (BPF_PROG_LOAD).
# Used by io.bpf4j.loader.KernelProfiles.probe() and by kernel-tagged tests; needs root.
# Reads requests from stdin, one per line, writes one JSON object per request to stdout:
#   load <prog_type> <attach_type> <prog_flags> <attach_btf_id> <log_level> <hex instructions>
#        -> {"ok": bool, "errno": int, "log": str}
#   helpers <prog_type> <attach_type> <prog_flags> <attach_btf_id> <max_id>
#        -> {"ok": bool, "errno": int, "allowed": [ids], "log": str}
#      a helper is allowed unless the verifier says the program type cannot use it (or does not
#      know it); "ok" is false when the program type itself cannot be loaded (then "log" says why).
import ctypes, json, os, platform, struct, sys

SYS_BPF = {"x86_64": 321, "aarch64": 280, "riscv64": 280, "s390x": 351, "ppc64le": 361}.get(platform.machine(), 321)
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long

def load(ptype, insns, attach, flags, btf_id, log_level):
    ib = ctypes.create_string_buffer(insns, len(insns))
    lb = ctypes.create_string_buffer(1 << 20)
    lic = ctypes.create_string_buffer(b"GPL")
    attr = bytearray(160)
    struct.pack_into("<IIQQIIQ", attr, 0, ptype, len(insns) // 8, ctypes.addressof(ib), ctypes.addressof(lic),
                     log_level, len(lb) if log_level else 0, ctypes.addressof(lb) if log_level else 0)
    struct.pack_into("<I", attr, 44, flags)
    struct.pack_into("<I", attr, 68, attach)
    struct.pack_into("<I", attr, 108, btf_id)
    buf = (ctypes.c_char * len(attr)).from_buffer(attr)
    fd = libc.syscall(SYS_BPF, 5, buf, len(attr))
    err = ctypes.get_errno()
    if fd >= 0:
        os.close(fd)
    return fd >= 0, (0 if fd >= 0 else err), lb.value.decode("utf-8", "replace") if log_level else ""

def insn(code, dst=0, src=0, off=0, imm=0):
    return struct.pack("<BBhi", code, (src << 4) | dst, off, imm)

REFUSED = ("cannot use helper", "unknown func", "invalid func")

def helpers(ptype, attach, flags, btf_id, max_id):
    allowed, first_err = [], None
    for hid in range(1, max_id + 1):
        prog = insn(0x85, imm=hid) + insn(0xb7) + insn(0x95)
        ok, err, log = load(ptype, prog, attach, flags, btf_id, 1)
        if any(r in log for r in REFUSED):
            continue
        if not ok and not log.strip():
            first_err = first_err or (err, log)
            continue
        if not ok and "processed 0 insns" in log and "call" not in log:
            first_err = first_err or (err, log)
            continue
        allowed.append(hid)
    if not allowed and first_err:
        return {"ok": False, "errno": first_err[0], "allowed": [], "log": first_err[1]}
    return {"ok": True, "errno": 0, "allowed": allowed, "log": ""}

for line in sys.stdin:
    f = line.split()
    if not f:
        continue
    try:
        if f[0] == "load":
            ok, err, log = load(int(f[1]), bytes.fromhex(f[6] if len(f) > 6 else ""), int(f[2]), int(f[3]),
                                int(f[4]), int(f[5]))
            out = {"ok": ok, "errno": err, "log": log}
        elif f[0] == "helpers":
            out = helpers(int(f[1]), int(f[2]), int(f[3]), int(f[4]), int(f[5]))
        else:
            out = {"ok": False, "errno": 22, "log": "unknown request " + f[0]}
    except Exception as e:  # report, keep serving
        out = {"ok": False, "errno": 22, "log": "probe error: %r" % (e,)}
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
