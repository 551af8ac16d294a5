package io.bpf4j.isa.abi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The built-in prototype and program-type tables against the uapi id list ({@link HelperId}) and their own invariants. */
class HelperTableTest {

    private final KernelProfile p = KernelProfile.linux618();

    @Test
    void everyHelperIdOfLinux618HasAPrototypeUnderItsUapiName() {
        List<String> wrong = new ArrayList<>();
        for (HelperId id : HelperId.values()) {
            if (id == HelperId.UNSPEC) {
                assertThat(p.helper(0)).isEmpty();
                continue;
            }
            if (p.helper(id.id()).isEmpty()) {
                wrong.add("no prototype for " + id);
                continue;
            }
            for (HelperProto h : p.variants(id.id())) {
                if (!h.name().equals(id.displayName()) || h.id() != id.id()) {
                    wrong.add(h + " does not match " + id.id() + " " + id.displayName());
                }
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(p.helpers()).hasSize(HelperId.values().length - 1);
        assertThat(p.helper(212)).isEmpty();
    }

    @Test
    void argumentShapesAreConsistent() {
        List<String> wrong = new ArrayList<>();
        for (HelperId id : HelperId.values()) {
            for (HelperProto h : p.variants(id.id())) {
                for (int i = 0; i < h.args().size(); i++) {
                    ArgSpec a = h.args().get(i);
                    if (a.kind() == ArgKind.DONTCARE) {
                        wrong.add(h + ": DONTCARE inside the list");
                    }
                    // a size argument describes the memory argument right before it
                    if (a.kind().isSize()) {
                        ArgKind before = i == 0 ? ArgKind.DONTCARE : h.args().get(i - 1).kind();
                        if (before != ArgKind.PTR_TO_MEM) {
                            wrong.add(h + ": size arg " + (i + 1) + " after " + before);
                        }
                    }
                    if (a.has(TypeFlag.MEM_FIXED_SIZE) != (a.fixedSize() > 0)) {
                        wrong.add(h + ": fixed size flag and size disagree on arg " + (i + 1));
                    }
                    if (a.has(TypeFlag.MEM_UNINIT) && !a.has(TypeFlag.MEM_WRITE)) {
                        wrong.add(h + ": uninit memory the helper does not write, arg " + (i + 1));
                    }
                }
                if (h.acquiresRef() && !h.retMaybeNull() && h.ret() != RetKind.INTEGER) {
                    wrong.add(h + ": acquires a reference it cannot fail to get");
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void referencePairsAreThere() {
        HelperProto reserve = p.helper(HelperId.RINGBUF_RESERVE.id()).orElseThrow();
        assertThat(reserve.acquiresRef()).isTrue();
        assertThat(reserve.ret()).isEqualTo(RetKind.PTR_TO_RINGBUF_MEM_OR_NULL);
        assertThat(reserve.arg(1).kind()).isEqualTo(ArgKind.CONST_ALLOC_SIZE_OR_ZERO);
        for (HelperId release : List.of(HelperId.RINGBUF_SUBMIT, HelperId.RINGBUF_DISCARD)) {
            HelperProto h = p.helper(release.id()).orElseThrow();
            assertThat(h.releasedArg()).isZero();
            assertThat(h.arg(0).kind()).isEqualTo(ArgKind.PTR_TO_RINGBUF_MEM);
        }
        assertThat(p.helper(HelperId.SK_RELEASE.id()).orElseThrow().releasesRef()).isTrue();
        for (HelperId lookup : List.of(HelperId.SK_LOOKUP_TCP, HelperId.SK_LOOKUP_UDP, HelperId.SKC_LOOKUP_TCP)) {
            for (HelperProto h : p.variants(lookup.id())) {
                assertThat(h.acquiresRef()).as(h.toString()).isTrue();
            }
        }
        HelperProto lookupElem = p.helper(HelperId.MAP_LOOKUP_ELEM.id()).orElseThrow();
        assertThat(lookupElem.acquiresRef()).isFalse();
        assertThat(lookupElem.acquiresRef(MapType.SOCKMAP)).isTrue();
        assertThat(lookupElem.acquiresRef(MapType.HASH)).isFalse();
        HelperProto strtol = p.helper(HelperId.STRTOL.id()).orElseThrow();
        assertThat(strtol.arg(3).fixedSize()).isEqualTo(8);
        assertThat(strtol.arg(3).flags()).contains(TypeFlag.MEM_FIXED_SIZE, TypeFlag.MEM_UNINIT, TypeFlag.MEM_WRITE,
                TypeFlag.MEM_ALIGNED);
        assertThat(p.helper(HelperId.GET_CURRENT_TASK_BTF.id()).orElseThrow().retBtfType()).isEqualTo("task_struct");
    }

    @Test
    void programTypesGetTheirVariants() {
        // perf_event_output takes the ctx everywhere, but each family has its own prototype object
        assertThat(p.helper(ProgramType.XDP, AttachType.XDP, 25).orElseThrow().variant()).isEqualTo("xdp");
        assertThat(p.helper(ProgramType.SCHED_CLS, null, 25).orElseThrow().variant()).isEqualTo("skb");
        assertThat(p.helper(ProgramType.TRACEPOINT, null, 25).orElseThrow().variant()).isEqualTo("tp");
        assertThat(p.helper(ProgramType.KPROBE, null, 25).orElseThrow().variant()).isEmpty();
        // attach-type dependent: bind() only from connect hooks, get_func_ip per kprobe flavour
        assertThat(p.allows(ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET4_CONNECT, HelperId.BIND.id())).isTrue();
        assertThat(p.allows(ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET4_BIND, HelperId.BIND.id())).isFalse();
        assertThat(p.helper(ProgramType.KPROBE, AttachType.TRACE_KPROBE_MULTI, HelperId.GET_FUNC_IP.id()))
                .hasValueSatisfying(h -> assertThat(h.variant()).isEqualTo("kprobe_multi"));
        assertThat(p.allows(ProgramType.XDP, HelperId.SKB_LOAD_BYTES.id())).isFalse();
        assertThat(p.allows(ProgramType.XDP, HelperId.XDP_ADJUST_META.id())).isTrue();
        // the base helpers reach every program type but lirc's closed list
        for (ProgramType t : p.programTypes()) {
            assertThat(p.allows(t, HelperId.MAP_LOOKUP_ELEM.id())).as(t.displayName()).isTrue();
            if (t != ProgramType.LIRC_MODE2) {
                assertThat(p.allows(t, HelperId.RINGBUF_RESERVE.id())).as(t.displayName()).isTrue();
            }
        }
    }

    @Test
    void buildChoicesNameHelpersOfTheTable() {
        assertThat(p.buildOptions()).containsKey(HelperId.PROBE_WRITE_USER.id());
        assertThat(p.buildOptions().get(HelperId.SKB_GET_XFRM_STATE.id())).contains("CONFIG_XFRM");
    }

    @Test
    void protoTextRoundTrips() {
        HelperProto h = ProfileText.parseProto(
                "163 check_mtu@xdp gpl -> integer : ptr_to_ctx, anything, ptr_to_mem|mem_fixed_size|mem_write|mem_aligned(4), anything");
        assertThat(h.args()).hasSize(4);
        assertThat(h.arg(2).fixedSize()).isEqualTo(4);
        assertThat(h.gplOnly()).isTrue();
        assertThat(h.arg(4).kind()).isEqualTo(ArgKind.DONTCARE);
        assertThat(h.toString()).startsWith("163 check_mtu@xdp(ptr_to_ctx, anything, ptr_to_mem|mem_fixed_size");
    }
}
