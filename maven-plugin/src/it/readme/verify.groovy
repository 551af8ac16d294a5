def log = new File(basedir, 'build.log').text
assert log.contains('bpf4j: verified 1 programs in 1 objects: 1 accepted, 0 rejected')
assert log.contains('Tests run: 1, Failures: 0, Errors: 0, Skipped: 0')
assert log.contains('BUILD SUCCESS')
true
