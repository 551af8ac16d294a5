package io.bpf4j.relocator.core;

import io.bpf4j.isa.abi.Errno;
import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfType;
import io.bpf4j.elf.btf.CoreRelo;
import java.util.List;

/** Parsing an access string into a local spec, and matching that spec against a target candidate. */
final class SpecMatcher {
    static final int EINVAL = -Errno.EINVAL.number();
    static final int E2BIG = -Errno.E2BIG.number();

    private SpecMatcher() {}

    /** Outcome of parsing: the spec, or a negative errno. */
    static final class Parsed {
        final CoreSpec spec;
        final int error;

        Parsed(CoreSpec spec, int error) {
            this.spec = spec;
            this.error = error;
        }
    }

    /**
     * libbpf's {@code bpf_core_parse_spec}: the access string of a type-based relocation must be
     * "0"; an enumerator relocation names one enumerator of an enum root; a field relocation
     * walks members (anonymous ones too) and array elements from the root, summing bit offsets.
     */
    static Parsed parse(String progName, Btf btf, CoreRelo relo, List<String> log) {
        String s = relo.accessString();
        CoreSpec spec = new CoreSpec(btf, relo.typeId(), relo.kind());
        if (s.isEmpty() || s.charAt(0) == ':') return new Parsed(spec, EINVAL);
        if (relo.kind().isTypeBased()) {
            return new Parsed(spec, s.equals("0") ? 0 : EINVAL);
        }
        int pos = 0;
        while (pos < s.length()) {
            if (s.charAt(pos) == ':') pos++;
            int end = scanInt(s, pos);
            if (end < 0) return new Parsed(spec, EINVAL);
            if (spec.rawLen == CoreSpec.MAX_LEN) return new Parsed(spec, E2BIG);
            long v = parseInt(s, pos, end);
            // sscanf("%d") would take a negative number and libbpf would then index with it; no
            // valid object has one, so it is rejected here instead of read out of bounds.
            if (v < 0 || v > Integer.MAX_VALUE) return new Parsed(spec, EINVAL);
            spec.pushRaw((int) v);
            pos = end;
        }
        if (spec.rawLen == 0) return new Parsed(spec, EINVAL);

        BtfType t = btf.resolve(relo.typeId());
        int id = t.id();
        int accessIdx = spec.raw[0];
        CoreSpec.Accessor acc = spec.push(id, accessIdx, null);

        if (relo.kind().isEnumValueBased()) {
            if (!(t instanceof BtfType.Enumeration) || spec.rawLen > 1
                    || accessIdx >= ((BtfType.Enumeration) t).values().size()) {
                return new Parsed(spec, EINVAL);
            }
            acc.name = ((BtfType.Enumeration) t).values().get(accessIdx).name();
            return new Parsed(spec, 0);
        }
        if (!relo.kind().isFieldBased()) return new Parsed(spec, EINVAL);

        long sz = sizeOf(btf, id);
        if (sz < 0) return new Parsed(spec, (int) sz);
        spec.bitOffset = (accessIdx * sz * 8) & 0xffffffffL;

        for (int i = 1; i < spec.rawLen; i++) {
            t = btf.resolve(id);
            id = t.id();
            accessIdx = spec.raw[i];
            if (t instanceof BtfType.Composite) {
                List<BtfType.Member> members = ((BtfType.Composite) t).members();
                if (accessIdx >= members.size()) return new Parsed(spec, EINVAL);
                BtfType.Member m = members.get(accessIdx);
                spec.addBits(m.bitOffset());
                if (!m.name().isEmpty()) {
                    spec.push(id, accessIdx, m.name());
                }
                id = m.type();
            } else if (t instanceof BtfType.Array) {
                BtfType.Array a = (BtfType.Array) t;
                BtfType elem = btf.resolve(a.elementType());
                id = elem.id();
                boolean flex = isFlexArray(btf, spec.last(), a);
                if (!flex && accessIdx >= a.elements()) return new Parsed(spec, EINVAL);
                spec.push(id, accessIdx, null);
                sz = sizeOf(btf, id);
                if (sz < 0) return new Parsed(spec, (int) sz);
                spec.addBits(accessIdx * sz * 8);
            } else {
                // libbpf prints the access string pointer after parsing consumed it: always empty.
                log.add("prog '" + progName + "': relo for [" + Integer.toUnsignedString(relo.typeId()) + "]  (at idx " + i
                        + ") captures type [" + id + "] of unexpected kind " + CoreNames.kindString(t.kind()));
                return new Parsed(spec, EINVAL);
            }
        }
        return new Parsed(spec, 0);
    }

    /** The end of a {@code %d} conversion starting at {@code pos}, or -1 when there is none. */
    private static int scanInt(String s, int pos) {
        int p = pos;
        while (p < s.length() && Character.isWhitespace(s.charAt(p))) p++;
        if (p < s.length() && (s.charAt(p) == '+' || s.charAt(p) == '-')) p++;
        int digits = p;
        while (p < s.length() && s.charAt(p) >= '0' && s.charAt(p) <= '9') p++;
        return p == digits ? -1 : p;
    }

    private static long parseInt(String s, int start, int end) {
        String text = s.substring(start, end).trim();
        if (text.startsWith("+")) text = text.substring(1);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A zero-length array that is the last member of the struct it was reached through. */
    private static boolean isFlexArray(Btf btf, CoreSpec.Accessor acc, BtfType.Array a) {
        if (acc.name == null || a.elements() > 0) return false;
        BtfType t = btf.type(acc.typeId);
        return t instanceof BtfType.Composite && acc.idx == ((BtfType.Composite) t).members().size() - 1;
    }

    /** {@code btf__resolve_size}, with -EINVAL for types that have none and -E2BIG on overflow. */
    static long sizeOf(Btf btf, int id) {
        try {
            return btf.sizeOf(id);
        } catch (io.bpf4j.elf.btf.MalformedBtfException e) {
            return e.reason() == io.bpf4j.elf.btf.MalformedBtfException.Reason.SIZE_OVERFLOW ? E2BIG : EINVAL;
        } catch (io.bpf4j.elf.btf.BtfException e) {
            return EINVAL;
        }
    }

    /**
     * libbpf's {@code bpf_core_spec_match}: 1 when the local spec resolves in the candidate
     * (filling {@code targ}), 0 when it does not, negative on error. Type-based kinds test the
     * type relations, enumerator kinds look the enumerator up by essential name, field kinds
     * match every named accessor by member name and every index against the target array.
     */
    static int match(CoreSpec local, CoreSpec targ, List<String> log) {
        Btf tb = targ.btf;
        int targId = targ.rootTypeId;
        if (local.kind.isTypeBased()) {
            if (local.kind == io.bpf4j.elf.btf.CoreReloKind.TYPE_MATCHES) {
                return TypeRelations.typesMatch(local.btf, local.rootTypeId, tb, targId, log);
            }
            return TypeRelations.typesAreCompat(local.btf, local.rootTypeId, tb, targId, log);
        }
        if (local.kind.isEnumValueBased()) {
            BtfType t = tb.resolve(targId);
            if (!(t instanceof BtfType.Enumeration)) return 0;
            String localName = local.spec[0].name;
            int localLen = CoreNames.essentialLength(localName);
            List<BtfType.EnumValue> values = ((BtfType.Enumeration) t).values();
            for (int i = 0; i < values.size(); i++) {
                String name = values.get(i).name();
                if (CoreNames.essentialLength(name) != localLen) continue;
                if (localName.regionMatches(0, name, 0, localLen)) {
                    targ.push(t.id(), i, name);
                    targ.pushRaw(i);
                    return 1;
                }
            }
            return 0;
        }
        if (!local.kind.isFieldBased()) return EINVAL;

        for (int i = 0; i < local.len; i++) {
            BtfType tt = tb.resolve(targId);
            targId = tt.id();
            CoreSpec.Accessor la = local.spec[i];
            if (la.name != null) {
                int[] next = {targId};
                int matched = matchMember(local.btf, la, tb, targId, targ, next);
                if (matched <= 0) return matched;
                targId = next[0];
            } else {
                if (i > 0) {
                    if (!(tt instanceof BtfType.Array)) return 0;
                    BtfType.Array a = (BtfType.Array) tt;
                    boolean flex = isFlexArray(tb, targ.last(), a);
                    if (!flex && Integer.toUnsignedLong(la.idx) >= a.elements()) return 0;
                    targId = tb.resolve(a.elementType()).id();
                }
                if (targ.rawLen == CoreSpec.MAX_LEN) return E2BIG;
                targ.push(targId, la.idx, null);
                targ.pushRaw(la.idx);
                long sz = sizeOf(tb, targId);
                if (sz < 0) return (int) sz;
                // libbpf computes idx * sz * 8 in int here.
                targ.addBits((int) ((long) la.idx * (int) sz * 8));
            }
        }
        return 1;
    }

    /**
     * Finds the local accessor's member by name in the target composite, descending into
     * anonymous members (their indices go into the raw spec, their offsets into the bit
     * offset); the named match must then be field-compatible.
     */
    private static int matchMember(Btf localBtf, CoreSpec.Accessor la, Btf tb, int targId, CoreSpec targ, int[] nextTargId) {
        BtfType tt = tb.resolve(targId);
        targId = tt.id();
        if (!(tt instanceof BtfType.Composite)) return 0;
        BtfType.Composite lt = (BtfType.Composite) localBtf.type(la.typeId);
        BtfType.Member localMember = lt.members().get(la.idx);
        String localName = localMember.name();
        List<BtfType.Member> members = ((BtfType.Composite) tt).members();
        for (int i = 0; i < members.size(); i++) {
            BtfType.Member m = members.get(i);
            long bitOffset = m.bitOffset();
            if (targ.rawLen == CoreSpec.MAX_LEN) return E2BIG;
            targ.addBits(bitOffset);
            targ.pushRaw(i);
            if (m.name().isEmpty()) {
                int found = matchMember(localBtf, la, tb, m.type(), targ, nextTargId);
                if (found != 0) return found;
            } else if (localName.equals(m.name())) {
                targ.push(targId, i, m.name());
                nextTargId[0] = m.type();
                int found = TypeRelations.fieldsAreCompat(localBtf, localMember.type(), tb, m.type());
                if (found == 0) targ.len--;
                return found;
            }
            targ.addBits(-bitOffset);
            targ.rawLen--;
        }
        return 0;
    }
}
