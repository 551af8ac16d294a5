package io.bpf4j.relocator.core;

import io.bpf4j.elf.btf.BtfKind;

/** Name rules CO-RE shares between candidate search, enumerator matching and type matching. */
final class CoreNames {
    private CoreNames() {}

    /**
     * The length of a name's essential part: everything before the last {@code ___} that has a
     * non-underscore on both sides ({@code task_struct___old} → {@code task_struct}); the whole
     * length when there is no such separator. Flavors let one program carry several local
     * definitions of the same kernel type.
     */
    static int essentialLength(String name) {
        for (int i = name.length() - 5; i >= 0; i--) {
            if (name.charAt(i) != '_' && name.charAt(i + 1) == '_' && name.charAt(i + 2) == '_'
                    && name.charAt(i + 3) == '_' && name.charAt(i + 4) != '_') {
                return i + 1;
            }
        }
        return name.length();
    }

    /** {@return the name without its flavor suffix} */
    static String essential(String name) {
        return name.substring(0, essentialLength(name));
    }

    /** Whether two names have the same essential part. */
    static boolean sameEssential(String a, String b) {
        int la = essentialLength(a);
        return la == essentialLength(b) && a.regionMatches(0, b, 0, la);
    }

    /** {@return the kind as libbpf's {@code btf_kind_str} prints it: lowercase, "void" for kind 0} */
    static String kindString(BtfKind kind) {
        return kind == BtfKind.UNKN ? "void" : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
