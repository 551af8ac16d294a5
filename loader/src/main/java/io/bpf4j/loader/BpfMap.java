package io.bpf4j.loader;

import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfType;
import io.bpf4j.isa.abi.MapType;
import io.bpf4j.elf.spec.DataSecVar;
import io.bpf4j.elf.spec.DataSecs;
import io.bpf4j.elf.spec.DeclarationException;
import io.bpf4j.elf.spec.MapSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A map of a {@link BpfObject}: its spec, adjustable while the object is open (libbpf's
 * {@code bpf_map__set_*}), and after load the in-process map.
 */
public final class BpfMap {
    private final BpfObject owner;
    private final int index;

    BpfMap(BpfObject owner, int index) {
        this.owner = owner;
        this.index = index;
    }

    public MapSpec spec() {
        return owner.spec().maps().get(index);
    }

    public String name() {
        return spec().name();
    }

    /** The index of the map in the object: what relocated {@code ld_imm64} instructions carry. */
    public int index() {
        return index;
    }

    public MapType type() {
        return spec().type();
    }

    public BpfMap setMaxEntries(int maxEntries) {
        owner.updateMap(index, spec().withMaxEntries(maxEntries));
        return this;
    }

    public BpfMap setFlags(int flags) {
        owner.updateMap(index, spec().withFlags(flags));
        return this;
    }

    public BpfMap setNumaNode(int node) {
        owner.updateMap(index, spec().withNumaNode(node));
        return this;
    }

    public BpfMap setMapExtra(long extra) {
        owner.updateMap(index, spec().withMapExtra(extra));
        return this;
    }

    /** libbpf's {@code bpf_map__set_autocreate}: references to a map not created are poisoned. */
    public BpfMap setAutocreate(boolean autocreate) {
        owner.updateMap(index, spec().withAutocreate(autocreate));
        return this;
    }

    /** libbpf's {@code bpf_map__set_initial_value}: a global-data map's whole image. */
    public BpfMap setInitialValue(byte[] data) {
        MapSpec s = spec();
        if (s.initialData() == null || data.length != s.valueSize()) {
            throw new DeclarationException("map '" + s.name() + "': initial value of " + data.length
                    + " bytes does not fit a value of " + s.valueSize() + " bytes", s.name(), s.sectionName());
        }
        owner.updateMap(index, s.withInitialData(data));
        return this;
    }

    /**
     * Sets one variable of a global-data map ({@code .rodata}, {@code .data}, ...) by name, found
     * through the BTF DATASEC of the map's section, as a skeleton's {@code rodata->var = ...}.
     *
     * @throws DeclarationException when the map has no such variable or the size differs
     */
    public BpfMap setVariable(String variable, byte[] value) {
        MapSpec s = spec();
        DataSecVar v = variable(variable).orElseThrow(() -> new DeclarationException("map '" + s.name()
                + "': no variable '" + variable + "'", s.name(), s.sectionName()));
        if (v.size() != value.length) {
            throw new DeclarationException("map '" + s.name() + "': variable '" + variable + "' has " + v.size()
                    + " bytes, not " + value.length, s.name(), s.sectionName());
        }
        byte[] data = s.initialData();
        System.arraycopy(value, 0, data, (int) v.offset(), value.length);
        owner.updateMap(index, s.withInitialData(data));
        return this;
    }

    /** The variables of a global-data map, from BTF, with offsets as libbpf fixes them up. */
    public List<DataSecVar> variables() {
        MapSpec s = spec();
        Btf btf = owner.spec().btf().orElse(null);
        if (btf == null || !s.kind().isGlobalData() || s.valueTypeId() == 0) {
            return List.of();
        }
        BtfType t = btf.type(s.valueTypeId());
        return t instanceof BtfType.DataSec ? DataSecs.vars(owner.spec().elf(), btf, (BtfType.DataSec) t) : List.of();
    }

    private Optional<DataSecVar> variable(String name) {
        return variables().stream().filter(v -> v.name().equals(name)).findFirst();
    }

    /** Where the map is pinned: {@code <pin root>/<name>} for {@code LIBBPF_PIN_BY_NAME}. */
    public Optional<Path> pinPath() {
        return spec().pinning() == MapSpec.Pinning.BY_NAME ? Optional.of(owner.options().pinRoot().resolve(name()))
                : Optional.empty();
    }

    /** The in-process map, once the object is loaded and if the map was created. */
    public Optional<io.bpf4j.maps.BpfMap> runtime() {
        return owner.runtimeMap(index);
    }

    /** Everything {@code inspect} shows. */
    public MapInfo info() {
        MapSpec s = spec();
        MapType t = s.type();
        return new MapInfo(s.name(), s.kind().name().toLowerCase(java.util.Locale.ROOT),
                t == null ? Integer.toString(s.typeId()) : t.displayName(), s.keySize(), s.valueSize(), s.maxEntries(),
                s.flags(), s.numaNode(), s.mapExtra(), s.keyTypeId(), s.valueTypeId(),
                s.pinning().name().toLowerCase(java.util.Locale.ROOT), pinPath().map(Path::toString).orElse(null),
                s.innerMap() == null ? null : s.innerMap().name(), s.initialSlots(),
                s.initialData() == null ? 0 : s.initialData().length, s.sectionName(), s.autocreate());
    }

    @Override
    public String toString() {
        return "BpfMap[" + spec() + "]";
    }
}
