package io.bpf4j.jit;

import io.bpf4j.isa.Call;
import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.Instructions;
import io.bpf4j.isa.LoadImm64;
import io.bpf4j.isa.abi.MapType;
import io.bpf4j.jit.runtime.HelperTable;
import io.bpf4j.jit.runtime.Pointers;
import io.bpf4j.jit.runtime.Region;
import io.bpf4j.jit.runtime.RegionKind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import io.bpf4j.maps.BpfMap;
import io.bpf4j.maps.MapFlags;
import io.bpf4j.maps.ValueRef;

/**
 * Everything an engine needs to make a program executable: its instructions (entry at slot 0),
 * the helpers it may call, and what its {@code ld_imm64} map sources name.
 *
 * <p>Maps are the maps module's live {@link BpfMap}s, the one seam between programs and map
 * implementations. A map source ({@code BPF_PSEUDO_MAP_FD}/{@code _IDX}) loads a map pointer
 * carrying the map's process-wide {@link BpfMap#id()}, so a map reached any other way (an inner
 * map of a map-in-map lookup) is named the same way. A direct value source
 * ({@code BPF_PSEUDO_MAP_VALUE}/{@code _IDX_VALUE}) needs what the kernel needs for
 * {@code map_direct_value_addr}: an array map with one entry (global data); its value is a
 * {@link io.bpf4j.jit.runtime.RegionKind#GLOBAL_DATA} region, read only when the map has
 * {@code BPF_F_RDONLY_PROG}.
 *
 * <p>Maps and instruction arrays are bound under a handle, the number the relocated program
 * carries in {@code ld_imm64}'s imm (a map fd or index: the loader picks one numbering and uses
 * it for both {@code BPF_PSEUDO_MAP_FD}/{@code _VALUE} and {@code BPF_PSEUDO_MAP_IDX}/{@code _IDX_VALUE}).
 * An instruction array's entries are slot indices; {@code gotox} through a pointer loaded from
 * one jumps to the slot the entry names.
 */
public final class ProgramImage {
    private final String name;
    private final Instructions instructions;
    private final HelperTable helpers;
    private final Map<Integer, BpfMap> maps;
    private final Map<Integer, int[]> instructionArrays;
    private final List<Integer> staticHandles;
    private final BpfMap[] boundMaps;
    private final int[] functionStarts;
    private final io.bpf4j.isa.facts.ProgramFacts facts;
    private final Map<Integer, String> kfuncNames;
    private final Map<Integer, Integer> kfuncHelperIds;

    /**
     * Where implemented kfuncs sit in the program's helper table: kernel helper ids stay below
     * this, so a kfunc call decodes to an ordinary helper call of {@code KFUNC_HELPER_BASE + k}.
     */
    static final int KFUNC_HELPER_BASE = 0xf000;

    private ProgramImage(Builder b) {
        this.name = b.name;
        this.instructions = b.instructions;
        HelperTable table = b.helpers;
        Map<Integer, Integer> ids = new LinkedHashMap<>();
        for (Map.Entry<Integer, String> k : b.kfuncNames.entrySet()) {
            java.util.Optional<io.bpf4j.jit.runtime.Helper> impl = b.kfuncs.get(k.getValue());
            if (impl.isPresent()) {
                int id = KFUNC_HELPER_BASE + ids.size();
                table = table.with(id, k.getValue(), impl.get());
                ids.put(k.getKey(), id);
            }
        }
        this.helpers = table;
        this.kfuncNames = Collections.unmodifiableMap(new LinkedHashMap<>(b.kfuncNames));
        this.kfuncHelperIds = Collections.unmodifiableMap(ids);
        this.maps = Collections.unmodifiableMap(new LinkedHashMap<>(b.maps));
        Map<Integer, int[]> arrays = new LinkedHashMap<>();
        b.instructionArrays.forEach((k, v) -> arrays.put(k, v.clone()));
        this.instructionArrays = Collections.unmodifiableMap(arrays);
        List<Integer> statics = new ArrayList<>();
        maps.forEach((h, m) -> {
            if (hasDirectValue(m)) {
                statics.add(h);
            }
        });
        this.boundMaps = maps.values().stream().distinct().toArray(BpfMap[]::new);
        statics.addAll(instructionArrays.keySet());
        this.staticHandles = List.copyOf(statics);
        this.functionStarts = functionTable(instructions, b.functionStarts);
        this.facts = b.facts;
    }

    /**
     * What a verifier proved about each instruction (indexed by slot), or empty facts for an
     * unverified program. Engines may drop a run-time check only where a fact proves it redundant.
     */
    public io.bpf4j.isa.facts.ProgramFacts facts() {
        return facts;
    }

    /**
     * The program's function table: the first slot of each function, ascending, the entry at
     * slot 0 first. Engines number functions by their position here (what a function pointer
     * and a local call carry).
     */
    public int[] functionStarts() {
        return functionStarts.clone();
    }

    /**
     * The relocator's table when the builder was given one, since it already knows every
     * function (including callees reached only through a call table); else, for instructions
     * written by hand, slot 0 and every bpf-to-bpf call and function-address target.
     */
    private static int[] functionTable(Instructions insns, int[] declared) {
        TreeSet<Integer> starts = new TreeSet<>();
        starts.add(0);
        if (declared != null) {
            for (int d : declared) {
                if (insns.indexAtSlot(d) >= 0) {
                    starts.add(d);
                }
            }
        } else {
            for (int i = 0; i < insns.size(); i++) {
                Instruction insn = insns.get(i);
                int pc = insns.slotOf(i);
                int t = -1;
                if (insn instanceof Call c && c.kind() == Call.Kind.LOCAL) {
                    t = pc + c.imm() + 1;
                } else if (insn instanceof LoadImm64 l && l.source() == LoadImm64.Source.FUNC) {
                    t = pc + l.imm() + 1;
                }
                if (t >= 0 && insns.indexAtSlot(t) >= 0) {
                    starts.add(t);
                }
            }
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    public static Builder builder(Instructions instructions) {
        return new Builder(instructions);
    }

    /** A program with no maps and the given helpers. */
    public static ProgramImage of(Instructions instructions, HelperTable helpers) {
        return builder(instructions).helpers(helpers).build();
    }

    public String name() {
        return name;
    }

    public Instructions instructions() {
        return instructions;
    }

    public HelperTable helpers() {
        return helpers;
    }

    /**
     * The helper-table id an engine calls for a kfunc call carrying {@code btfId}, or -1 when
     * the id names no kfunc the runtime implements.
     */
    public int kfuncHelperId(int btfId) {
        return kfuncHelperIds.getOrDefault(btfId, -1);
    }

    /** The name of the kfunc {@code btfId} names (as the loader resolved it), or null. */
    public String kfuncName(int btfId) {
        return kfuncNames.get(btfId);
    }

    /** The map bound under {@code handle}, or {@code null}. */
    public BpfMap map(int handle) {
        return maps.get(handle);
    }

    /** The handles maps are bound under, in binding order. */
    public List<Integer> mapHandles() {
        return List.copyOf(maps.keySet());
    }

    /** The bound map whose {@link BpfMap#id()} is {@code id}, or {@code null}. */
    public BpfMap mapById(int id) {
        for (BpfMap m : boundMaps) {
            if (m.id() == id) {
                return m;
            }
        }
        return null;
    }

    /** Whether a direct value load may name {@code map}: an array of one entry, as the kernel's array map allows. */
    public static boolean hasDirectValue(BpfMap map) {
        return map.type() == MapType.ARRAY && map.maxEntries() == 1;
    }

    /**
     * The arena bound to the program ({@code BPF_MAP_TYPE_ARENA}), or null: what its
     * {@code addr_space_cast} and arena loads and stores address (the kernel allows one arena
     * per program).
     */
    public io.bpf4j.maps.Arena arena() {
        for (BpfMap m : boundMaps) {
            if (m instanceof io.bpf4j.maps.Arena a) {
                return a;
            }
        }
        return null;
    }

    /** A copy of the instruction array bound under {@code handle}, or {@code null}. */
    public int[] instructionArray(int handle) {
        int[] a = instructionArrays.get(handle);
        return a == null ? null : a.clone();
    }

    /**
     * The regions every run of this program starts with, after the stack frames: each map's
     * direct value, then each instruction array, in binding order.
     */
    public List<Region> staticRegions() {
        List<Region> out = new ArrayList<>();
        for (int handle : staticHandles) {
            BpfMap m = maps.get(handle);
            if (m != null) {
                ValueRef v = m.lookupRef(new byte[4], 0);
                boolean writable = (m.definition().flags() & MapFlags.BPF_F_RDONLY_PROG) == 0;
                out.add(Region.of(RegionKind.GLOBAL_DATA, m.name(), v.array(), v.offset(), v.length(), writable));
            } else {
                int[] targets = instructionArrays.get(handle);
                ByteBuffer buf = ByteBuffer.allocate(targets.length * 8).order(ByteOrder.LITTLE_ENDIAN);
                for (int t : targets) {
                    buf.putLong(Pointers.instruction(t));
                }
                out.add(Region.of(RegionKind.INSN_ARRAY, "insn_array#" + handle, buf.array(), false));
            }
        }
        return out;
    }

    /** The position of {@code handle}'s region in {@link #staticRegions()}, or -1 when it has none. */
    public int staticRegionIndex(int handle) {
        return staticHandles.indexOf(handle);
    }

    /** Builds a {@link ProgramImage}. */
    public static final class Builder {
        private final Instructions instructions;
        private String name = "prog";
        private HelperTable helpers = HelperTable.empty();
        private final Map<Integer, BpfMap> maps = new LinkedHashMap<>();
        private final Map<Integer, int[]> instructionArrays = new LinkedHashMap<>();
        private int[] functionStarts;
        private io.bpf4j.isa.facts.ProgramFacts facts = io.bpf4j.isa.facts.ProgramFacts.empty();
        private final Map<Integer, String> kfuncNames = new LinkedHashMap<>();
        private io.bpf4j.jit.runtime.KfuncTable kfuncs = io.bpf4j.jit.helpers.StandardKfuncs.all();

        private Builder(Instructions instructions) {
            this.instructions = Objects.requireNonNull(instructions, "instructions");
        }

        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        public Builder helpers(HelperTable helpers) {
            this.helpers = Objects.requireNonNull(helpers, "helpers");
            return this;
        }

        /** Binds {@code map} under {@code handle}. */
        public Builder map(int handle, BpfMap map) {
            requireFree(handle);
            maps.put(handle, Objects.requireNonNull(map, "map"));
            return this;
        }

        /** Binds an instruction array (entries: slot indices of jump targets) under {@code handle}. */
        public Builder instructionArray(int handle, int... targets) {
            requireFree(handle);
            instructionArrays.put(handle, targets.clone());
            return this;
        }

        /**
         * The program's function table (first slot of each function), as the relocator made it;
         * without one the table is found from the code's calls and function addresses.
         */
        public Builder functionStarts(int... slots) {
            this.functionStarts = slots.clone();
            return this;
        }

        /**
         * The verifier's facts about these instructions (slot-indexed, as the verifier saw the
         * same instructions); the compiler drops a memory access's bounds check where they
         * prove it in bounds. Never pass facts proved for other instructions.
         */
        public Builder facts(io.bpf4j.isa.facts.ProgramFacts facts) {
            this.facts = Objects.requireNonNull(facts, "facts");
            return this;
        }

        /**
         * Names the kernel function that kfunc calls carrying {@code btfId} (the id the loader
         * resolved against the kernel's BTF) call; it runs when the kfunc table has it, and a
         * call to it is refused at run time otherwise.
         */
        public Builder kfunc(int btfId, String name) {
            kfuncNames.put(btfId, Objects.requireNonNull(name, "name"));
            return this;
        }

        /** The kfunc implementations by name (default: {@link io.bpf4j.jit.helpers.StandardKfuncs#all()}). */
        public Builder kfuncs(io.bpf4j.jit.runtime.KfuncTable kfuncs) {
            this.kfuncs = Objects.requireNonNull(kfuncs, "kfuncs");
            return this;
        }

        private void requireFree(int handle) {
            if (maps.containsKey(handle) || instructionArrays.containsKey(handle)) {
                throw new IllegalArgumentException("handle " + handle + " is already bound");
            }
        }

        public ProgramImage build() {
            return new ProgramImage(this);
        }
    }
}
