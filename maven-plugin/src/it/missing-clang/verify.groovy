def log = new File(basedir, 'build.log').text
assert log.contains("bpf4j: clang 'clang-does-not-exist' (parameter <clang>, property bpf4j.clang) was not found on PATH")
assert !log.contains('NullPointerException')
true
