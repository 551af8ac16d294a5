package io.bpf4j.elf;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.elf.btf.BtfExtSection;
import io.bpf4j.elf.btf.CoreRelo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The {@code CO-RE} lines of {@link ObjdumpListings} against {@code llvm-objdump-19 -dr} on
 * objects built for the forms the testdata corpus lacks (arrays, anonymous members, typedef,
 * modifier, pointer, int, fwd and void roots, enum64, signed enums, type ids, type_matches,
 * big-endian) and on copies with damaged records. Objects and goldens come from
 * {@code src/test/resources/corelisting/build.sh}.
 */
class CoreListingTest {
    private static final List<String> OBJECTS = List.of("core_forms.el.o", "core_forms.eb.o", "core_malformed.el.o", "core_malformed.eb.o");

    private static Path dir() {
        return Corpus.root().resolve("elf/src/test/resources/corelisting");
    }

    private static String golden(String object) throws IOException {
        String text = Files.readString(dir().resolve(object + ".txt"));
        return text.substring(text.indexOf("Disassembly of section"));
    }

    @TestFactory
    Stream<DynamicTest> listingEqualsLlvmObjdump() {
        return OBJECTS.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            ElfObject object = ElfObject.read(dir().resolve(name));
            assertThat(ObjdumpListings.of(object).render()).isEqualTo(golden(name));
        }));
    }

    @Test
    void goldensHoldTheFormsTheyAreFor() throws IOException {
        String forms = golden("core_forms.el.o");
        assertThat(forms).contains(
                "CO-RE <byte_off> [5] struct outer::arr[2].b (0:1:2:1)",
                "CO-RE <byte_off> [5] struct outer::<anon 2>.<anon 0>.y (0:2:0:1)",
                "CO-RE <field_exists> [5] struct outer::[1].arr[3] (1:1:3)",
                "CO-RE <target_type_id> [17] typedef outer_t",
                "CO-RE <local_type_id> [20] <anon 20>",
                "CO-RE <type_exists> [21] fwd struct only_declared",
                "CO-RE <type_matches> [7] struct inner",
                "CO-RE <enumval_value> [24] enum small_unsigned::SU_MAX = 18446744073709551615",
                "CO-RE <enumval_value> [26] enum wide_signed::WS_NEG = -4294967296");
        String malformed = golden("core_malformed.el.o");
        assertThat(malformed).contains(
                "CO-RE <byte_off> [15] const volatile int::[5] (5)",
                "CO-RE <local_type_id> [33] type_tag(\"user\") int",
                "CO-RE <local_type_id> [0] void",
                "<unexpected spec string delimiter: ';'>",
                "<bad value index: 5>");
    }

    @Test
    void oneLinePerInstructionStartOnly() throws IOException {
        // mutate.py put a second record on an instruction and one inside an ld_imm64:
        // llvm-objdump prints neither, so the golden has fewer lines than there are records.
        ElfObject object = ElfObject.read(dir().resolve("core_malformed.el.o"));
        long records = object.btfExt().orElseThrow().coreRelos().stream().map(BtfExtSection::records).mapToLong(List::size).sum();
        long lines = golden("core_malformed.el.o").lines().filter(l -> l.contains("CO-RE ")).count();
        assertThat(lines).isEqualTo(records - 2);
        List<CoreRelo> relos = object.btfExt().orElseThrow().coreRelos("tp/core_forms");
        assertThat(relos.stream().map(CoreRelo::insnOffset).distinct().count()).isEqualTo(records - 1);
    }
}
