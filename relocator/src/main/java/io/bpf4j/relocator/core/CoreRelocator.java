package io.bpf4j.relocator.core;

import io.bpf4j.isa.abi.Errno;
import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfException;
import io.bpf4j.elf.btf.BtfType;
import io.bpf4j.elf.btf.CoreRelo;
import io.bpf4j.elf.btf.CoreReloKind;
import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.Instructions;
import io.bpf4j.isa.Slot;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Applies CO-RE relocations ({@code .BTF.ext} core_relo records) to BPF instructions against a
 * target BTF, computing and patching exactly what libbpf's {@code bpf_object__relocate_core}
 * does: candidate search by essential name, spec matching, ambiguity checks, instruction
 * validation and patching, and poisoning of relocations that cannot be resolved.
 *
 * <p>One instance is one relocation session over one object (libbpf's per-object candidate
 * cache): a local type's candidate list is found once, and candidates that fail to match a
 * relocation are dropped for the relocations that follow, as in libbpf. To reproduce
 * libbpf's results exactly, relocate programs in the order of the {@code .BTF.ext} records
 * (section blocks in order, programs by offset within a section). Not thread-safe.
 *
 * <p>It runs on each program's own instructions before subprograms are appended.
 */
public final class CoreRelocator {
    private static final int EINVAL = -Errno.EINVAL.number();
    private static final int ERANGE = -Errno.ERANGE.number();

    private final Btf local;
    private final CoreTarget target;
    private final ByteOrder order;
    private final Map<Integer, List<CoreCandidate>> candidateCache = new HashMap<>();

    /**
     * @param local  the object's BTF (the one its core_relo records refer to)
     * @param target what to relocate against
     */
    public CoreRelocator(Btf local, CoreTarget target) {
        this.local = Objects.requireNonNull(local, "local");
        this.target = Objects.requireNonNull(target, "target");
        this.order = local.byteOrder();
    }

    /**
     * Relocates one program in one go: a fresh session, relocation numbers are list indices and
     * instruction offsets are relative to the program's first instruction.
     */
    public static CoreRelocation relocate(Btf local, List<CoreRelo> relos, Btf target, Instructions insns, String progName) {
        return new CoreRelocator(local, CoreTarget.of(target)).relocate(progName, insns, relos, 0);
    }

    /** {@return the session's target} */
    public CoreTarget target() { return target; }

    /** Relocates a program whose records have program-relative offsets; see {@link #relocate(String, Instructions, List, int)}. */
    public CoreRelocation relocate(String progName, Instructions insns, List<CoreRelo> relos) {
        return relocate(progName, insns, relos, 0);
    }

    /**
     * Applies the records of one {@code .BTF.ext} section block that fall inside one program.
     *
     * @param progName  the program name for the log and errors
     * @param insns     the program's own instructions (not yet linked with subprograms)
     * @param relos     the section's records in file order: the list index is the relocation
     *                  number ({@code relo #N}); records outside the program are skipped
     * @param firstSlot the program's first slot within the section
     * @return the patched instructions and one result per applied record
     * @throws CoreRelocationException where libbpf fails the load
     */
    public CoreRelocation relocate(String progName, Instructions insns, List<CoreRelo> relos, int firstSlot) {
        Slot[] slots = new Slot[insns.slotCount()];
        for (int i = 0, s = 0; i < insns.size(); i++) {
            for (Slot raw : insns.get(i).raw()) slots[s++] = raw;
        }
        List<CoreReloResult> results = new ArrayList<>();
        List<String> log = new ArrayList<>();
        for (int i = 0; i < relos.size(); i++) {
            CoreRelo relo = relos.get(i);
            if (relo.insnOffset() % 8 != 0) {
                throw new CoreRelocationException("prog '" + progName + "': relo #" + i + ": insn_off " + relo.insnOffset()
                        + " is not a multiple of 8", progName, i, -1, "EINVAL");
            }
            long slot = relo.insnOffset() / 8 - firstSlot;
            if (slot < 0 || slot >= slots.length) continue;
            int mark = log.size();
            try {
                results.add(apply(progName, slots, (int) slot, relo, i, log, mark));
            } catch (CoreRelocationException e) {
                throw e.withContext(log, results);
            }
        }
        return new CoreRelocation(rebuild(insns, slots), results, log);
    }

    private CoreReloResult apply(String progName, Slot[] slots, int insnIdx, CoreRelo relo, int reloIdx, List<String> log, int mark) {
        String prefix = "prog '" + progName + "': relo #" + reloIdx + ": ";
        try {
            Resolution res = resolve(progName, relo, reloIdx, log, prefix, insnIdx);
            Instruction before = decodeAt(slots, insnIdx);
            String poisonReason = "";
            if (res.res.poison) {
                poisonReason = targetMissingReason(relo.kind());
            }
            String patchFailure = patch(progName, slots, insnIdx, relo, reloIdx, res.res, log, prefix);
            boolean poisoned = res.res.poison || patchFailure != null;
            if (patchFailure != null) poisonReason = patchFailure;
            Instruction after = decodeAt(slots, insnIdx);
            CoreSpec ts = res.targetSpec;
            int targetId;
            String targetType;
            String targetBtf;
            if (relo.kind() == CoreReloKind.TYPE_ID_LOCAL) {
                targetId = relo.typeId();
                targetType = res.localSpec.typeLabel();
                targetBtf = "local";
            } else if (ts == null) {
                targetId = 0;
                targetType = "not found";
                targetBtf = "";
            } else {
                targetId = ts.rootTypeId;
                targetType = ts.typeLabel();
                targetBtf = res.targetBtfName;
            }
            return new CoreReloResult(reloIdx, insnIdx, relo.kind(), relo.accessString(), relo.typeId(),
                    res.localSpec.typeLabel(), res.localSpec.format(), targetId, targetType, targetBtf,
                    ts == null ? "" : ts.format(), res.candidates, res.matched, res.res.origVal,
                    poisoned ? 0 : res.res.newVal, poisoned, poisonReason, before, after, log.subList(mark, log.size()));
        } catch (BtfException e) {
            // A dangling type id or a modifier loop: libbpf gets a NULL type and returns -EINVAL.
            throw fail(log, prefix + "failed to relocate: -EINVAL (" + e.getMessage() + ")", progName, reloIdx, insnIdx, EINVAL);
        }
    }

    private static String targetMissingReason(CoreReloKind kind) {
        if (kind.isEnumValueBased()) return "enumerator not found in target BTF";
        return "field not found in target BTF";
    }

    /** The result of matching a relocation: libbpf's {@code bpf_core_calc_relo_insn}. */
    private static final class Resolution {
        CoreSpec localSpec;
        CoreSpec targetSpec;
        String targetBtfName = "";
        CoreCalc.Res res = new CoreCalc.Res();
        int candidates;
        int matched;
    }

    private Resolution resolve(String progName, CoreRelo relo, int reloIdx, List<String> log, String prefix, int insnIdx) {
        BtfType localType = local.type(relo.typeId());
        List<CoreCandidate> cands = null;
        if (relo.kind() != CoreReloKind.TYPE_ID_LOCAL) {
            cands = candidateCache.get(relo.typeId());
            if (cands == null) {
                if (localType.name().isEmpty()) {
                    throw fail(log, prefix + "target candidate search failed for [" + relo.typeId() + "] "
                            + CoreNames.kindString(localType.kind()) + " : -22", progName, reloIdx, insnIdx, EINVAL);
                }
                cands = new ArrayList<>(target.candidates(localType));
                for (CoreCandidate c : cands) {
                    BtfType t = c.btf().type(c.typeId());
                    log.add("CO-RE relocating [" + relo.typeId() + "] " + CoreNames.kindString(localType.kind()) + " "
                            + localType.name() + ": found target candidate [" + c.typeId() + "] "
                            + CoreNames.kindString(t.kind()) + " " + t.name() + " in [" + c.btfName() + "]");
                }
                candidateCache.put(relo.typeId(), cands);
            }
        }

        SpecMatcher.Parsed parsed = SpecMatcher.parse(progName, local, relo, log);
        if (parsed.error != 0) {
            throw fail(log, prefix + "parsing [" + relo.typeId() + "] " + CoreNames.kindString(localType.kind()) + " "
                    + (localType.name().isEmpty() ? "<anon>" : localType.name()) + " + " + relo.accessString()
                    + " failed: " + parsed.error, progName, reloIdx, insnIdx, EINVAL);
        }
        Resolution out = new Resolution();
        out.localSpec = parsed.spec;
        log.add(prefix + parsed.spec.format());

        if (relo.kind() == CoreReloKind.TYPE_ID_LOCAL) {
            // The type id in the instruction may be stale after linking, so it is not validated.
            out.res.validate = false;
            out.res.origVal = Integer.toUnsignedLong(relo.typeId());
            out.res.newVal = out.res.origVal;
            return out;
        }
        if (localType.name().isEmpty()) {
            throw fail(log, prefix + "<" + CoreSpec.kindString(relo.kind()) + "> (" + relo.kind().number()
                    + ") relocation doesn't support anonymous types", progName, reloIdx, insnIdx, -95);
        }

        out.candidates = cands.size();
        List<CoreCandidate> kept = new ArrayList<>();
        CoreCalc.Res candRes = new CoreCalc.Res();
        for (int i = 0; i < cands.size(); i++) {
            CoreCandidate c = cands.get(i);
            CoreSpec candSpec = new CoreSpec(c.btf(), c.typeId(), relo.kind());
            int err = SpecMatcher.match(parsed.spec, candSpec, log);
            if (err < 0) {
                throw fail(log, prefix + "error matching candidate #" + i + " " + candSpec.format() + ": " + err,
                        progName, reloIdx, insnIdx, err);
            }
            log.add(prefix + (err == 0 ? "non-matching" : "matching") + " candidate #" + i + " " + candSpec.format());
            if (err == 0) continue;
            err = CoreCalc.calc(progName, relo, reloIdx, parsed.spec, candSpec, candRes, order, log);
            if (err != 0) throw fail(log, lastOr(log, prefix + "failed to relocate"), progName, reloIdx, insnIdx, err);
            if (kept.isEmpty()) {
                out.res = candRes.copy();
                out.targetSpec = candSpec;
                out.targetBtfName = c.btfName();
            } else if (candSpec.bitOffset != out.targetSpec.bitOffset) {
                throw fail(log, prefix + "field offset ambiguity: " + candSpec.bitOffset + " != " + out.targetSpec.bitOffset,
                        progName, reloIdx, insnIdx, EINVAL);
            } else if (candRes.poison != out.res.poison || candRes.newVal != out.res.newVal) {
                throw fail(log, prefix + "relocation decision ambiguity: " + (candRes.poison ? "failure" : "success") + " "
                        + Long.toUnsignedString(candRes.newVal) + " != " + (out.res.poison ? "failure" : "success") + " "
                        + Long.toUnsignedString(out.res.newVal), progName, reloIdx, insnIdx, EINVAL);
            }
            kept.add(c);
        }
        out.matched = kept.size();
        // A relocation that matched nothing leaves the list alone: an existence check may
        // legitimately find nothing without saying anything about the other fields.
        if (!kept.isEmpty()) {
            cands.clear();
            cands.addAll(kept);
        } else {
            log.add(prefix + "no matching targets found");
            int err = CoreCalc.calc(progName, relo, reloIdx, parsed.spec, null, out.res, order, log);
            if (err != 0) throw fail(log, lastOr(log, prefix + "failed to relocate"), progName, reloIdx, insnIdx, err);
        }
        return out;
    }

    private static String lastOr(List<String> log, String fallback) {
        return log.isEmpty() ? fallback : log.get(log.size() - 1);
    }

    /**
     * libbpf's {@code bpf_core_patch_insn} on raw slots. Returns null, or the reason when an
     * LDX/ST/STX had to be poisoned because its load size cannot follow the field.
     */
    private static String patch(String progName, Slot[] slots, int idx, CoreRelo relo, int reloIdx, CoreCalc.Res res,
                                List<String> log, String prefix) {
        Slot insn = slots[idx];
        if (res.poison) {
            poison(slots, idx, log, prefix);
            return null;
        }
        long origVal = res.origVal;
        long newVal = res.newVal;
        int cls = insn.code() & 0x07;
        switch (cls) {
            case 0x04: // ALU
            case 0x07: { // ALU64
                if ((insn.code() & 0x08) != 0) {
                    throw fail(log, prefix + "failed to patch insn #" + idx + ": -EINVAL", progName, reloIdx, idx, EINVAL);
                }
                if (res.validate && (long) insn.imm() != origVal) {
                    throw fail(log, prefix + "unexpected insn #" + idx + " (ALU/ALU64) value: got " + Integer.toUnsignedString(insn.imm())
                            + ", exp " + Long.toUnsignedString(origVal) + " -> " + Long.toUnsignedString(newVal), progName, reloIdx, idx, EINVAL);
                }
                long was = insn.imm();
                slots[idx] = insn.withImm((int) newVal);
                log.add(prefix + "patched insn #" + idx + " (ALU/ALU64) imm " + Long.toUnsignedString(was) + " -> "
                        + Long.toUnsignedString(newVal));
                return null;
            }
            case 0x01: // LDX
            case 0x02: // ST
            case 0x03: { // STX
                if (res.validate && (long) insn.off() != origVal) {
                    throw fail(log, prefix + "unexpected insn #" + idx + " (LDX/ST/STX) value: got " + Integer.toUnsignedString(insn.off())
                            + ", exp " + Long.toUnsignedString(origVal) + " -> " + Long.toUnsignedString(newVal), progName, reloIdx, idx, EINVAL);
                }
                if (Long.compareUnsigned(newVal, Short.MAX_VALUE) > 0) {
                    throw fail(log, prefix + "insn #" + idx + " (LDX/ST/STX) value too big: " + Long.toUnsignedString(newVal),
                            progName, reloIdx, idx, ERANGE);
                }
                if (res.failMemszAdjust) {
                    log.add(prefix + "insn #" + idx + " (LDX/ST/STX) accesses field incorrectly. "
                            + "Make sure you are accessing pointers, unsigned integers, or fields of matching type and size.");
                    poison(slots, idx, log, prefix);
                    return "field size changed from " + res.origSz + " to " + res.newSz + " bytes and it is not a pointer or unsigned integer";
                }
                long was = insn.off();
                insn = insn.withOff((int) newVal);
                slots[idx] = insn;
                log.add(prefix + "patched insn #" + idx + " (LDX/ST/STX) off " + Long.toUnsignedString(was) + " -> "
                        + Long.toUnsignedString(newVal));
                if (res.newSz != res.origSz) {
                    int bytes = sizeBytes(insn.code());
                    if (bytes != res.origSz) {
                        throw fail(log, prefix + "insn #" + idx + " (LDX/ST/STX) unexpected mem size: got " + bytes + ", exp "
                                + res.origSz, progName, reloIdx, idx, EINVAL);
                    }
                    int sizeBits = sizeCode(res.newSz);
                    if (sizeBits < 0) {
                        throw fail(log, prefix + "insn #" + idx + " (LDX/ST/STX) invalid new mem size: " + res.newSz,
                                progName, reloIdx, idx, EINVAL);
                    }
                    slots[idx] = insn.withCode((insn.code() & 0xe0) | sizeBits | (insn.code() & 0x07));
                    log.add(prefix + "patched insn #" + idx + " (LDX/ST/STX) mem_sz " + res.origSz + " -> " + res.newSz);
                }
                return null;
            }
            case 0x00: { // LD
                Slot hi = idx + 1 < slots.length ? slots[idx + 1] : null;
                if (insn.code() != 0x18 || insn.src() != 0 || insn.off() != 0 || hi == null || hi.code() != 0 || hi.dst() != 0
                        || hi.src() != 0 || hi.off() != 0) {
                    throw fail(log, prefix + "insn #" + idx + " (LDIMM64) has unexpected form", progName, reloIdx, idx, EINVAL);
                }
                long imm = Integer.toUnsignedLong(insn.imm()) | ((long) hi.imm() << 32);
                if (res.validate && imm != origVal) {
                    throw fail(log, prefix + "unexpected insn #" + idx + " (LDIMM64) value: got " + Long.toUnsignedString(imm)
                            + ", exp " + Long.toUnsignedString(origVal) + " -> " + Long.toUnsignedString(newVal), progName, reloIdx, idx, EINVAL);
                }
                slots[idx] = insn.withImm((int) newVal);
                slots[idx + 1] = hi.withImm((int) (newVal >>> 32));
                log.add(prefix + "patched insn #" + idx + " (LDIMM64) imm64 " + Long.toUnsignedString(imm) + " -> "
                        + Long.toUnsignedString(newVal));
                return null;
            }
            default:
                throw fail(log, prefix + "trying to relocate unrecognized insn #" + idx + ", code:0x" + Integer.toHexString(insn.code())
                        + ", src:0x" + Integer.toHexString(insn.src()) + ", dst:0x" + Integer.toHexString(insn.dst()) + ", off:0x"
                        + Integer.toHexString(insn.off()) + ", imm:0x" + Integer.toHexString(insn.imm()), progName, reloIdx, idx, EINVAL);
        }
    }

    /**
     * Replaces the instruction by a call to helper 0xbad2310, which the verifier rejects only
     * if it is reachable; both halves of an {@code ld_imm64}, so the second does not read as
     * an unknown opcode.
     */
    private static void poison(Slot[] slots, int idx, List<String> log, String prefix) {
        Slot poisoned = Slot.of(0x85, 0, 0, 0, CoreReloResult.POISON_IMM);
        if (slots[idx].code() == 0x18 && idx + 1 < slots.length) {
            log.add(prefix + "substituting insn #" + (idx + 1) + " w/ invalid insn");
            slots[idx + 1] = poisoned;
        }
        log.add(prefix + "substituting insn #" + idx + " w/ invalid insn");
        slots[idx] = poisoned;
    }

    private static int sizeBytes(int code) {
        switch (code & 0x18) {
            case 0x18: return 8;
            case 0x00: return 4;
            case 0x08: return 2;
            default: return 1;
        }
    }

    private static int sizeCode(long bytes) {
        if (bytes == 8) return 0x18;
        if (bytes == 4) return 0x00;
        if (bytes == 2) return 0x08;
        if (bytes == 1) return 0x10;
        return -1;
    }

    private static CoreRelocationException fail(List<String> log, String message, String progName, int reloIdx, int insnIdx, int err) {
        log.add(message);
        return new CoreRelocationException(message, progName, reloIdx, insnIdx, errnoName(err));
    }

    static String errnoName(int err) {
        Errno e = Errno.ofNumber(-err);
        return e == null ? "E" + (-err) : e.name();
    }

    private static Instruction decodeAt(Slot[] slots, int idx) {
        Slot next = slots[idx].code() == 0x18 && idx + 1 < slots.length ? slots[idx + 1] : null;
        return Instruction.of(slots[idx], next);
    }

    /** The instructions again, re-decoding only the ones whose slots changed. */
    private static Instructions rebuild(Instructions original, Slot[] slots) {
        List<Instruction> out = new ArrayList<>(original.size());
        boolean changed = false;
        int s = 0;
        for (Instruction insn : original) {
            List<Slot> raw = insn.raw();
            boolean same = true;
            for (int k = 0; k < raw.size(); k++) {
                if (!raw.get(k).equals(slots[s + k])) same = false;
            }
            if (same) {
                out.add(insn);
            } else {
                changed = true;
                int end = s + raw.size();
                int p = s;
                while (p < end) {
                    Instruction d = decodeAt(slots, p);
                    if (p + d.slots() > end) d = Instruction.of(slots[p]);
                    out.add(d);
                    p += d.slots();
                }
            }
            s += raw.size();
        }
        return changed ? Instructions.of(out) : original;
    }
}
