/* The verifier selftests' annotations, written for bpf4j's test corpus.
 *
 * Each macro puts a BTF decl tag on the program's function; the tag strings are the convention
 * of the kernel's tools/testing/selftests/bpf (bpf_misc.h, read by test_loader.c), so an object
 * annotated this way is tested the same by the kernel's test_loader, by bpf4j's
 * BpfSelftests.dynamicTests and by `bpf4j test`. */
#ifndef SELFTEST_MISC_H
#define SELFTEST_MISC_H

#define __tag(text) __attribute__((btf_decl_tag(text)))
#define __xstr(x) __str(x)
#define __str(x) #x

/* the verdict in privileged mode */
#define __success __tag("comment:test_expect_success")
#define __failure __tag("comment:test_expect_failure")
/* a message the verifier log must hold, after the previous one; {{...}} holds a regular
 * expression. clang drops a repeated equal decl tag, so a counter makes each one unique. */
#define __msg(text) __tag("comment:test_expect_msg=" __xstr(__COUNTER__) "=" text)
/* the form before the counter (Linux 6.2 to 6.8) */
#define __msg_plain(text) __tag("comment:test_expect_msg=" text)
/* a whole regular expression (Linux 6.8's __regex) */
#define __regex(text) __tag("comment:test_expect_regex=" __xstr(__COUNTER__) "=" text)
/* test-run on 64 zero bytes and compare the return value (decimal, 0x hex, INT_MIN, TEST_DATA_LEN) */
#define __retval(v) __tag("comment:test_retval=" #v)
#define __description(text) __tag("comment:test_description=" text)
#define __log_level(n) __tag("comment:test_log_level=" #n)
#define __flag(f) __tag("comment:test_prog_flags=" #f)
/* unprivileged mode: a second run without CAP_BPF and CAP_PERFMON */
#define __success_unpriv __tag("comment:test_expect_success_unpriv")
#define __failure_unpriv __tag("comment:test_expect_failure_unpriv")
#define __msg_unpriv(text) __tag("comment:test_expect_msg_unpriv=" __xstr(__COUNTER__) "=" text)

#endif
