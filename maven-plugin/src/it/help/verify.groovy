def log = new File(basedir, 'build.log').text
assert log.contains('bpf4j:verify')
assert log.contains('failOnRejection')
assert log.contains('kernelProfile')
assert log.contains('BUILD SUCCESS')
true
