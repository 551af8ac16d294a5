package io.bpf4j.isa.facts;

import java.util.Arrays;
import java.util.Optional;

/**
 * Facts for every instruction of one program, indexed by instruction slot (an {@code ld_imm64}
 * takes two slots; its facts are at the first). Immutable; {@link #empty()} is the answer for a
 * program nobody verified, and an engine must then assume nothing.
 *
 * <p>Program-wide facts (such as {@link Facts#MAX_CTX_OFFSET}) live in {@link #program()}.
 */
public final class ProgramFacts {

    private static final ProgramFacts EMPTY = new ProgramFacts(new InsnFacts[0], InsnFacts.empty());

    private final InsnFacts[] perSlot;
    private final InsnFacts program;

    private ProgramFacts(InsnFacts[] perSlot, InsnFacts program) {
        this.perSlot = perSlot;
        this.program = program;
    }

    public static ProgramFacts empty() {
        return EMPTY;
    }

    /** Number of slots with a facts entry (0 for {@link #empty()}). */
    public int size() {
        return perSlot.length;
    }

    public boolean isEmpty() {
        return perSlot.length == 0 && program.isEmpty();
    }

    /** The facts of slot {@code slot}; empty facts for slots beyond {@link #size()}. */
    public InsnFacts at(int slot) {
        return slot >= 0 && slot < perSlot.length ? perSlot[slot] : InsnFacts.empty();
    }

    public <T> Optional<T> get(int slot, FactKey<T> key) {
        return at(slot).get(key);
    }

    /** Facts about the whole program. */
    public InsnFacts program() {
        return program;
    }

    public static Builder builder(int slots) {
        return new Builder(slots);
    }

    /** Collects facts while a verifier walks a program; {@link #build()} freezes them. */
    public static final class Builder {
        private final InsnFacts[] perSlot;
        private InsnFacts program = InsnFacts.empty();

        private Builder(int slots) {
            perSlot = new InsnFacts[slots];
            Arrays.fill(perSlot, InsnFacts.empty());
        }

        public <T> Builder put(int slot, FactKey<T> key, T value) {
            perSlot[slot] = perSlot[slot].with(key, value);
            return this;
        }

        public Builder remove(int slot, FactKey<?> key) {
            perSlot[slot] = perSlot[slot].without(key);
            return this;
        }

        public InsnFacts at(int slot) {
            return perSlot[slot];
        }

        public <T> Builder putProgram(FactKey<T> key, T value) {
            program = program.with(key, value);
            return this;
        }

        public ProgramFacts build() {
            return new ProgramFacts(perSlot.clone(), program);
        }
    }
}
