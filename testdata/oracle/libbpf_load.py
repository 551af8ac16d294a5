#!/usr/bin/env python3
"""Loads a BPF object into the kernel through this machine's libbpf (as bpftool prog loadall
would) but only the programs named, then pins those programs and every map, and exits; the
pins keep them alive. bpftool prog loadall cannot leave out a program the kernel refuses
(fentry under lockdown), which would otherwise cost the whole object.

usage: libbpf_load.py OBJECT PROG_DIR MAP_DIR PROGRAM...   (PROGRAM "*": every program)
prints: one line per program of the object, "prog <name>", and one per pinned map,
"map <pin name> <libbpf map name>"; libbpf's messages (a refused program's verifier log) go to stderr
"""
import ctypes
import os
import sys

libbpf = ctypes.CDLL("libbpf.so.1", use_errno=True)
for fn, res, args in [
    ("bpf_object__open_file", ctypes.c_void_p, [ctypes.c_char_p, ctypes.c_void_p]),
    ("libbpf_get_error", ctypes.c_long, [ctypes.c_void_p]),
    ("bpf_object__next_program", ctypes.c_void_p, [ctypes.c_void_p, ctypes.c_void_p]),
    ("bpf_program__name", ctypes.c_char_p, [ctypes.c_void_p]),
    ("bpf_program__set_autoload", ctypes.c_int, [ctypes.c_void_p, ctypes.c_bool]),
    ("bpf_object__load", ctypes.c_int, [ctypes.c_void_p]),
    ("bpf_program__pin", ctypes.c_int, [ctypes.c_void_p, ctypes.c_char_p]),
    ("bpf_object__next_map", ctypes.c_void_p, [ctypes.c_void_p, ctypes.c_void_p]),
    ("bpf_map__name", ctypes.c_char_p, [ctypes.c_void_p]),
    ("bpf_map__set_pin_path", ctypes.c_int, [ctypes.c_void_p, ctypes.c_char_p]),
    ("bpf_object__close", None, [ctypes.c_void_p]),
]:
    f = getattr(libbpf, fn)
    f.restype = res
    f.argtypes = args


def check(what, rc):
    if rc < 0 if isinstance(rc, int) else rc is None:
        sys.exit("%s: %s" % (what, os.strerror(-rc if isinstance(rc, int) and rc < 0 else ctypes.get_errno())))


def main():
    path, prog_dir, map_dir, wanted = sys.argv[1], sys.argv[2], sys.argv[3], set(sys.argv[4:])
    obj = libbpf.bpf_object__open_file(path.encode(), None)
    if not obj or libbpf.libbpf_get_error(obj):
        sys.exit("open %s failed" % path)
    every = "*" in wanted
    prog = libbpf.bpf_object__next_program(obj, None)
    while prog:
        name = libbpf.bpf_program__name(prog).decode()
        print("prog", name)
        if every:
            wanted.add(name)
        libbpf.bpf_program__set_autoload(prog, name in wanted)
        prog = libbpf.bpf_object__next_program(obj, prog)
    # Every map is pinned under MAP_DIR by the load itself; a map declared with
    # LIBBPF_PIN_BY_NAME would otherwise be pinned at (or reuse a stale map at) /sys/fs/bpf/<name>.
    m = libbpf.bpf_object__next_map(obj, None)
    while m:
        name = libbpf.bpf_map__name(m).decode()
        pin = name.replace(".", "_")
        check("pin path " + name, libbpf.bpf_map__set_pin_path(m, os.path.join(map_dir, pin).encode()))
        print("map", pin, name)
        m = libbpf.bpf_object__next_map(obj, m)
    sys.stdout.flush()
    check("load " + path, libbpf.bpf_object__load(obj))
    prog = libbpf.bpf_object__next_program(obj, None)
    while prog:
        name = libbpf.bpf_program__name(prog).decode()
        if name in wanted:
            check("pin " + name, libbpf.bpf_program__pin(prog, os.path.join(prog_dir, name).encode()))
        prog = libbpf.bpf_object__next_program(obj, prog)
    libbpf.bpf_object__close(obj)


if __name__ == "__main__":
    main()
