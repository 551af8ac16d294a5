def header = new File(basedir, 'target/generated-sources/bpf4j/include/vmlinux.h')
assert header.isFile()
assert header.text.contains('struct xdp_md {')
assert new File(basedir, 'target/classes/bpf/ifindex.bpf.o').isFile()
def log = new File(basedir, 'build.log').text
assert log.contains('bpf4j: verified 1 programs in 1 objects: 1 accepted, 0 rejected')
true
