#!/usr/bin/env python3
"""Draft the helper prototype table (linux-6.18-helpers.txt) from a kernel source tree.

Reads every `struct bpf_func_proto NAME = {...}` initializer and every `case BPF_FUNC_x: return &NAME`
in the tree, and prints one line per (helper, prototype) in the format ProfileText parses. The
output is a draft: the checked-in table is reviewed by hand and carries 6.18 corrections.

usage: gen_helper_protos.py /path/to/linux > draft.txt
"""
import os, re, sys, collections

root = sys.argv[1]
SIZES = {"struct iphdr": 20, "struct ipv6hdr": 40, "struct tcphdr": 20, "u64": 8, "s64": 8, "u32": 4, "s32": 4, "int": 4, "long": 8, "__u64": 8,
         "struct bpf_timer": 16, "struct bpf_dynptr": 16, "struct bpf_spin_lock": 4}
SOCK = {}
TRACING = {"BTF_TRACING_TYPE_TASK": "task_struct", "BTF_TRACING_TYPE_FILE": "file",
           "BTF_TRACING_TYPE_VMA": "vm_area_struct"}
GLOBAL_SINGLE = {"tcp_sock_id": "tcp_sock", "bpf_task_pt_regs_ids": "pt_regs",
                 "bpf_sock_from_file_btf_ids[0]": "socket", "bpf_sock_from_file_btf_ids[1]": "file", "bpf_cgroup_btf_id": "cgroup", "btf_bpf_map_id": "bpf_map",
                 "bpf_local_storage_map_btf_id": "bpf_local_storage_map"}

def read(p):
    with open(p, errors="replace") as f:
        return f.read()

files = []
for d in ("kernel", "net", "drivers", "security", "fs"):
    for dp, dn, fn in os.walk(os.path.join(root, d)):
        for f in fn:
            if f.endswith(".c"):
                files.append(os.path.join(dp, f))
ids_h = read(os.path.join(root, "include/linux/btf_ids.h"))
for m in re.finditer(r"BTF_SOCK_TYPE\((BTF_SOCK_TYPE_\w+),\s*(\w+)\)", ids_h):
    SOCK[m.group(1)] = m.group(2)
uapi = read(os.path.join(root, "include/uapi/linux/bpf.h"))
names = re.findall(r"FN\((\w+),\s*(\d+),", uapi)
helper_ids = {n: int(i) for n, i in names}

protos = {}      # symbol -> dict
singles = {}
cases = collections.defaultdict(set)   # helper name -> proto symbols seen in func_proto switches
for p in files:
    src = read(p)
    if "bpf_func_proto" not in src and "BPF_FUNC_" not in src:
        continue
    for m in re.finditer(r"BTF_ID_LIST(?:_GLOBAL)?_SINGLE\((\w+),\s*struct,\s*(\w+)\)", src):
        singles[m.group(1)] = m.group(2)
    for m in re.finditer(r"struct bpf_func_proto\s+(\w+)\s*=\s*\{(.*?)\n\};", src, re.S):
        body = {}
        for fm in re.finditer(r"\.(\w+)\s*=\s*([^,\n]+(?:\n\s+[|?:][^,\n]+)*),?", m.group(2)):
            body[fm.group(1)] = " ".join(fm.group(2).split())
        protos[m.group(1)] = (body, os.path.relpath(p, root))
    # case BPF_FUNC_a: case BPF_FUNC_b: return &sym;   (also ternaries naming a proto)
    for m in re.finditer(r"((?:case BPF_FUNC_\w+:\s*)+)(.*?)(?=\bcase BPF_FUNC_|\bdefault:|\n}\n)", src, re.S):
        fns = re.findall(r"BPF_FUNC_(\w+)", m.group(1))
        for sym in re.findall(r"&(\w+_proto\w*)\b", m.group(2)):
            for fn in fns:
                cases[fn].add(sym)
        for call in re.findall(r"\b(bpf_get_\w+_proto)\(\)", m.group(2)):
            for fn in fns:
                cases[fn].add(call + "()")

FLAG = {"MEM_RDONLY", "MEM_UNINIT", "PTR_MAYBE_NULL", "OBJ_RELEASE", "MEM_FIXED_SIZE", "MEM_ALIGNED",
        "MEM_WRITE", "DYNPTR_TYPE_LOCAL", "DYNPTR_TYPE_RINGBUF", "MEM_RINGBUF", "PTR_TRUSTED",
        "MEM_RCU", "MEM_PERCPU", "MEM_ALLOC", "PTR_UNTRUSTED", "MEM_USER", "DYNPTR_TYPE_SKB", "DYNPTR_TYPE_XDP"}
ARG_ALIAS = {"ARG_PTR_TO_MAP_VALUE_OR_NULL": "ptr_to_map_value|ptr_maybe_null",
             "ARG_PTR_TO_MEM_OR_NULL": "ptr_to_mem|ptr_maybe_null",
             "ARG_PTR_TO_CTX_OR_NULL": "ptr_to_ctx|ptr_maybe_null",
             "ARG_PTR_TO_SOCKET_OR_NULL": "ptr_to_socket|ptr_maybe_null",
             "ARG_PTR_TO_STACK_OR_NULL": "ptr_to_stack|ptr_maybe_null",
             "ARG_PTR_TO_BTF_ID_OR_NULL": "ptr_to_btf_id|ptr_maybe_null",
             "ARG_PTR_TO_UNINIT_MEM": "ptr_to_mem|mem_uninit|mem_write",
             "ARG_PTR_TO_FIXED_SIZE_MEM": "ptr_to_mem|mem_fixed_size"}
RET_ALIAS = {"RET_PTR_TO_MAP_VALUE_OR_NULL", "RET_PTR_TO_SOCKET_OR_NULL", "RET_PTR_TO_TCP_SOCK_OR_NULL",
             "RET_PTR_TO_SOCK_COMMON_OR_NULL", "RET_PTR_TO_RINGBUF_MEM_OR_NULL", "RET_PTR_TO_DYNPTR_MEM_OR_NULL",
             "RET_PTR_TO_BTF_ID_OR_NULL", "RET_PTR_TO_BTF_ID_TRUSTED"}

def btf_name(expr):
    expr = expr.strip().lstrip("&")
    m = re.match(r"(btf_sock_ids|btf_tracing_ids)\[(\w+)\]", expr)
    if m:
        return (SOCK if m.group(1) == "btf_sock_ids" else TRACING).get(m.group(2), "?" + m.group(2))
    if expr in GLOBAL_SINGLE:
        return GLOBAL_SINGLE[expr]
    m = re.match(r"(\w+)(?:\[0\])?$", expr)
    if m and m.group(1) in singles:
        return singles[m.group(1)]
    if m and m.group(1) in GLOBAL_SINGLE:
        return GLOBAL_SINGLE[m.group(1)]
    if expr == "BPF_PTR_POISON":
        return "*"      # resolved from the map's kptr field
    return "?" + expr

def arg_text(t, size, btf):
    parts = [x.strip() for x in t.split("|")]
    out = []
    for x in parts:
        if x in ARG_ALIAS:
            out.append(ARG_ALIAS[x])
        elif x.startswith("ARG_"):
            out.append(x[4:].lower())
        elif x in FLAG:
            out.append(x.lower())
        else:
            out.append("?" + x)
    s = "|".join(out)
    if size:
        m = re.match(r"sizeof\((.+)\)", size)
        n = SIZES.get(m.group(1).strip()) if m else (int(size) if size.isdigit() else None)
        s += "(%s)" % (n if n is not None else "?" + size)
    if btf:
        s += "<%s>" % btf_name(btf)
    return s

def ret_text(t, btf):
    parts = [x.strip() for x in t.split("|")]
    out = []
    for x in parts:
        if x.startswith("RET_"):
            out.append(x[4:].lower())
        elif x in FLAG:
            out.append(x.lower())
        else:
            out.append("?" + x)
    s = "|".join(out)
    if btf:
        s += "<%s>" % btf_name(btf)
    return s

MANUAL_ONLY = {}
SHORT = {"get_raw_smp_processor_id": "raw", "event_output_data": "data", "skb_event_output": "skb",
         "xdp_event_output": "xdp", "flow_dissector_load_bytes": "flow_dissector",
         "sk_reuseport_load_bytes": "sk_reuseport", "sk_reuseport_load_bytes_relative": "sk_reuseport",
         "get_socket_ptr_cookie": "ptr", "lwt_in_push_encap": "lwt_in", "lwt_xmit_push_encap": "lwt_xmit",
         "sk_lookup_assign": "sk_lookup"}
ACQUIRE = {"sk_lookup_tcp", "sk_lookup_udp", "skc_lookup_tcp", "ringbuf_reserve", "kptr_xchg"}

def line(hid, name, variant, sym):
    body, path = protos[sym]
    attrs = []
    if body.get("gpl_only") == "true": attrs.append("gpl")
    if body.get("pkt_access") == "true": attrs.append("pkt")
    if body.get("might_sleep") == "true": attrs.append("sleep")
    if body.get("allow_fastcall") == "true": attrs.append("fastcall")
    if name in ACQUIRE: attrs.append("acquire")
    if "allowed" in body: attrs.append("allowlist")
    args = []
    for i in range(1, 6):
        t = body.get("arg%d_type" % i)
        if not t or t == "ARG_DONTCARE":
            break
        args.append(arg_text(t, body.get("arg%d_size" % i), body.get("arg%d_btf_id" % i)))
    ret = ret_text(body.get("ret_type", "RET_INTEGER"), body.get("ret_btf_id"))
    nm = name + ("@" + variant if variant else "")
    extra = "  # %s" % sym
    return "%d %s%s -> %s : %s%s" % (hid, nm, "".join(" " + a for a in attrs), ret, ", ".join(args), extra)

def variant_of(name, sym):
    core = sym[:-len("_proto")] if sym.endswith("_proto") else sym.replace("_proto_", "_")
    if core.startswith("bpf_"):
        core = core[4:]
    if core == name:
        return ""
    if core.startswith(name + "_"):
        return core[len(name) + 1:]
    return core

for name, hid in sorted(helper_ids.items(), key=lambda x: x[1]):
    if hid == 0:
        continue
    syms = sorted(s for s in cases.get(name, ()) if not s.endswith("()"))
    if name in MANUAL_ONLY:
        syms = MANUAL_ONLY[name]
    calls = sorted(s for s in cases.get(name, ()) if s.endswith("()"))
    if not syms and not calls:
        # a proto named after the helper that no switch names directly
        guess = "bpf_%s_proto" % name
        syms = [guess] if guess in protos else []
    if calls:
        guess = "bpf_%s_proto" % name
        if guess in protos and guess not in syms:
            syms.append(guess)
    if not syms:
        print("%d %s -> ? : ?   # no prototype found" % (hid, name))
        continue
    seen = set()
    found = [x for x in syms if x in protos]
    for sym in syms:
        if sym not in protos:
            print("# %d %s: %s not found" % (hid, name, sym))
            continue
        v = "" if len(found) == 1 else variant_of(name, sym)
        if v.endswith("_" + name):
            v = v[:-len(name) - 1]
        v = SHORT.get(v, v)
        if v in seen:
            v = sym
        seen.add(v)
        print(line(hid, name, v, sym))
