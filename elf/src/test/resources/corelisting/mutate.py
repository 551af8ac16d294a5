#!/usr/bin/env python3
"""Writes a copy of a core_forms object whose .BTF.ext CO-RE records and access strings are
damaged in the ways llvm-objdump's CO-RE printer reports (bad spec strings, out-of-range
members and enumerators, wrong root kinds, modifier and void roots), plus records that share an
offset, sit inside an ld_imm64, or share an instruction with an R_BPF relocation.

usage: mutate.py IN.o OUT.o      (either byte order; sizes and offsets are left as they are)
"""
import struct
import sys


def sections(elf):
    endian = '<' if elf[5] == 1 else '>'
    shoff, = struct.unpack_from(endian + 'Q', elf, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from(endian + 'HHH', elf, 0x3a)
    heads = []
    for i in range(shnum):
        name, _, _, _, off, size = struct.unpack_from(endian + 'IIQQQQ', elf, shoff + i * shentsize)
        heads.append((name, off, size))
    strtab = heads[shstrndx][1]
    out = {}
    for name, off, size in heads:
        end = elf.index(b'\0', strtab + name)
        out[elf[strtab + name:end].decode()] = (off, size)
    return endian, out


def main(src, dst):
    elf = bytearray(open(src, 'rb').read())
    e, secs = sections(elf)
    btf, _ = secs['.BTF']
    hdr_len, type_off, type_len, str_off, str_len = struct.unpack_from(e + 'IIIII', elf, btf + 4)
    strings = btf + hdr_len + str_off

    def string_at(off):
        return elf[strings + off:elf.index(b'\0', strings + off)].decode()

    def find_string(text):
        needle = b'\0' + text.encode() + b'\0'
        return elf.index(needle, strings - 1, strings + str_len) + 1 - strings

    def set_string(text, new):
        assert len(new) <= len(text)
        at = strings + find_string(text)
        elf[at:at + len(text)] = new.encode() + b'\0' * (len(text) - len(new))

    ext, _ = secs['.BTF.ext']
    ext_hdr, = struct.unpack_from(e + 'I', elf, ext + 4)
    relo_off, relo_len = struct.unpack_from(e + 'II', elf, ext + 24)
    p = ext + ext_hdr + relo_off
    rec_size, = struct.unpack_from(e + 'I', elf, p)
    p += 4
    sec_name, count = struct.unpack_from(e + 'II', elf, p)
    assert string_at(sec_name) == 'tp/core_forms'
    records = [p + 8 + i * rec_size for i in range(count)]

    def get(i):
        return list(struct.unpack_from(e + 'IIII', elf, records[i]))

    def put(i, insn=None, type_id=None, spec=None):
        r = get(i)
        if insn is not None:
            r[0] = insn
        if type_id is not None:
            r[1] = type_id
        if spec is not None:
            r[2] = spec
        struct.pack_into(e + 'IIII', elf, records[i], *r)

    def where(kind, spec):
        for i in range(count):
            r = get(i)
            if r[3] == kind and string_at(r[2]) == spec:
                return i
        raise KeyError((kind, spec))

    # Access strings, edited in place (every record using one sees the change).
    set_string('0:1:2:1', '0:1:2:7')      # member 7 of struct inner: out of range
    set_string('0:2:0:1', '0:2;0:1')      # bad delimiter
    set_string('0:2:1', '0:a:1')          # not a number
    set_string('0:3:1:2:0', '0:0:1:2:0')  # subscript on a long
    set_string('0:3:1', '0:3:')           # trailing colon: accepted
    set_string('0:6', '5')                # a lone first index

    empty = 0
    kinds = {}
    for i in range(count):
        kinds.setdefault(get(i)[3], []).append(i)
    tag = next(i for i in range(1, 1000) if type_kind(elf, e, btf, hdr_len, type_off, type_len, i) == 18)
    put(where(0, '5'), type_id=15)                       # field of a const volatile int root
    put(where(0, '0:0'), spec=find_string('outer'))      # spec is a name
    put(where(1, '0:5'), spec=empty)                     # empty field spec
    put(kinds[9][0], type_id=15)                         # type_size of const volatile int
    put(kinds[6][0], type_id=0)                          # void
    put(kinds[6][-1], type_id=tag)                       # type_tag("user") int
    put(kinds[8][0], spec=empty)                         # type kind, empty spec
    put(kinds[12][0], spec=find_string('1'))             # type kind, spec not '0'
    enumvals = kinds[11]
    put(enumvals[0], type_id=5)                          # enumerator of a struct
    put(enumvals[1], spec=find_string('0:1:2:7'))        # enumerator spec of four numbers
    put(enumvals[2], spec=find_string('0:2;0:1'))        # bad delimiter in an enumerator spec
    put(enumvals[3], spec=find_string('5'))              # index 5 of a 3-value enum64
    put(kinds[10][0], spec=find_string('1'))             # SS_POS instead of SS_NEG
    # Placement: a second record at an instruction (not printed: one line per address), one
    # inside an ld_imm64 (not printed), one on the instruction an R_BPF relocation patches
    # (printed before the relocation line).
    byte_sz = kinds[1]
    put(byte_sz[0], insn=get(byte_sz[0] - 1)[0])
    put(kinds[7][0], insn=get(kinds[7][0])[0] + 8)
    rel, _ = secs['.reltp/core_forms']
    r_offset, = struct.unpack_from(e + 'Q', elf, rel)
    put(enumvals[-1], insn=r_offset)
    open(dst, 'wb').write(elf)


def type_kind(elf, e, btf, hdr_len, type_off, type_len, want):
    p = btf + hdr_len + type_off
    end = p + type_len
    tid = 1
    while p < end:
        _, info, _ = struct.unpack_from(e + 'III', elf, p)
        kind = (info >> 24) & 0x1f
        vlen = info & 0xffff
        if tid == want:
            return kind
        size = 12
        if kind in (1, 14, 17):
            size += 4
        elif kind == 3:
            size += 12
        elif kind in (4, 5, 15, 19):
            size += 12 * vlen
        elif kind in (6, 13):
            size += 8 * vlen
        p += size
        tid += 1
    return None


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
