def log = new File(basedir, 'build.log').text
assert log.contains("[WARNING] prog 'wrong_expects_success' in selftest_wrong.v3.el.o: R0 invalid mem access 'map_value_or_null' (selftest_wrong.bpf.c:")
// selftest_wrong (2 accepted, 3 rejected) and selftest_explain (6 rejected on purpose)
assert log.contains('bpf4j: verified 11 programs in 2 objects: 2 accepted, 9 rejected')
assert log.contains('BUILD SUCCESS')
assert new File(basedir, 'target/bpf4j/verify.csv').readLines().size() == 12
true
