package io.bpf4j.loader.selftest;

import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfKind;
import io.bpf4j.elf.btf.BtfType;
import io.bpf4j.isa.BpfException;
import io.bpf4j.isa.abi.ProgramType;
import io.bpf4j.loader.BpfObject;
import io.bpf4j.loader.BpfProgram;
import io.bpf4j.loader.LoadOptions;
import io.bpf4j.loader.OpenOptions;
import io.bpf4j.loader.ProgramRejectedException;
import io.bpf4j.loader.ProgramVerification;
import io.bpf4j.loader.TestRunInput;
import io.bpf4j.loader.TestRunResult;
import io.bpf4j.verifier.Privileges;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads and runs objects written in the kernel's verifier selftests convention: every program
 * whose BTF FUNC carries {@code comment:test_*} decl tags (bpf_misc.h's {@code __success},
 * {@code __failure}, {@code __msg}, {@code __retval}, ...) is a test, and so is a program with
 * none (it must load). A test is run as {@code test_loader.c}'s {@code run_subtest} runs it:
 * open the object afresh, load only that program (and the auxiliary ones) at the test's log
 * level, check the verdict, find the expected messages in the verifier log in order, and when a
 * retval is expected test-run the program once on {@value SelftestSpec#TEST_DATA_LEN} zero bytes
 * of packet (a syscall program on no input at all) and compare the 32-bit return value.
 *
 * <p>The {@code @unpriv} run of a program is verified with {@link Privileges#UNPRIVILEGED} against
 * the {@code _unpriv} expectations (the privileged ones where a program has none of its own),
 * as test_loader runs it after dropping CAP_SYS_ADMIN, CAP_NET_ADMIN, CAP_PERFMON and CAP_BPF.
 * A test bpf4j cannot judge is skipped: a {@code test_prog_flags} flag it does not honour, an
 * architecture other than this one, or a program that uses a feature bpf4j's verifier does
 * not model yet.
 *
 * <pre>{@code
 * for (Selftest t : Selftests.read(Path.of("verifier_demo.bpf.o"))) {
 *     SelftestResult r = Selftests.run(t);
 *     System.out.println(r.status() + " " + t.name() + " " + r.message());
 * }
 * }</pre>
 */
public final class Selftests {
    private static final String TAG = "comment:";
    private static final String EXPECT_FAILURE = "comment:test_expect_failure";
    private static final String EXPECT_SUCCESS = "comment:test_expect_success";
    private static final String EXPECT_FAILURE_UNPRIV = "comment:test_expect_failure_unpriv";
    private static final String EXPECT_SUCCESS_UNPRIV = "comment:test_expect_success_unpriv";
    private static final String EXPECT_MSG = "comment:test_expect_msg=";
    private static final String EXPECT_MSG_UNPRIV = "comment:test_expect_msg_unpriv=";
    private static final String EXPECT_REGEX = "comment:test_expect_regex=";
    private static final String EXPECT_REGEX_UNPRIV = "comment:test_expect_regex_unpriv=";
    private static final String EXPECT_XLATED = "comment:test_expect_xlated=";
    private static final String EXPECT_XLATED_UNPRIV = "comment:test_expect_xlated_unpriv=";
    private static final String JITED = "comment:test_jited=";
    private static final String JITED_UNPRIV = "comment:test_jited_unpriv=";
    private static final String DESCRIPTION = "comment:test_description=";
    private static final String RETVAL = "comment:test_retval=";
    private static final String RETVAL_UNPRIV = "comment:test_retval_unpriv=";
    private static final String LOG_LEVEL = "comment:test_log_level=";
    private static final String PROG_FLAGS = "comment:test_prog_flags=";
    private static final String AUXILIARY = "comment:test_auxiliary";
    private static final String AUXILIARY_UNPRIV = "comment:test_auxiliary_unpriv";
    private static final String BTF_PATH = "comment:test_btf_path=";
    private static final String ARCH = "comment:test_arch=";

    /** {@code BPF_F_*} program flags by the names test_prog_flags accepts (include/uapi/linux/bpf.h). */
    private static final String[] FLAG_NAMES = {"BPF_F_STRICT_ALIGNMENT", "BPF_F_ANY_ALIGNMENT", "BPF_F_TEST_RND_HI32",
            "BPF_F_TEST_STATE_FREQ", "BPF_F_SLEEPABLE", "BPF_F_XDP_HAS_FRAGS", "BPF_F_XDP_DEV_BOUND_ONLY",
            "BPF_F_TEST_REG_INVARIANTS"};
    /** Flags that only steer the kernel's own testing (state checkpoints, random upper halves, invariant checks): no verdict of a correct program depends on them. */
    private static final int TESTING_FLAGS = 1 << 2 | 1 << 3 | 1 << 7;

    private Selftests() {
    }

    /** The tests of an object file, in program order (auxiliary programs are not tests). */
    public static List<Selftest> read(Path object) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(object);
        } catch (IOException e) {
            throw new UncheckedIOException("elf: cannot read '" + object + "'", e);
        }
        return read(bytes, object.getFileName().toString());
    }

    /** The tests of an object in memory, named {@code objectName}. */
    public static List<Selftest> read(byte[] object, String objectName) {
        List<SelftestSpec> specs = new ArrayList<>();
        try (BpfObject obj = BpfObject.open(object, OpenOptions.builder().objectName(name(objectName)).build())) {
            Btf btf = io.bpf4j.elf.ElfObject.read(object).btf().orElse(null);
            for (BpfProgram p : obj.programs()) {
                specs.add(spec(btf, p.name()));
            }
        }
        List<String> aux = specs.stream().filter(s -> s.auxiliary() && s.problem() == null).map(SelftestSpec::program).toList();
        List<Selftest> out = new ArrayList<>();
        for (SelftestSpec s : specs) {
            if (s.auxiliary() && s.problem() == null) {
                continue;
            }
            if (s.privileged() || s.problem() != null) {
                out.add(new Selftest(objectName, object, s, false, aux));
            }
            if (s.unprivileged() && s.problem() == null) {
                out.add(new Selftest(objectName, object, s, true, aux));
            }
        }
        return out;
    }

    private static String name(String fileName) {
        return io.bpf4j.elf.spec.MapSpecReader.objectName(fileName);
    }

    /** The expectations of program {@code program} from the decl tags of its FUNC in {@code btf}. */
    static SelftestSpec spec(Btf btf, String program) {
        if (btf == null) {
            return broken(program, "BPF object has no BTF");
        }
        Optional<BtfType> func = btf.findByName(program, BtfKind.FUNC);
        if (func.isEmpty()) {
            return broken(program, "failed to find FUNC BTF type for '" + program + "'");
        }
        int funcId = func.get().id();
        String description = null;
        boolean expectFailure = false;
        boolean priv = false;
        boolean unpriv = false;
        List<SelftestSpec.Message> messages = new ArrayList<>();
        Integer retval = null;
        boolean anyRetval = false;
        Boolean unprivFailure = null;
        List<SelftestSpec.Message> unprivMessages = new ArrayList<>();
        Integer unprivRetval = null;
        boolean unprivAnyRetval = false;
        int unprivDisasm = 0;
        int logLevel = 0;
        int flags = 0;
        boolean auxiliary = false;
        String btfPath = null;
        List<String> archs = new ArrayList<>();
        int disasm = 0;
        for (BtfType t : btf.types()) {
            if (!(t instanceof BtfType.DeclTag tag) || tag.type() != funcId || tag.componentIndex() != -1) {
                continue;
            }
            String s = tag.name();
            if (!s.startsWith(TAG)) {
                continue;
            }
            try {
                if (s.startsWith(DESCRIPTION)) {
                    description = s.substring(DESCRIPTION.length());
                } else if (s.equals(EXPECT_FAILURE)) {
                    expectFailure = true;
                    priv = true;
                } else if (s.equals(EXPECT_SUCCESS)) {
                    expectFailure = false;
                    priv = true;
                } else if (s.equals(EXPECT_FAILURE_UNPRIV) || s.equals(EXPECT_SUCCESS_UNPRIV)) {
                    unprivFailure = s.equals(EXPECT_FAILURE_UNPRIV);
                    unpriv = true;
                } else if (s.startsWith(RETVAL_UNPRIV)) {
                    String v = s.substring(RETVAL_UNPRIV.length());
                    if (v.equals("POINTER_VALUE")) {
                        unprivAnyRetval = true;
                    } else {
                        unprivRetval = parseRetval(v);
                    }
                    unpriv = true;
                } else if (s.startsWith(EXPECT_MSG_UNPRIV)) {
                    unprivMessages.add(SelftestSpec.Message.msg(dynamic(s.substring(EXPECT_MSG_UNPRIV.length()))));
                    unpriv = true;
                } else if (s.startsWith(EXPECT_REGEX_UNPRIV)) {
                    unprivMessages.add(SelftestSpec.Message.regex(dynamic(s.substring(EXPECT_REGEX_UNPRIV.length()))));
                    unpriv = true;
                } else if (s.startsWith(EXPECT_XLATED_UNPRIV) || s.startsWith(JITED_UNPRIV)) {
                    unprivDisasm++;
                    unpriv = true;
                } else if (s.equals(AUXILIARY)) {
                    auxiliary = true;
                    priv = true;
                } else if (s.equals(AUXILIARY_UNPRIV)) {
                    auxiliary = true;
                    unpriv = true;
                } else if (s.startsWith(EXPECT_MSG)) {
                    messages.add(SelftestSpec.Message.msg(dynamic(s.substring(EXPECT_MSG.length()))));
                    priv = true;
                } else if (s.startsWith(EXPECT_REGEX)) {
                    messages.add(SelftestSpec.Message.regex(dynamic(s.substring(EXPECT_REGEX.length()))));
                    priv = true;
                } else if (s.startsWith(EXPECT_XLATED) || s.startsWith(JITED)) {
                    disasm++;
                    priv = true;
                } else if (s.startsWith(RETVAL)) {
                    String v = s.substring(RETVAL.length());
                    if (v.equals("POINTER_VALUE")) {
                        anyRetval = true;
                    } else {
                        retval = parseRetval(v);
                    }
                    priv = true;
                } else if (s.startsWith(LOG_LEVEL)) {
                    logLevel = parseInt(s.substring(LOG_LEVEL.length()), "test log level");
                } else if (s.startsWith(PROG_FLAGS)) {
                    flags = updateFlags(flags, s.substring(PROG_FLAGS.length()));
                } else if (s.startsWith(BTF_PATH)) {
                    btfPath = s.substring(BTF_PATH.length());
                } else if (s.startsWith(ARCH)) {
                    String a = s.substring(ARCH.length());
                    if (!a.equals("X86_64") && !a.equals("ARM64") && !a.equals("RISCV64")) {
                        throw new IllegalArgumentException("bad arch spec: '" + a + "'");
                    }
                    archs.add(a);
                }
            } catch (IllegalArgumentException e) {
                return broken(program, "Can't parse test spec for program '" + program + "': " + e.getMessage());
            }
        }
        if (!priv && !unpriv) {
            priv = true;
        }
        return new SelftestSpec(program, description, expectFailure, messages, retval, anyRetval, logLevel, flags,
                auxiliary, priv, unpriv, btfPath, archs, disasm, null,
                new SelftestSpec.UnprivMode(unprivFailure, unprivMessages, unprivRetval, unprivAnyRetval, unprivDisasm));
    }

    private static SelftestSpec broken(String program, String problem) {
        return new SelftestSpec(program, null, false, List.of(), null, false, 0, 0, false, true, false, null, List.of(), 0,
                problem, null);
    }

    /**
     * The value of a tag that may carry a counter: bpf_misc.h since Linux 6.9 writes
     * {@code test_expect_msg=<__COUNTER__>=text} (clang keeps only one of two equal decl
     * tags), earlier kernels {@code test_expect_msg=text}.
     */
    private static String dynamic(String value) {
        int eq = value.indexOf('=');
        if (eq > 0 && value.substring(0, eq).chars().allMatch(Character::isDigit)) {
            return value.substring(eq + 1);
        }
        return value;
    }

    private static int parseRetval(String v) {
        switch (v) {
            case "INT_MIN":
                return Integer.MIN_VALUE;
            case "TEST_DATA_LEN":
                return SelftestSpec.TEST_DATA_LEN;
            default:
                return parseInt(v, "__retval");
        }
    }

    /** strtol's forms as test_loader uses them: decimal (signed) or {@code 0x} hex, truncated to int. */
    private static int parseInt(String v, String what) {
        try {
            String s = v.strip();
            boolean neg = s.startsWith("-");
            String body = neg || s.startsWith("+") ? s.substring(1) : s;
            long n = body.startsWith("0x") ? Long.parseLong(body.substring(2), 16) : Long.parseLong(body);
            return (int) (neg ? -n : n);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("failed to parse " + what + " from '" + v + "'");
        }
    }

    private static int updateFlags(int flags, String value) {
        boolean clear = value.startsWith("!");
        String v = clear ? value.substring(1) : value;
        int flag = -1;
        for (int i = 0; i < FLAG_NAMES.length; i++) {
            if (FLAG_NAMES[i].equals(v)) {
                flag = 1 << i;
            }
        }
        if (flag < 0) {
            flag = parseInt(v, "test prog flags");
        }
        return clear ? flags & ~flag : flags | flag;
    }

    /** Runs one test; never throws for anything the object or its annotations do wrong. */
    public static SelftestResult run(Selftest test) {
        SelftestSpec spec = test.unprivileged() ? test.spec().unprivilegedView() : test.spec();
        if (spec.problem() != null) {
            return result(test, SelftestResult.Status.FAILED, spec.problem(), "", null);
        }
        if (!spec.archs().isEmpty() && !spec.archs().contains(currentArch())) {
            return result(test, SelftestResult.Status.SKIPPED, "test_arch " + String.join(",", spec.archs())
                    + ": not this architecture (" + currentArch() + ")", "", null);
        }
        int unhonoured = spec.progFlags() & ~TESTING_FLAGS;
        if (unhonoured != 0) {
            return result(test, SelftestResult.Status.SKIPPED, String.format(Locale.ROOT,
                    "test_prog_flags 0x%x: bpf4j does not model these program flags yet", unhonoured), "", null);
        }
        if (spec.disasmChecks() > 0) {
            return result(test, SelftestResult.Status.SKIPPED, "test_expect_xlated/test_jited: bpf4j does not check "
                    + "the kernel's rewritten or jited code", "", null);
        }
        OpenOptions.Builder open = OpenOptions.builder().objectName(name(test.objectName()));
        if (spec.btfPath() != null) {
            open.targetBtf(Path.of(spec.btfPath()));
        }
        try (BpfObject obj = BpfObject.open(test.object(), open.build())) {
            for (BpfProgram p : obj.programs()) {
                p.setAutoload(p.name().equals(spec.program()) || test.auxiliaries().contains(p.name()));
            }
            BpfProgram prog = obj.program(spec.program()).orElseThrow();
            String log;
            boolean loaded;
            try {
                obj.load(LoadOptions.builder().logLevel(spec.logLevel())
                        .privileges(test.unprivileged() ? Privileges.UNPRIVILEGED : Privileges.ROOT).build());
                ProgramVerification v = prog.verification().orElseThrow();
                if (v.status() == ProgramVerification.Status.UNSUPPORTED) {
                    return result(test, SelftestResult.Status.SKIPPED, v.errorLine().orElse(ProgramVerification.NOT_SUPPORTED),
                            v.log(), null);
                }
                log = v.log();
                loaded = true;
            } catch (ProgramRejectedException e) {
                log = e.verifierException().log();
                loaded = false;
                if (!spec.expectFailure()) {
                    return result(test, SelftestResult.Status.FAILED, "unexpected_load_failure: " + e.kernelMessage()
                            + e.sourceLocation().map(l -> " (" + l + ")").orElse(""), log, null);
                }
            } catch (BpfException e) {
                // refused before the verifier saw it (relocation, maps), as libbpf fails before BPF_PROG_LOAD
                if (!spec.expectFailure()) {
                    return result(test, SelftestResult.Status.FAILED, "unexpected_load_failure: " + e.getMessage(), "", null);
                }
                log = "";
                loaded = false;
            }
            if (loaded && spec.expectFailure()) {
                return result(test, SelftestResult.Status.FAILED, "unexpected_load_success", log, null);
            }
            String mismatch = validateMessages(log, spec.messages());
            if (mismatch != null) {
                return result(test, SelftestResult.Status.FAILED, mismatch, log, null);
            }
            if (!spec.execute()) {
                return result(test, SelftestResult.Status.PASSED, "", log, null);
            }
            TestRunResult run;
            try {
                run = prog.testRun(prog.type() == ProgramType.SYSCALL ? TestRunInput.empty()
                        : TestRunInput.ofData(new byte[SelftestSpec.TEST_DATA_LEN]));
            } catch (BpfException e) {
                return result(test, SelftestResult.Status.FAILED, "Unexpected bpf_prog_test_run error: " + e.getMessage(),
                        log, null);
            }
            int got = (int) run.retval();
            if (!spec.anyRetval() && got != spec.retval()) {
                return result(test, SelftestResult.Status.FAILED, "Unexpected retval: " + got + " != " + spec.retval(), log,
                        run.retval());
            }
            return result(test, SelftestResult.Status.PASSED, "", log, run.retval());
        } catch (BpfException | UncheckedIOException e) {
            return result(test, SelftestResult.Status.FAILED, "obj_open_mem: " + e.getMessage(), "", null);
        }
    }

    /**
     * test_loader's {@code validate_msgs}: each message is searched from where the previous one
     * ended; the first one missing fails the test, listing what matched before it. Null when
     * every message is found.
     */
    static String validateMessages(String log, List<SelftestSpec.Message> messages) {
        int from = 0;
        for (int i = 0; i < messages.size(); i++) {
            int[] at = messages.get(i).find(log, from);
            if (at == null) {
                StringBuilder sb = new StringBuilder("expect_msg");
                for (int j = 0; j <= i; j++) {
                    SelftestSpec.Message m = messages.get(j);
                    sb.append('\n').append(j < i ? "MATCHED   " : "EXPECTED  ").append(m.isRegex() ? "  REGEX" : " SUBSTR")
                            .append(": '").append(m.text()).append('\'');
                }
                return sb.toString();
            }
            from = at[1];
        }
        return null;
    }

    private static String currentArch() {
        String a = System.getProperty("os.arch", "");
        return switch (a) {
            case "amd64", "x86_64" -> "X86_64";
            case "aarch64", "arm64" -> "ARM64";
            case "riscv64" -> "RISCV64";
            default -> a.toUpperCase(Locale.ROOT);
        };
    }

    private static SelftestResult result(Selftest t, SelftestResult.Status s, String message, String log, Long retval) {
        return new SelftestResult(t, s, message, log, retval);
    }

    /** The closing line of a run: {@code N passed, N failed, N skipped}. */
    public static String summary(List<SelftestResult> results) {
        long passed = results.stream().filter(r -> r.status() == SelftestResult.Status.PASSED).count();
        long failed = results.stream().filter(r -> r.status() == SelftestResult.Status.FAILED).count();
        long skipped = results.stream().filter(r -> r.status() == SelftestResult.Status.SKIPPED).count();
        return passed + " passed, " + failed + " failed, " + skipped + " skipped";
    }
}
