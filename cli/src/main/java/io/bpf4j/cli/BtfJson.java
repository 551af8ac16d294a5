package io.bpf4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** BTF as JSON: {@code {"types": [{"id", "kind", "name", ...fields of the kind}]}}, like bpftool -j btf dump. */
final class BtfJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private BtfJson() {}

    static Map<String, Object> types(Btf btf) {
        List<Map<String, Object>> types = new ArrayList<>();
        for (BtfType t : btf.types()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", t.id());
            m.put("kind", t.kind().name());
            m.put("name", t.name().isEmpty() ? "(anon)" : t.name());
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = MAPPER.convertValue(t, Map.class);
            fields.remove("id");
            fields.remove("name");
            m.putAll(fields);
            types.add(m);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("types", types);
        return root;
    }
}
