package io.bpf4j.loader;

import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfType;
import io.bpf4j.elf.btf.FuncLinkage;
import io.bpf4j.isa.abi.AttachType;
import io.bpf4j.isa.abi.MapShape;
import io.bpf4j.relocator.FuncInfoRecord;
import io.bpf4j.relocator.FunctionEntry;
import io.bpf4j.relocator.LineInfoRecord;
import io.bpf4j.relocator.ObjectSpec;
import io.bpf4j.relocator.RelocatedProgram;
import io.bpf4j.relocator.core.CoreRelocation;
import io.bpf4j.relocator.tables.TableMap;
import io.bpf4j.verifier.FuncInfo;
import io.bpf4j.verifier.LineInfo;
import io.bpf4j.isa.facts.ProgramFacts;
import io.bpf4j.verifier.VerifiedProgram;
import io.bpf4j.verifier.Verifier;
import io.bpf4j.verifier.VerifierException;
import io.bpf4j.verifier.VerifierInput;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs bpf4j's verifier on a relocated program as the kernel's BPF_PROG_LOAD would see it: its
 * instructions, type and expected attach type, the object's maps by the index its
 * {@code ld_imm64}s carry (then the program's own table maps), func_info and line_info from
 * BTF.ext with their source text.
 */
final class ProgramVerifier {
    private static final Logger LOG = LoggerFactory.getLogger(ProgramVerifier.class);

    private ProgramVerifier() {
    }

    /** The verifier's input for {@code rp}, a program of {@code obj}. */
    static VerifierInput input(ObjectSpec obj, RelocatedProgram rp, LoadOptions options) {
        Btf btf = obj.btf().orElse(null);
        List<MapShape> maps = new ArrayList<>();
        java.util.Map<Integer, byte[]> frozenValues = new java.util.HashMap<>();
        obj.maps().forEach(m -> {
            if (m.readOnlyForPrograms() && m.initialDataSize() > 0) {
                // .rodata and .kconfig: written at creation, then frozen (as libbpf does)
                frozenValues.put(maps.size(), m.initialData());
            }
            maps.add(MapShapes.of(m, btf));
        });
        for (TableMap t : rp.indirect().tables()) {
            // the loader writes every entry's orig_off and freezes the table before the program is loaded
            maps.add(MapShapes.of(t.spec(), btf).toBuilder().insnOffsets(t.targetSlots()).frozen(true).build());
        }
        AttachTargets.Resolved attach = AttachTargets.of(obj, rp).orElse(null);
        List<FuncInfo> funcInfo = funcInfo(rp, btf);
        // arg:trusted global function arguments point to kernel structs, found by name in the kernel BTF
        boolean trustedArgs = funcInfo.stream().anyMatch(f -> f.signature() != null
                && f.signature().args().stream().anyMatch(a -> a.kind() == io.bpf4j.verifier.FuncSignature.Kind.TRUSTED));
        Btf kernelBtf = attach != null ? attach.btf()
                : returnsBtfPointers(rp, options) || trustedArgs
                        ? obj.options().target().orElseGet(HostCoreTarget::kernelBtf) : null;
        io.bpf4j.verifier.BtfView btfView = kernelBtf != null ? BtfViews.of(kernelBtf) : null;
        boolean mayWalkKernelStructs = loadsMapPointers(rp) || rp.programType() == io.bpf4j.isa.abi.ProgramType.NETFILTER;
        if (btfView == null && mayWalkKernelStructs && (obj.options().target().isPresent() || HostCoreTarget.hasKernelBtf())) {
            // a load through a map pointer reads the map's kernel struct, netfilter's context holds pointers to
            // kernel structs: the BTF is parsed only if such a load happens
            btfView = BtfViews.lazy(() -> obj.options().target().orElseGet(HostCoreTarget::kernelBtf));
        }
        return VerifierInput.builder(rp.instructions(), rp.programType())
                .attachTarget(attach == null ? null : attach.target())
                .sleepable(rp.sleepable())
                .btf(btfView)
                .expectedAttachType(AttachType.ofId(rp.expectedAttachTypeId()))
                .maps(maps)
                .frozenValues(frozenValues)
                .unboundFdSlots(unboundFdSlots(rp))
                // without CAP_BPF the kernel refuses the object's BTF and libbpf loads the program without it
                .funcInfo(options.privileges().bpfCapable() ? funcInfo : List.of())
                .lineInfo(options.privileges().bpfCapable() ? lineInfo(rp) : List.of())
                .privileges(options.privileges())
                .profile(options.profile())
                .logLevel(options.logLevel())
                .limits(io.bpf4j.verifier.VerifierLimits.KERNEL.withLogSize(options.logSize()))
                .kfuncs(KfuncSignatures.of(rp.kfuncs(), rp.kfuncs().isEmpty() ? null
                        : obj.options().target().orElseGet(HostCoreTarget::kernelBtf)))
                .build();
    }

    /**
     * The {@code ld_imm64}s of maps (src PSEUDO_MAP_FD or PSEUDO_MAP_VALUE) that no relocation bound to a map:
     * libbpf passes them on as written, their imm a file descriptor number that names no map here.
     */
    private static java.util.Set<Integer> unboundFdSlots(RelocatedProgram rp) {
        java.util.Set<Integer> bound = new java.util.HashSet<>();
        rp.mapReferences().forEach(r -> bound.add(r.slot()));
        java.util.Set<Integer> out = new java.util.HashSet<>();
        io.bpf4j.isa.Instructions insns = rp.instructions();
        for (int i = 0; i + 1 < insns.slotCount(); i++) {
            io.bpf4j.isa.Slot s = insns.slotAt(i);
            if (s.code() == io.bpf4j.isa.Opcodes.CODE_LD_IMM64) {
                if ((s.src() == io.bpf4j.isa.Opcodes.PSEUDO_MAP_FD || s.src() == io.bpf4j.isa.Opcodes.PSEUDO_MAP_VALUE)
                        && !bound.contains(i)) {
                    out.add(i);
                }
                i++;
            }
        }
        return out;
    }

    /** Whether {@code rp} has an {@code ld_imm64} of a map pointer (a map itself, not a value address). */
    private static boolean loadsMapPointers(RelocatedProgram rp) {
        io.bpf4j.isa.Instructions insns = rp.instructions();
        for (int i = 0; i < insns.slotCount(); i++) {
            io.bpf4j.isa.Slot s = insns.slotAt(i);
            if (s.code() == io.bpf4j.isa.Opcodes.CODE_LD_IMM64) {
                if (s.src() == io.bpf4j.isa.Opcodes.PSEUDO_MAP_FD || s.src() == io.bpf4j.isa.Opcodes.PSEUDO_MAP_IDX) {
                    return true;
                }
                i++;
            }
        }
        return false;
    }

    /**
     * Whether {@code rp} calls a kfunc or a helper that returns a BTF pointer (the kernel BTF is
     * read only then: kfuncs take and return BTF-typed pointers).
     */
    private static boolean returnsBtfPointers(RelocatedProgram rp, LoadOptions options) {
        if (!rp.kfuncs().isEmpty()) {
            return true;
        }
        io.bpf4j.isa.Instructions insns = rp.instructions();
        for (int i = 0; i < insns.slotCount(); i++) {
            io.bpf4j.isa.Slot s = insns.slotAt(i);
            if (s.code() == io.bpf4j.isa.Opcodes.CODE_CALL && s.src() == 0
                    && options.profile().helper(s.imm()).map(h -> !h.retBtfType().isEmpty()).orElse(false)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Verifies {@code rp}. A rejection at log level 0 is verified again at level 1 so that it
     * carries a log (libbpf reloads a failed program with one).
     */
    static ProgramVerification verify(ObjectSpec obj, RelocatedProgram rp, LoadOptions options,
                                      java.util.Map<String, CoreRelocation> core) {
        return verifyWithFacts(obj, rp, options, core).verification();
    }

    /** A verification and, when the program was accepted, the verifier's facts about its instructions (else empty). */
    record Outcome(ProgramVerification verification, ProgramFacts facts) {}

    private static Outcome verifyWithFacts(ObjectSpec obj, RelocatedProgram rp, LoadOptions options,
                                           java.util.Map<String, CoreRelocation> core) {
        if (!options.verify()) {
            return new Outcome(new ProgramVerification(rp.name(), ProgramVerification.Status.OFF, null, "", null, -1), ProgramFacts.empty());
        }
        try {
            VerifiedProgram v = Verifier.verify(input(obj, rp, options));
            return new Outcome(new ProgramVerification(rp.name(), ProgramVerification.Status.ACCEPTED, v.stats(), v.log(), null,
                    v.facts().program().get(io.bpf4j.isa.facts.Facts.MAX_CTX_OFFSET).orElse(-1), indirectTargets(v.facts())),
                    v.facts());
        } catch (VerifierException e) {
            VerifierException withLog = e;
            if ((options.logLevel() & 3) == 0) {
                LoadOptions level1 = options.toBuilder().verify(true).logLevel(options.logLevel() | 1).build();
                try {
                    Verifier.verify(input(obj, rp, level1));
                } catch (VerifierException again) {
                    withLog = again;
                }
            }
            String log = LibbpfLogFixup.apply(withLog.log(), obj, rp, core);
            if (!log.equals(withLog.log())) {
                // the log the user reads is libbpf's rewrite; the kernel's message (and its errno) stays
                withLog = new VerifierException(withLog.kernelMessage(), withLog.insnIndex(), withLog.sourceLine().orElse(null), log,
                        withLog.stats(), withLog.explanation().orElse(null));
            }
            boolean unsupported = withLog.kernelMessage().startsWith(ProgramVerification.NOT_SUPPORTED);
            return new Outcome(new ProgramVerification(rp.name(),
                    unsupported ? ProgramVerification.Status.UNSUPPORTED : ProgramVerification.Status.REJECTED,
                    withLog.stats(), withLog.log(), withLog, -1), ProgramFacts.empty());
        }
    }

    /**
     * What {@link BpfObject#load} does with each program before preparing it: a rejection is a
     * {@link ProgramRejectedException}; a program using a feature the verifier does not model
     * yet loads unverified, with a warning (the in-process runtime checks every access itself).
     */
    static Outcome verifyForLoad(ObjectSpec obj, RelocatedProgram rp, LoadOptions options,
                                 java.util.Map<String, CoreRelocation> core) {
        Outcome outcome = verifyWithFacts(obj, rp, options, core);
        ProgramVerification v = outcome.verification();
        if (v.status() == ProgramVerification.Status.REJECTED) {
            throw new ProgramRejectedException(rp.name(), KernelErrno.of(v.rejection().kernelMessage()), v.rejection());
        }
        if (v.status() == ProgramVerification.Status.UNSUPPORTED) {
            LOG.warn("prog '{}': loaded unverified: {}", rp.name(), v.rejection().kernelMessage());
        }
        return outcome;
    }

    /** {@code Facts.INDIRECT_TARGETS} of every instruction that has them, by slot. */
    private static java.util.SortedMap<Integer, List<Integer>> indirectTargets(ProgramFacts facts) {
        java.util.SortedMap<Integer, List<Integer>> out = new java.util.TreeMap<>();
        for (int i = 0; i < facts.size(); i++) {
            int slot = i;
            facts.get(i, io.bpf4j.isa.facts.Facts.INDIRECT_TARGETS)
                    .ifPresent(t -> out.put(slot, java.util.Arrays.stream(t).boxed().toList()));
        }
        return out;
    }

    private static List<FuncInfo> funcInfo(RelocatedProgram rp, Btf btf) {
        List<FuncInfo> out = new ArrayList<>();
        for (FuncInfoRecord r : rp.funcInfo()) {
            String name = null;
            boolean global = false;
            if (btf != null && r.typeId() > 0 && r.typeId() < btf.typeCount()
                    && btf.type(r.typeId()) instanceof BtfType.Func f) {
                name = f.name();
                global = f.linkage() == FuncLinkage.GLOBAL;
            }
            if (name == null) {
                name = functionAt(rp, r.insnOffset());
            }
            out.add(new FuncInfo(r.insnOffset(), name, global, FuncSignatures.of(btf, r.typeId(), rp.programType())));
        }
        return out;
    }

    private static String functionAt(RelocatedProgram rp, int slot) {
        for (FunctionEntry f : rp.functions()) {
            if (f.startSlot() == slot) {
                return f.name();
            }
        }
        return "";
    }

    private static List<LineInfo> lineInfo(RelocatedProgram rp) {
        List<LineInfo> out = new ArrayList<>();
        for (LineInfoRecord r : rp.lineInfo()) {
            out.add(new LineInfo(r.insnOffset(), r.fileName(), r.lineNumber(), r.column(), r.line()));
        }
        return out;
    }
}
