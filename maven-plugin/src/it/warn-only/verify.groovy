def log = new File(basedir, 'build.log').text
assert log.contains("[WARNING] prog 'wrong_expects_success' in selftest_wrong.v3.el.o: R0 invalid mem access 'map_value_or_null' (selftest_wrong.bpf.c:")
assert log.contains('bpf4j: verified 5 programs in 1 objects: 2 accepted, 3 rejected')
assert log.contains('BUILD SUCCESS')
assert new File(basedir, 'target/bpf4j/verify.csv').readLines().size() == 6
true
