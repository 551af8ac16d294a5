package io.bpf4j.jit.compiler;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bytecode size of each method of a generated class, read from its {@code Code} attributes,
 * and the size past which HotSpot never compiles a method ({@code HugeMethodLimit}, 8000 bytes,
 * unless {@code -XX:-DontCompileHugeMethods}): such a method would run in the JVM's bytecode
 * interpreter, several times slower than the BPF interpreter (which HotSpot does compile).
 */
final class MethodSizes {
    /** HotSpot's {@code HugeMethodLimit}. */
    static final int HUGE_METHOD_LIMIT = 8000;

    private MethodSizes() {}

    private static final int COMPILABLE_LIMIT = readCompilableLimit();

    /** The largest method size HotSpot compiles here, or {@link Integer#MAX_VALUE} when it compiles any. */
    static int compilableLimit() {
        return COMPILABLE_LIMIT;
    }

    /** Asks the VM once: the MXBean lookup costs more than compiling a small program. */
    private static int readCompilableLimit() {
        try {
            var hotspot = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            if (hotspot != null && "false".equals(hotspot.getVMOption("DontCompileHugeMethods").getValue())) {
                return Integer.MAX_VALUE;
            }
        } catch (RuntimeException | LinkageError e) {
            // not HotSpot, or the option is not there: assume the default
        }
        return HUGE_METHOD_LIMIT;
    }

    /** Method name to code length, in class-file order. */
    static Map<String, Integer> of(byte[] classFile) {
        ByteBuffer b = ByteBuffer.wrap(classFile);
        b.position(8);
        int count = b.getShort() & 0xffff;
        String[] utf8 = new String[count];
        for (int i = 1; i < count; i++) {
            int tag = b.get() & 0xff;
            switch (tag) {
                case 1 -> {
                    int len = b.getShort() & 0xffff;
                    byte[] s = new byte[len];
                    b.get(s);
                    utf8[i] = new String(s, java.nio.charset.StandardCharsets.UTF_8);
                }
                case 3, 4, 9, 10, 11, 12, 17, 18 -> b.position(b.position() + 4);
                case 5, 6 -> {
                    b.position(b.position() + 8);
                    i++;
                }
                case 7, 8, 16, 19, 20 -> b.position(b.position() + 2);
                case 15 -> b.position(b.position() + 3);
                default -> throw new IllegalArgumentException("constant pool tag " + tag);
            }
        }
        b.position(b.position() + 6);
        int interfaces = b.getShort() & 0xffff;
        b.position(b.position() + 2 * interfaces);
        int fields = b.getShort() & 0xffff;
        for (int i = 0; i < fields; i++) {
            b.position(b.position() + 6);
            skipAttributes(b);
        }
        Map<String, Integer> sizes = new LinkedHashMap<>();
        int methods = b.getShort() & 0xffff;
        for (int i = 0; i < methods; i++) {
            b.position(b.position() + 2);
            String name = utf8[b.getShort() & 0xffff];
            b.position(b.position() + 2);
            int attributes = b.getShort() & 0xffff;
            for (int a = 0; a < attributes; a++) {
                String attr = utf8[b.getShort() & 0xffff];
                int len = b.getInt();
                int next = b.position() + len;
                if ("Code".equals(attr)) {
                    b.position(b.position() + 4);
                    sizes.put(name, b.getInt());
                }
                b.position(next);
            }
        }
        return sizes;
    }

    private static void skipAttributes(ByteBuffer b) {
        int attributes = b.getShort() & 0xffff;
        for (int a = 0; a < attributes; a++) {
            b.position(b.position() + 2);
            int len = b.getInt();
            b.position(b.position() + len);
        }
    }
}
