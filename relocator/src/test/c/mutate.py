#!/usr/bin/env python3
"""Writes small ELF mutations of reloc_rich.el.o into ../resources/objects/bad/: each breaks
one rule libbpf checks at open, so libbpf's own message can be captured for it."""
import os
import struct

here = os.path.dirname(os.path.abspath(__file__))
objects = os.path.join(here, "..", "resources", "objects")
src = open(os.path.join(objects, "reloc_rich.el.o"), "rb").read()


def sections(b):
    shoff, = struct.unpack_from("<Q", b, 0x28)
    shnum, shstrndx = struct.unpack_from("<HH", b, 0x3c)
    out = []
    for i in range(shnum):
        name, typ, flags, addr, off, size, link, info, align, entsize = struct.unpack_from("<IIQQQQIIQQ", b, shoff + 64 * i)
        out.append(dict(idx=i, name_off=name, type=typ, off=off, size=size, link=link, info=info, hdr=shoff + 64 * i))
    strtab = out[shstrndx]
    for s in out:
        end = b.index(b"\0", strtab["off"] + s["name_off"])
        s["name"] = b[strtab["off"] + s["name_off"]:end].decode()
    return out


def symbols(b, secs):
    symtab = next(s for s in secs if s["type"] == 2)
    strs = secs[symtab["link"]]
    out = []
    for i in range(symtab["size"] // 24):
        at = symtab["off"] + 24 * i
        name, info, other, shndx, value, size = struct.unpack_from("<IBBHQQ", b, at)
        end = b.index(b"\0", strs["off"] + name)
        out.append(dict(idx=i, at=at, name=b[strs["off"] + name:end].decode(), info=info, shndx=shndx, value=value, size=size))
    return out


def rels(b, secs, target):
    t = next(s for s in secs if s["name"] == target)
    r = next(s for s in secs if s["type"] == 9 and s["info"] == t["idx"])
    out = []
    for i in range(r["size"] // 16):
        off, info = struct.unpack_from("<QQ", b, r["off"] + 16 * i)
        out.append(dict(at=r["off"] + 16 * i, offset=off, sym=info >> 32))
    return t, out


def write(name, data):
    with open(os.path.join(objects, "bad", name), "wb") as f:
        f.write(data)


secs = sections(src)
syms = symbols(src, secs)
by_name = {s["name"]: s for s in syms}

# a map relocation on an instruction that is neither call nor ld_imm64
b = bytearray(src)
sock, rs = rels(src, secs, "socket")
r = next(r for r in rs if syms[r["sym"]]["name"] == "in1")
b[sock["off"] + r["offset"]] = 0xb7
write("mut_relo_insn.el.o", b)

# a program symbol whose size is not a multiple of 8
b = bytearray(src)
kp = by_name["kp"]
struct.pack_into("<Q", b, kp["at"] + 16, kp["size"] - 4)
write("mut_prog_size.el.o", b)

# a relocation offset that is not a multiple of 8
b = bytearray(src)
xdp, rs = rels(src, secs, "xdp")
struct.pack_into("<Q", b, rs[0]["at"], 3)
write("mut_relo_offset.el.o", b)

# a BPF-to-BPF call whose src_reg is not BPF_PSEUDO_CALL
b = bytearray(src)
sock, rs = rels(src, secs, "socket")
r = next(r for r in rs if syms[r["sym"]]["name"] == "global_helper")
b[sock["off"] + r["offset"] + 1] &= 0x0f
write("mut_call_src.el.o", b)

# an entry program made static
b = bytearray(src)
x = by_name["xdp_prog"]
b[x["at"] + 4] = (0 << 4) | (x["info"] & 0xf)
write("mut_static_prog.el.o", b)
