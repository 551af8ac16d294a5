package io.bpf4j.maps.kernel;

import io.bpf4j.maps.BpfMap;
import io.bpf4j.maps.MapException;
import io.bpf4j.maps.MapFlags;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/**
 * The user-space map operations a differential test runs, with outcomes as comparable strings:
 * {@code ok}, an errno name, or the bytes read in hex (per-CPU values as one hex string per
 * CPU joined by {@code |}).
 */
interface MapOps {
    String update(byte[] key, byte[] value, String flag);

    String lookup(byte[] key);

    String delete(byte[] key);

    String getNext(byte[] key);

    String push(byte[] value, String flag);

    String pop();

    String peek();

    HexFormat HEX = HexFormat.of();

    /** The in-process map; per-CPU values written the way bpftool writes them: the same value on every CPU. */
    final class InProcess implements MapOps {
        private final BpfMap map;

        InProcess(BpfMap map) {
            this.map = map;
        }

        private static long flag(String f) {
            switch (f) {
                case "any": return MapFlags.BPF_ANY;
                case "noexist": return MapFlags.BPF_NOEXIST;
                case "exist": return MapFlags.BPF_EXIST;
                default: throw new IllegalArgumentException(f);
            }
        }

        private static String run(Runnable r) {
            try {
                r.run();
                return "ok";
            } catch (MapException e) {
                return e.errno().name();
            }
        }

        private String read(Supplier<byte[]> s) {
            try {
                return show(s.get());
            } catch (MapException e) {
                return e.errno().name();
            }
        }

        private String show(byte[] v) {
            if (!map.definition().isPerCpu()) {
                return HEX.formatHex(v);
            }
            int stride = (map.valueSize() + 7) & ~7;
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < map.definition().numCpus(); c++) {
                if (c > 0) {
                    sb.append('|');
                }
                sb.append(HEX.formatHex(v, c * stride, c * stride + map.valueSize()));
            }
            return sb.toString();
        }

        @Override
        public String update(byte[] key, byte[] value, String flag) {
            byte[] v = value;
            if (map.definition().isPerCpu()) {
                int stride = (map.valueSize() + 7) & ~7;
                v = new byte[map.definition().userValueSize()];
                for (int c = 0; c < map.definition().numCpus(); c++) {
                    System.arraycopy(value, 0, v, c * stride, value.length);
                }
            }
            byte[] fv = v;
            return run(() -> map.update(key, fv, flag(flag)));
        }

        @Override
        public String lookup(byte[] key) {
            return read(() -> map.lookup(key));
        }

        @Override
        public String delete(byte[] key) {
            return run(() -> map.delete(key));
        }

        @Override
        public String getNext(byte[] key) {
            try {
                return HEX.formatHex(map.getNextKey(key));
            } catch (MapException e) {
                return e.errno().name();
            }
        }

        @Override
        public String push(byte[] value, String flag) {
            return run(() -> map.push(value, flag(flag)));
        }

        @Override
        public String pop() {
            return read(map::pop);
        }

        @Override
        public String peek() {
            return read(map::peek);
        }
    }

    /** The same operations on a pinned kernel map through bpftool. */
    final class Kernel implements MapOps {
        private final Bpftool tool;
        private final Path pin;
        private final boolean perCpu;

        Kernel(Bpftool tool, Path pin, boolean perCpu) {
            this.tool = tool;
            this.pin = pin;
            this.perCpu = perCpu;
        }

        private static String status(Bpftool.Result r) {
            return r.ok() ? "ok" : String.valueOf(r.errno());
        }

        private String values(Bpftool.Result r, String field) {
            if (!r.ok()) {
                return String.valueOf(r.errno());
            }
            List<byte[]> vs = Bpftool.hexField(r.out(), field);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < vs.size(); i++) {
                if (i > 0) {
                    sb.append('|');
                }
                sb.append(HEX.formatHex(vs.get(i)));
            }
            if (!perCpu && vs.size() != 1) {
                throw new IllegalStateException("unexpected bpftool output: " + r.out());
            }
            return sb.toString();
        }

        @Override
        public String update(byte[] key, byte[] value, String flag) {
            return key.length == 0
                    ? status(tool.map(pin, "update", "value", value, flag))
                    : status(tool.map(pin, "update", "key", key, "value", value, flag));
        }

        @Override
        public String lookup(byte[] key) {
            return values(tool.map(pin, "lookup", "key", key), "value");
        }

        @Override
        public String delete(byte[] key) {
            return status(tool.map(pin, "delete", "key", key));
        }

        @Override
        public String getNext(byte[] key) {
            Bpftool.Result r = key == null ? tool.map(pin, "getnext") : tool.map(pin, "getnext", "key", key);
            if (!r.ok()) {
                return String.valueOf(r.errno());
            }
            return HEX.formatHex(Bpftool.hexField(r.out(), "next_key").get(0));
        }

        @Override
        public String push(byte[] value, String flag) {
            return status(tool.map(pin, "update", "value", value, flag));
        }

        @Override
        public String pop() {
            return values(tool.map(pin, "pop"), "value");
        }

        @Override
        public String peek() {
            return values(tool.map(pin, "peek"), "value");
        }
    }
}
