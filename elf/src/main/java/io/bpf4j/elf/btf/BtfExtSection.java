package io.bpf4j.elf.btf;

import io.bpf4j.elf.internal.DecodedOnUse;
import java.util.List;

/**
 * One block of a {@code .BTF.ext} sub-section: the records for one ELF section, named as in
 * the object (a leading {@code ?} included).
 *
 * @param sectionName the ELF section name
 * @param records     the records, in file order
 */
public record BtfExtSection<T>(String sectionName, List<T> records) {
    public BtfExtSection {
        records = records instanceof DecodedOnUse<T> lazy ? lazy : List.copyOf(records);
    }
}
