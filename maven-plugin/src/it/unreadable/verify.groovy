def log = new File(basedir, 'build.log').text
def file = new File(basedir, 'objects/broken.o').canonicalPath
assert log.contains('bpf4j: cannot read BPF object ' + file + ': ')
assert log.contains('BUILD FAILURE')
assert !log.contains('NullPointerException') && !log.contains('internal error')
true
