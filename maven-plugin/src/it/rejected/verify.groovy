// the line of the C source where the verifier stops: the dereference of the lookup's result
def source = new File(testdata, 'selftests/src/selftest_wrong.bpf.c').readLines()
def line = source.indexOf('\treturn *v;') + 1
assert line > 0
def log = new File(basedir, 'build.log').text
def expected = "prog 'wrong_expects_success' in selftest_wrong.v3.el.o: R0 invalid mem access 'map_value_or_null' (selftest_wrong.bpf.c:${line})"
assert log.contains('[ERROR] ' + expected) : 'no error line ' + expected
assert log.contains('bpf4j: the verifier rejected 3 programs:')
assert log.contains('BUILD FAILURE')
// the explanation follows the error line: the lookup whose result was not checked, and the hint
def lookup = source.findIndexOf { it.contains('bpf_map_lookup_elem(&hashed, &k)') } + 1
assert log.contains('[ERROR]   explanation (null_pointer):')
assert log.contains("bpf_map_lookup_elem#1      ; sets R0 to what the call returns   @ selftest_wrong.bpf.c:${lookup}")
assert log.contains("[ERROR]   hint: check the result of bpf_map_lookup_elem (line ${lookup}) for NULL before line ${line}")
// the verifier log is only printed with -X
assert !log.contains('R10=fp0')
def csv = new File(basedir, 'target/bpf4j/verify.csv').readLines()
assert csv.count { it.contains(',failure,') } == 3
def json = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/bpf4j/verify.json'))
def rejected = json.find { it.prog_name == 'wrong_expects_success' }
assert rejected.source == "selftest_wrong.bpf.c:${line}".toString()
assert rejected.log.any { it.contains('call bpf_map_lookup_elem#1') }
true
