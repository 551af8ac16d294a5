package io.bpf4j.loader.selftest;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a program's selftest annotations expect, read from the BTF decl tags on its FUNC (as
 * {@code test_loader.c}'s {@code parse_test_spec} reads them).
 *
 * @param program       the program name
 * @param description   {@code test_description}, or null
 * @param expectFailure {@code test_expect_failure} (else success is expected, also with no tag at all)
 * @param messages      {@code test_expect_msg} and {@code test_expect_regex}, in the order they must appear in the log
 * @param retval        {@code test_retval}: the program is test-run and must return this (32-bit)
 * @param anyRetval     the retval was {@code POINTER_VALUE}: run, any value passes
 * @param logLevel      {@code test_log_level} (0 unless given)
 * @param progFlags     {@code test_prog_flags}, or'ed (names resolved to the UAPI values)
 * @param auxiliary     {@code test_auxiliary}: loaded with every test, not a test itself
 * @param privileged    whether the program is tested in privileged mode (a tag without {@code _unpriv},
 *                      or no mode tag at all)
 * @param unprivileged  whether an {@code _unpriv} tag asks for an unprivileged run too
 * @param btfPath       {@code test_btf_path}: the target BTF for CO-RE, or null
 * @param archs         {@code test_arch} values (empty: every architecture)
 * @param disasmChecks  how many {@code test_expect_xlated} / {@code test_jited} patterns it has (bpf4j does not check them)
 * @param problem       why the tags could not be read (no BTF, no FUNC, a malformed value), or null
 * @param unprivMode    the {@code _unpriv} tags ({@code __failure_unpriv}, {@code __msg_unpriv}, {@code __retval_unpriv}):
 *                      what differs in the unprivileged run ({@link #unprivilegedView()})
 */
public record SelftestSpec(String program, String description, boolean expectFailure, List<Message> messages,
                           Integer retval, boolean anyRetval, int logLevel, int progFlags, boolean auxiliary,
                           boolean privileged, boolean unprivileged, String btfPath, List<String> archs,
                           int disasmChecks, String problem, UnprivMode unprivMode) {
    /** {@code POINTER_VALUE} of test_loader.c: a retval that matches any value. */
    public static final int POINTER_VALUE = 0xcafe4a;
    /** {@code TEST_DATA_LEN}: the size of the zeroed packet each run gets. */
    public static final int TEST_DATA_LEN = 64;

    public SelftestSpec {
        messages = List.copyOf(messages);
        archs = List.copyOf(archs);
        if (unprivMode == null) {
            unprivMode = UnprivMode.NONE;
        }
    }

    /**
     * The unprivileged run's own expectations; each one left out is the privileged run's
     * ({@code parse_test_spec}'s defaults).
     *
     * @param expectFailure {@code __failure_unpriv} / {@code __success_unpriv}, or null
     * @param messages      {@code __msg_unpriv} and {@code __regex_unpriv} (empty: the privileged ones)
     * @param retval        {@code __retval_unpriv}, or null
     * @param anyRetval     that retval was {@code POINTER_VALUE}
     * @param disasmChecks  {@code __xlated_unpriv} / {@code __jited_unpriv} patterns
     */
    public record UnprivMode(Boolean expectFailure, List<Message> messages, Integer retval, boolean anyRetval,
                             int disasmChecks) {
        static final UnprivMode NONE = new UnprivMode(null, List.of(), null, false, 0);

        public UnprivMode {
            messages = List.copyOf(messages);
        }

        boolean hasRetval() {
            return retval != null || anyRetval;
        }
    }

    /** The expectations of the {@code @unpriv} run: the {@code _unpriv} tags over the privileged ones. */
    public SelftestSpec unprivilegedView() {
        UnprivMode u = unprivMode;
        return new SelftestSpec(program, description, u.expectFailure() != null ? u.expectFailure() : expectFailure,
                u.messages().isEmpty() ? messages : u.messages(), u.hasRetval() ? u.retval() : retval,
                u.hasRetval() ? u.anyRetval() : anyRetval, logLevel, progFlags, auxiliary, privileged, unprivileged, btfPath,
                archs, u.disasmChecks() > 0 ? u.disasmChecks() : disasmChecks, problem, u);
    }

    /** Whether the program is test-run after loading ({@code should_do_test_run}). */
    public boolean execute() {
        return (retval != null || anyRetval) && !expectFailure;
    }

    /** The test's name: the program name, with its description in parentheses when it has one. */
    public String displayName() {
        return description == null || description.equals(program) ? program : program + " (" + description + ")";
    }

    public Optional<String> problemText() {
        return Optional.ofNullable(problem);
    }

    public OptionalInt expectedRetval() {
        return retval == null ? OptionalInt.empty() : OptionalInt.of(retval);
    }

    /**
     * One expected log message: a substring, or a pattern. {@code test_expect_msg} text is
     * verbatim except inside {@code {{ }}}, which holds a regular expression; a
     * {@code test_expect_regex} value is a regular expression as a whole.
     *
     * @param text    the annotation's text
     * @param pattern the compiled form when the message contains a regular expression, else null
     */
    public record Message(String text, Pattern pattern) {
        /** A {@code test_expect_msg} value. */
        public static Message msg(String text) {
            if (!text.contains("{{")) {
                return new Message(text, null);
            }
            StringBuilder re = new StringBuilder();
            int i = 0;
            while (i < text.length()) {
                int open = text.indexOf("{{", i);
                if (open < 0) {
                    re.append(Pattern.quote(text.substring(i)));
                    break;
                }
                if (open > i) {
                    re.append(Pattern.quote(text.substring(i, open)));
                }
                int close = text.indexOf("}}", open + 2);
                if (close < 0) {
                    throw new IllegalArgumentException("Regexp has open '{{' but no closing '}}': '" + text + "'");
                }
                re.append(text, open + 2, close);
                i = close + 2;
            }
            return new Message(text, compile(re.toString(), text));
        }

        /** A {@code test_expect_regex} value. */
        public static Message regex(String text) {
            return new Message(text, compile(text, text));
        }

        // POSIX REG_NEWLINE: '.' stops at a newline, '^' and '$' match at line ends
        private static Pattern compile(String re, String original) {
            try {
                return Pattern.compile(re, Pattern.MULTILINE);
            } catch (java.util.regex.PatternSyntaxException e) {
                throw new IllegalArgumentException("Regexp compilation error in '" + original + "': " + e.getDescription());
            }
        }

        public boolean isRegex() {
            return pattern != null;
        }

        /** Where the message is found in {@code log} at or after {@code from}: {start, end}, or null. */
        int[] find(String log, int from) {
            if (pattern == null) {
                int at = log.indexOf(text, from);
                return at < 0 ? null : new int[] {at, at + text.length()};
            }
            Matcher m = pattern.matcher(log);
            return m.find(from) ? new int[] {m.start(), m.end()} : null;
        }
    }
}
