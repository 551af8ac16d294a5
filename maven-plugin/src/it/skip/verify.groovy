def log = new File(basedir, 'build.log').text
assert log.contains('bpf4j: compile skipped')
assert log.contains('bpf4j: verify skipped')
assert log.contains('BUILD SUCCESS')
assert !new File(basedir, 'target/bpf4j').exists()
true
